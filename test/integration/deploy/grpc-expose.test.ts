import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderServing, type ExposeMode } from '../../../shared/kube/manifests.ts';
import type { KubeObject } from '../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../shared/kube/profiles.ts';
import { runRelease } from '../../../shared/kube/release.ts';
import { runtimeServing } from '../../../shared/model/runtimes/serving.ts';
import { runStrategy, type StrategyRequest } from '../../../shared/kube/strategies/index.ts';
import {
  quietLogger,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../support/strategies-fixture.ts';
import { runDeploy, type KubeJson } from '../../support/deploy-fixture.ts';

/**
 * gRPC beside REST on the upstream control plane, with the Gateway API,
 * Istio and Emissary-ingress CRDs from their modules (Emissary's served
 * through its own conversion webhook): the Service's grpc port, the routes
 * each exposure renders as the API server validates and stores them, and a
 * canary that moves REST and gRPC together.
 */

let world: StrategyWorld;
beforeAll(async () => {
  world = await startStrategyWorld({ crds: ['gateway-api', 'istio', 'emissary'] });
}, 600_000);
afterAll(async () => {
  await world?.stop();
});

const HOST = 'iris.example.com';

/** MLServer's manifests (gRPC on 8081) for the busybox test images. */
function render(namespace: string, image: string, expose: ExposeMode): KubeObject[] {
  return renderServing({
    name: 'iris',
    namespace,
    image,
    runtime: { ...runtimeServing('mlserver', 'iris'), readinessPath: '/', livenessPath: '/' },
    replicas: 2,
    resources: {},
    env: {},
    expose: { mode: expose, host: HOST },
    profile: cloudProfile('none'),
    progressDeadlineSeconds: 60,
  });
}

async function deployStable(namespace: string, expose: ExposeMode): Promise<void> {
  const outcome = await runRelease(world.client, {
    release: 'iris',
    namespace,
    objects: render(namespace, world.images.v1.digestRef, expose),
    image: world.images.v1.digestRef,
    timeoutMs: 60_000,
    rollbackOnFailure: true,
    prune: true,
    dryRun: false,
    historyLimit: 10,
    holder: 'stable deploy',
    logger: quietLogger(),
    pollMs: 100,
  });
  if (outcome.status !== 'deployed') throw new Error(`stable deploy: ${outcome.status}`);
}

function canaryRequest(
  namespace: string,
  expose: 'gateway' | 'istio' | 'ambassador',
  overrides: Partial<StrategyRequest> = {},
): StrategyRequest {
  return {
    ...strategyRequest(world, { release: 'iris', namespace, expose: 'cluster-ip' }),
    router: expose,
    steps: [
      { weight: 20, holdMs: 0 },
      { weight: 60, holdMs: 0 },
      { weight: 100, holdMs: 0 },
    ],
    objects: render(namespace, world.images.v2.digestRef, expose),
    ...overrides,
  };
}

const names = (list: KubeJson) => list.items.map((o: KubeJson) => o.metadata.name as string).sort();

describe('deploy exposes gRPC beside REST', () => {
  it.each(['gateway', 'istio', 'ambassador'] as const)(
    'expose %s: a grpc Service port and REST and gRPC routes',
    async (expose) => {
      const ns = `grpc-${expose}`;
      const run = await runDeploy({
        cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
        namespace: ns,
        name: 'iris',
        image: world.images.v1.digestRef,
        runtime: 'mlserver',
        expose,
        host: HOST,
        timeout: '60s',
      });
      expect(run.failure).toBe('');
      expect(run.ok).toBe(true);
      expect(run.outputs.url).toBe(`http://${HOST}`);
      const service = await world.kubectl(ns, ['get', 'service', 'iris']);
      expect(service.spec.ports).toEqual([
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        {
          name: 'grpc',
          port: 8081,
          targetPort: 'grpc',
          protocol: 'TCP',
          appProtocol: 'kubernetes.io/h2c',
        },
      ]);
      // The Endpoints controller resolves the named port on the pods: the container declares it.
      const endpoints = await world.kubectl(ns, ['get', 'endpoints', 'iris']);
      expect(
        endpoints.subsets
          .flatMap((s: KubeJson) => s.ports.map((p: KubeJson) => `${p.name}:${p.port}`))
          .sort(),
      ).toEqual(['grpc:8081', 'http:8080']);

      if (expose === 'gateway') {
        const http = await world.kubectl(ns, ['get', 'httproute', 'iris']);
        const grpc = await world.kubectl(ns, ['get', 'grpcroute', 'iris']);
        expect(http.spec.hostnames).toEqual([HOST]);
        expect(grpc.spec.hostnames).toEqual(['iris-grpc.example.com']);
        expect(grpc.spec.rules[0].backendRefs).toEqual([
          { group: '', kind: 'Service', name: 'iris', port: 8081, weight: 1 },
        ]);
      }
      if (expose === 'istio') {
        const vs = await world.kubectl(ns, ['get', 'virtualservices.networking.istio.io', 'iris']);
        expect(vs.spec.hosts).toEqual([HOST]);
        expect(
          vs.spec.http.map((h: KubeJson) => [
            h.name,
            h.match?.[0]?.uri?.prefix,
            h.route[0].destination.port.number,
          ]),
        ).toEqual([
          ['grpc', '/inference.', 8081],
          ['http', undefined, 80],
        ]);
      }
      if (expose === 'ambassador') {
        // Read back as v3alpha1: stored as v2, converted both ways by Emissary's webhook.
        const mappings = await world.kubectl(ns, ['get', 'mappings.v3alpha1.getambassador.io']);
        expect(names(mappings)).toEqual(['iris', 'iris-grpc']);
        const byName = Object.fromEntries(
          mappings.items.map((m: KubeJson) => [m.metadata.name, m]),
        );
        expect(byName.iris.apiVersion).toBe('getambassador.io/v3alpha1');
        expect(byName.iris.spec).toMatchObject({
          hostname: HOST,
          prefix: '/',
          service: `iris.${ns}:80`,
        });
        expect(byName['iris-grpc'].spec).toMatchObject({
          hostname: HOST,
          prefix: '/inference.',
          rewrite: '/inference.',
          grpc: true,
          service: `iris.${ns}:8081`,
        });
      }
    },
    120_000,
  );
});

describe('a canary shifts REST and gRPC together', () => {
  const backendWeights = (route: KubeJson) =>
    Object.fromEntries(
      route.spec.rules[0].backendRefs.map((r: KubeJson) => [`${r.name}:${r.port}`, r.weight]),
    );

  it('gateway: the HTTPRoute and the GRPCRoute move step by step', async () => {
    const ns = 'grpc-canary-gw';
    await deployStable(ns, 'gateway');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      canaryRequest(ns, 'gateway', {
        onStep: async ({ weight }) => {
          seen.push({
            weight,
            http: backendWeights(await world.kubectl(ns, ['get', 'httproute', 'iris'])),
            grpc: backendWeights(await world.kubectl(ns, ['get', 'grpcroute', 'iris'])),
          });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    expect(seen).toEqual(
      [20, 60, 100].map((w) => ({
        weight: w,
        http: { 'iris:80': 100 - w, 'iris-canary:80': w },
        grpc: { 'iris:8081': 100 - w, 'iris-canary:8081': w },
      })),
    );
    expect(backendWeights(await world.kubectl(ns, ['get', 'grpcroute', 'iris']))).toEqual({
      'iris:8081': 1,
    });
  }, 180_000);

  it('istio: both VirtualService routes are split to the canary subset', async () => {
    const ns = 'grpc-canary-istio';
    await deployStable(ns, 'istio');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      canaryRequest(ns, 'istio', {
        onStep: async ({ weight }) => {
          const vs = await world.kubectl(ns, [
            'get',
            'virtualservices.networking.istio.io',
            'iris',
          ]);
          seen.push({
            weight,
            routes: vs.spec.http.map((h: KubeJson) =>
              h.route.map(
                (r: KubeJson) =>
                  `${r.destination.host.split('.')[0]}${r.destination.subset ? `/${r.destination.subset}` : ''}:${r.destination.port.number}=${r.weight}`,
              ),
            ),
          });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    expect(seen[0]).toEqual({
      weight: 20,
      routes: [
        ['iris:8081=80', 'iris-canary/canary:8081=20'],
        ['iris:80=80', 'iris-canary/canary:80=20'],
      ],
    });
    expect(seen.map((s) => s.weight)).toEqual([20, 60, 100]);
  }, 180_000);

  it('ambassador: weighted copies of both Mappings, gone after promotion', async () => {
    const ns = 'grpc-canary-amb';
    await deployStable(ns, 'ambassador');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      canaryRequest(ns, 'ambassador', {
        onStep: async ({ weight }) => {
          const mappings = await world.kubectl(ns, ['get', 'mappings.v3alpha1.getambassador.io']);
          seen.push({
            weight,
            mappings: Object.fromEntries(
              mappings.items.map((m: KubeJson) => [
                m.metadata.name,
                `${m.spec.service}${m.spec.weight !== undefined ? ` weight ${m.spec.weight}` : ''}`,
              ]),
            ),
          });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    expect(seen).toEqual(
      [20, 60, 100].map((w) => ({
        weight: w,
        mappings: {
          iris: `iris.${ns}:80`,
          'iris-grpc': `iris.${ns}:8081`,
          'iris-canary': `iris-canary.${ns}:80 weight ${w}`,
          'iris-grpc-canary': `iris-canary.${ns}:8081 weight ${w}`,
        },
      })),
    );
    expect(names(await world.kubectl(ns, ['get', 'mappings.v3alpha1.getambassador.io']))).toEqual([
      'iris',
      'iris-grpc',
    ]);
  }, 180_000);

  it('ambassador: a canary that fails its analysis is withdrawn with its Mappings', async () => {
    const ns = 'grpc-canary-amb-fail';
    await deployStable(ns, 'ambassador');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.wrong.url);
    const outcome = await runStrategy(world.client, canaryRequest(ns, 'ambassador'));
    expect(outcome.promoted).toBe(false);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 20 });
    expect(names(await world.kubectl(ns, ['get', 'mappings.v3alpha1.getambassador.io']))).toEqual([
      'iris',
      'iris-grpc',
    ]);
  }, 180_000);

  it('blue-green: the switch moves the Service grpc port to the new pods too', async () => {
    const ns = 'grpc-bg';
    await deployStable(ns, 'cluster-ip');
    await world.cluster.registerServiceBackend(ns, 'iris-preview', 80, world.good.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const grpcPods = async () => {
      const endpoints = await world.kubectl(ns, ['get', 'endpoints', 'iris']);
      return (endpoints.subsets ?? [])
        .filter((s: KubeJson) => s.ports.some((p: KubeJson) => p.name === 'grpc'))
        .flatMap((s: KubeJson) => (s.addresses ?? []).map((a: KubeJson) => a.targetRef.name))
        .map((pod: string) => pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''));
    };
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      canaryRequest(ns, 'gateway', {
        strategy: 'blue-green',
        router: 'replicas',
        objects: render(ns, world.images.v2.digestRef, 'cluster-ip'),
        scaleDownDelayMs: 300,
        onStep: async ({ phase }) => {
          // The Endpoints controller follows the selector change a moment later.
          const want = phase === 'switched' ? 'iris-preview' : 'iris';
          const deadline = Date.now() + 20_000;
          let pods = await grpcPods();
          while (
            !(pods.length > 0 && pods.every((p: string) => p === want)) &&
            Date.now() < deadline
          ) {
            await new Promise((r) => setTimeout(r, 100));
            pods = await grpcPods();
          }
          seen.push({ phase, pods: [...new Set(pods)] });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    expect(seen).toEqual([
      { phase: 'step', pods: ['iris'] },
      { phase: 'switched', pods: ['iris-preview'] },
    ]);
  }, 180_000);
});
