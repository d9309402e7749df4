import { describe, expect, it } from 'vitest';
import { compare, fillQuery, sampleValues } from '../../../../shared/kube/strategies/analysis.ts';
import { renderServing } from '../../../../shared/kube/manifests.ts';
import { labelForRelease, type KubeObject } from '../../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../../shared/kube/profiles.ts';
import { runtimeServing } from '../../../../shared/model/runtimes/serving.ts';
import { canaryMappings } from '../../../../shared/kube/strategies/ambassador-router.ts';
import { weightedHttpRoute } from '../../../../shared/kube/strategies/gateway-router.ts';
import { weightedVirtualService } from '../../../../shared/kube/strategies/istio-router.ts';
import { replicaSplit } from '../../../../shared/kube/strategies/replica-router.ts';
import {
  deploymentSpec,
  releaseWorkload,
  serviceSpec,
  sideBySide,
  TRACK_LABEL,
} from '../../../../shared/kube/strategies/workload.ts';

function render(
  expose: 'gateway' | 'istio' | 'ambassador' | 'cluster-ip',
  replicas = 4,
  runtime: 'custom' | 'mlserver' = 'custom',
): KubeObject[] {
  return labelForRelease(
    renderServing({
      name: 'iris',
      namespace: 'models',
      image: 'registry.example/iris@sha256:' + 'a'.repeat(64),
      runtime: runtimeServing(runtime, 'iris'),
      replicas,
      resources: {},
      env: {},
      expose: { mode: expose, host: 'iris.example.com' },
      profile: cloudProfile('none'),
      progressDeadlineSeconds: 60,
    }),
    'iris',
    'models',
  );
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('the new version beside the stable one', () => {
  it('behind a router, its pods are out of reach of the main Service', () => {
    const workload = releaseWorkload(render('gateway'), 'iris');
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 1, shareService: false });
    const podLabels = deploymentSpec(canary.deployment).template.metadata!.labels!;
    expect(canary.deployment.metadata.name).toBe('iris-canary');
    expect(canary.service.metadata.name).toBe('iris-canary');
    expect(matches(serviceSpec(workload.service).selector!, podLabels)).toBe(false);
    expect(matches(serviceSpec(canary.service).selector!, podLabels)).toBe(true);
    expect(matches(deploymentSpec(canary.deployment).selector.matchLabels!, podLabels)).toBe(true);
    // The stable pods are not the canary's: its selector needs the track label.
    const stableLabels = deploymentSpec(workload.deployment).template.metadata!.labels!;
    expect(matches(serviceSpec(canary.service).selector!, stableLabels)).toBe(false);
    expect(canary.deployment.metadata.labels?.['model-deploy.io/release']).toBe('iris');
  });

  it('with the replica split, its pods join the main Service', () => {
    const workload = releaseWorkload(render('cluster-ip'), 'iris');
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 0, shareService: true });
    const podLabels = deploymentSpec(canary.deployment).template.metadata!.labels!;
    expect(podLabels[TRACK_LABEL]).toBe('canary');
    expect(matches(serviceSpec(workload.service).selector!, podLabels)).toBe(true);
    const stableLabels = deploymentSpec(workload.deployment).template.metadata!.labels!;
    expect(matches(serviceSpec(canary.service).selector!, stableLabels)).toBe(false);
  });

  it('refuses a release without exactly one Deployment', () => {
    const objects = render('cluster-ip').filter((o) => o.kind !== 'Deployment');
    expect(() => releaseWorkload(objects, 'iris')).toThrow(
      /exactly one Deployment in the release; iris has 0/,
    );
  });
});

describe('weights', () => {
  it('splits the HTTPRoute rule that goes to the stable Service', () => {
    const route = render('gateway').find((o) => o.kind === 'HTTPRoute')!;
    const weighted = weightedHttpRoute(route, 'iris', 'iris-canary', 10);
    expect(
      (weighted.spec as { rules: Array<{ backendRefs: unknown[] }> }).rules[0]!.backendRefs,
    ).toEqual([
      { name: 'iris', port: 80, weight: 90 },
      { name: 'iris-canary', port: 80, weight: 10 },
    ]);
    // Applying it again at another weight replaces the split, never stacks it.
    const again = weightedHttpRoute(weighted, 'iris', 'iris-canary', 50);
    expect(
      (again.spec as { rules: Array<{ backendRefs: unknown[] }> }).rules[0]!.backendRefs,
    ).toHaveLength(2);
    expect(
      (route.spec as { rules: Array<{ backendRefs: unknown[] }> }).rules[0]!.backendRefs,
    ).toEqual([{ name: 'iris', port: 80 }]);
  });

  it('splits the GRPCRoute like the HTTPRoute, keeping the grpc port', () => {
    const workload = releaseWorkload(render('gateway', 4, 'mlserver'), 'iris');
    expect(workload.routes.map((r) => r.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
    const grpc = workload.routes.find((r) => r.kind === 'GRPCRoute')!;
    const weighted = weightedHttpRoute(grpc, 'iris', 'iris-canary', 30);
    expect(
      (weighted.spec as { rules: Array<{ backendRefs: unknown[] }> }).rules[0]!.backendRefs,
    ).toEqual([
      { name: 'iris', port: 8081, weight: 70 },
      { name: 'iris-canary', port: 8081, weight: 30 },
    ]);
    // The canary's own Service carries the grpc port too.
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 1, shareService: false });
    expect(serviceSpec(canary.service).ports?.map((p) => p.name)).toEqual(['http', 'grpc']);
  });

  it('splits both VirtualService routes, REST and gRPC, keeping their ports', () => {
    const vs = render('istio', 4, 'mlserver').find((o) => o.kind === 'VirtualService')!;
    const weighted = weightedVirtualService(
      vs,
      'iris.models.svc.cluster.local',
      'iris-canary.models.svc.cluster.local',
      40,
    );
    const http = (weighted.spec as { http: Array<{ name: string; route: unknown[] }> }).http;
    expect(http.map((h) => h.name)).toEqual(['grpc', 'http']);
    expect(http[0]!.route).toEqual([
      {
        destination: { host: 'iris.models.svc.cluster.local', port: { number: 8081 } },
        weight: 60,
      },
      {
        destination: {
          host: 'iris-canary.models.svc.cluster.local',
          port: { number: 8081 },
          subset: 'canary',
        },
        weight: 40,
      },
    ]);
  });

  it('adds a weighted copy of each Emissary Mapping for the new version', () => {
    const mappings = render('ambassador', 4, 'mlserver').filter((o) => o.kind === 'Mapping');
    const copies = canaryMappings(mappings, 'iris', 'iris-canary', 'iris', 20);
    expect(copies.map((m) => [m.metadata.name, m.spec])).toEqual([
      [
        'iris-canary',
        { hostname: 'iris.example.com', prefix: '/', service: 'iris-canary.models:80', weight: 20 },
      ],
      [
        'iris-grpc-canary',
        {
          hostname: 'iris.example.com',
          prefix: '/inference.',
          rewrite: '/inference.',
          grpc: true,
          service: 'iris-canary.models:8081',
          weight: 20,
        },
      ],
    ]);
    expect(copies[0]!.metadata.labels?.[TRACK_LABEL]).toBe('canary');
    // The stable Mappings are left as they are.
    expect((mappings[0]!.spec as { weight?: number }).weight).toBeUndefined();
    // A Mapping to another Service is not the release's to split.
    const other = structuredClone(mappings[0]!);
    (other.spec as { service: string }).service = 'http://irises.models:80';
    expect(canaryMappings([other], 'iris', 'iris-canary', 'iris', 20)).toEqual([]);
  });

  it('splits the VirtualService route into the stable host and the canary subset', () => {
    const vs = render('istio').find((o) => o.kind === 'VirtualService')!;
    const weighted = weightedVirtualService(
      vs,
      'iris.models.svc.cluster.local',
      'iris-canary.models.svc.cluster.local',
      25,
    );
    expect((weighted.spec as { http: Array<{ route: unknown[] }> }).http[0]!.route).toEqual([
      { destination: { host: 'iris.models.svc.cluster.local', port: { number: 80 } }, weight: 75 },
      {
        destination: {
          host: 'iris-canary.models.svc.cluster.local',
          port: { number: 80 },
          subset: 'canary',
        },
        weight: 25,
      },
    ]);
  });

  it('approximates a weight with replica counts, never starving either side below 100%', () => {
    expect(replicaSplit(4, 10)).toEqual({ canary: 1, stable: 3 });
    expect(replicaSplit(4, 50)).toEqual({ canary: 2, stable: 2 });
    expect(replicaSplit(4, 90)).toEqual({ canary: 3, stable: 1 });
    expect(replicaSplit(10, 25)).toEqual({ canary: 3, stable: 7 });
    expect(replicaSplit(4, 100)).toEqual({ canary: 4, stable: 0 });
    expect(replicaSplit(1, 10)).toEqual({ canary: 1, stable: 1 });
    expect(replicaSplit(2, 90)).toEqual({ canary: 1, stable: 1 });
  });
});

describe('metric checks', () => {
  it('compares with each operator', () => {
    expect(compare(0.005, '<', 0.01)).toBe(true);
    expect(compare(0.01, '<', 0.01)).toBe(false);
    expect(compare(0.01, '<=', 0.01)).toBe(true);
    expect(compare(2, '>', 1)).toBe(true);
    expect(compare(1, '>=', 2)).toBe(false);
    expect(compare(0, '==', 0)).toBe(true);
    expect(compare(0, '!=', 0)).toBe(false);
  });

  it('fills the query placeholders and reads vector and scalar results', () => {
    expect(
      fillQuery('rate(x{deployment="{{ canary }}",namespace="{{namespace}}"}[1m]) {{ other }}', {
        namespace: 'models',
        service: 'iris-canary',
        port: 80,
        release: 'iris',
        canaryDeployment: 'iris-canary',
        stableDeployment: 'iris',
      }),
    ).toBe('rate(x{deployment="iris-canary",namespace="models"}[1m]) {{ other }}');
    expect(
      sampleValues({
        resultType: 'vector',
        result: [
          { metric: {}, value: [1, '0.5'] },
          { metric: {}, value: [1, 'NaN'] },
        ],
      }),
    ).toEqual([0.5, NaN]);
    expect(sampleValues({ resultType: 'scalar', result: [1, '3'] })).toEqual([3]);
    expect(() => sampleValues({ resultType: 'matrix', result: [] })).toThrow(/vector or a scalar/);
  });
});
