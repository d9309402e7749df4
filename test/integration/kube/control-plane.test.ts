import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import type { KubeJson } from '../../support/kube/api-client.ts';
import { isAlive, waitFor } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

/**
 * The test cluster helper itself: the upstream control plane built from its
 * Go modules, kwok nodes whose Stages produce the pod states deploy must
 * diagnose, the service proxy reaching a test server, CRDs from their
 * projects' modules, least-privilege kubeconfigs, and a clean stop.
 */
let registry: LocalRegistry;
let image: PushedImage;
let cluster: KubeCluster;
const NS = 'helper';

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushBusyboxImage(registry, 'models/echo', 'v1');
  // The first run on a machine builds the binaries (printing progress): allow for it.
  cluster = await startCluster({ registryHosts: [registry.host] });
  console.log(
    `cluster ready in ${cluster.timings.totalMs} ms (API server ready after ${cluster.timings.apiServerReadyMs} ms)`,
  );
  await cluster.kubectl(['create', 'namespace', NS]);
}, 3_600_000);

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
});

function deployment(
  name: string,
  options: {
    image?: string;
    replicas?: number;
    annotations?: Record<string, string>;
    resources?: object;
    port?: number;
  } = {},
): string {
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: options.annotations ?? {} },
        spec: {
          containers: [
            {
              name: 'model',
              image: options.image ?? image.digestRef,
              ports: [{ name: 'http', containerPort: options.port ?? 8080 }],
              ...(options.resources ? { resources: options.resources } : {}),
            },
          ],
        },
      },
    },
  });
}

async function podsOf(app: string): Promise<KubeJson[]> {
  return (await cluster.kubectlJson(['-n', NS, 'get', 'pods', '-l', `app=${app}`])).items;
}

/** Waits until the app's first pod satisfies `check`; returns that pod. */
async function waitForPod(
  app: string,
  what: string,
  check: (pod: KubeJson) => boolean,
): Promise<KubeJson> {
  let found: KubeJson;
  await waitFor(
    `${app}: ${what}`,
    async () => {
      found = (await podsOf(app)).find(check);
      return found !== undefined;
    },
    60_000,
    200,
  );
  return found;
}

const container = (pod: KubeJson) => pod.status?.containerStatuses?.[0];
const condition = (pod: KubeJson, type: string) =>
  (pod.status?.conditions ?? []).find((c: KubeJson) => c.type === type);

describe('the upstream control plane', () => {
  it('runs the Kubernetes release it was built from, with Ready kwok nodes', async () => {
    const version = JSON.parse(await cluster.kubectl(['version', '-o', 'json']));
    expect(version.serverVersion.gitVersion).toBe('v1.35.4');
    expect(version.clientVersion.gitVersion).toBe('v1.35.4');
    const nodes = (await cluster.kubectlJson(['get', 'nodes'])).items;
    expect(nodes.map((n: KubeJson) => n.metadata.name)).toEqual(cluster.kwokNodes);
    expect(condition(nodes[0], 'Ready')?.status).toBe('True');
    // The real admission chain ran: RBAC bootstrap roles exist, and the
    // ServiceAccount admission plugin mounted a projected token.
    await cluster.kubectl(['get', 'clusterrole', 'system:kube-scheduler']);
  });

  it('rolls a Deployment out on kwok pods with addresses from the cluster subnet', async () => {
    await cluster.apply(deployment('web', { replicas: 2 }));
    await cluster.kubectl(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const pods = await podsOf('web');
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.status.phase).toBe('Running');
      expect(condition(pod, 'Ready')?.status).toBe('True');
      expect(cluster.subnet.containsPodIp(pod.status.podIP)).toBe(true);
      expect(pod.metadata.annotations['stage.model-deploy.test/image']).toBe('pulled');
      // Admission mounted the ServiceAccount token, as on any real cluster.
      expect(pod.spec.serviceAccountName).toBe('default');
      expect(pod.spec.volumes.some((v: KubeJson) => v.name.startsWith('kube-api-access-'))).toBe(
        true,
      );
    }
    const rs = (await cluster.kubectlJson(['-n', NS, 'get', 'replicasets', '-l', 'app=web'])).items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  });

  it('reports an image the registry does not have as ErrImagePull, then ImagePullBackOff', async () => {
    const missing = `${registry.host}/models/echo@sha256:${'0'.repeat(64)}`;
    await cluster.apply(deployment('pull', { image: missing }));
    const pulling = await waitForPod('pull', 'ErrImagePull', (p) =>
      ['ErrImagePull', 'ImagePullBackOff'].includes(container(p)?.state?.waiting?.reason),
    );
    expect(pulling.metadata.annotations['stage.model-deploy.test/image']).toBe('failed');
    const backoff = await waitForPod(
      'pull',
      'ImagePullBackOff',
      (p) => container(p)?.state?.waiting?.reason === 'ImagePullBackOff',
    );
    expect(backoff.status.phase).toBe('Pending');
    expect(backoff.metadata.annotations['stage.model-deploy.test/image-message']).toContain(
      'not found',
    );
    expect(container(backoff).state.waiting.message).toBe(`Back-off pulling image "${missing}"`);
  });

  it('crash-loops with a growing restartCount and the exit code of the last run', async () => {
    await cluster.apply(
      deployment('crash', { annotations: { 'stage.model-deploy.test/crash-loop': '3' } }),
    );
    const looping = await waitForPod(
      'crash',
      'two restarts',
      (p) => container(p)?.restartCount >= 2,
    );
    const status = container(looping);
    expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(condition(looping, 'Ready')?.status).toBe('False');
    await waitForPod(
      'crash',
      'CrashLoopBackOff',
      (p) => container(p)?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    // A value that is not an exit code ("true", as the old annotations had it) exits with 1.
    await cluster.apply(
      deployment('crash-true', { annotations: { 'stage.model-deploy.test/crash-loop': 'true' } }),
    );
    const exited = await waitForPod(
      'crash-true',
      'a restart',
      (p) => container(p)?.restartCount >= 1,
    );
    expect(container(exited).lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('reports an OOM kill as exit code 137, reason OOMKilled', async () => {
    await cluster.apply(
      deployment('oom', { annotations: { 'stage.model-deploy.test/oom-killed': 'true' } }),
    );
    const killed = await waitForPod('oom', 'an OOM kill', (p) => container(p)?.restartCount >= 1);
    expect(container(killed).lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'OOMKilled',
    });
  });

  it('keeps a never-ready pod unready while a slow one becomes ready after its delay', async () => {
    await cluster.apply(
      deployment('never', { annotations: { 'stage.model-deploy.test/ready-after': 'never' } }),
    );
    await cluster.apply(
      deployment('slow', { annotations: { 'stage.model-deploy.test/ready-after': '2s' } }),
    );
    const slow = await waitForPod('slow', 'Ready', (p) => condition(p, 'Ready')?.status === 'True');
    const startedAt = Date.parse(container(slow).state.running.startedAt);
    const readyAt = Date.parse(condition(slow, 'Ready').lastTransitionTime);
    expect(readyAt - startedAt).toBeGreaterThanOrEqual(1500);
    // The never-ready pod started before the slow one became ready, and is still not ready.
    const [never] = await podsOf('never');
    expect(never.status.phase).toBe('Running');
    expect(container(never).state.running).toBeDefined();
    expect(condition(never, 'Ready')?.status).toBe('False');
    const status = await cluster.kubectlJson(['-n', NS, 'get', 'deployment', 'never']);
    expect(status.status.unavailableReplicas).toBe(1);
  });

  it('leaves a pod asking for resources no node has Pending: the scheduler says why', async () => {
    await cluster.apply(deployment('gpu', { resources: { limits: { 'nvidia.com/gpu': '1' } } }));
    const pending = await waitForPod(
      'gpu',
      'Unschedulable',
      (p) => condition(p, 'PodScheduled')?.reason === 'Unschedulable',
    );
    expect(pending.status.phase).toBe('Pending');
    expect(condition(pending, 'PodScheduled').message).toMatch(
      /0\/1 nodes are available: 1 Insufficient nvidia\.com\/gpu/,
    );
    await waitFor('a FailedScheduling event', async () => {
      const events = await cluster.kubectlJson([
        '-n',
        NS,
        'get',
        'events',
        '--field-selector',
        `involvedObject.name=${pending.metadata.name},reason=FailedScheduling`,
      ]);
      return events.items.some(
        (e: KubeJson) =>
          e.source?.component === 'default-scheduler' ||
          e.reportingComponent === 'default-scheduler',
      );
    });
  });

  it('proxies a Service request through the API server to a test server behind kwok pods', async () => {
    let seen = '';
    const server: Server = createServer((req, res) => {
      seen = String(req.url);
      res.end(`model answer for ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      await cluster.apply(
        stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web', namespace: NS },
          spec: {
            selector: { app: 'web' },
            ports: [{ name: 'http', port: 80, targetPort: 'http' }],
          },
        }),
      );
      await cluster.registerServiceBackend(NS, 'web', 80, `http://127.0.0.1:${port}`);
      let body = '';
      await waitFor('the service proxy to answer', async () => {
        body = await cluster.kubectl([
          'get',
          '--raw',
          `/api/v1/namespaces/${NS}/services/web:80/proxy/v2/models/echo`,
        ]);
        return true;
      });
      expect(body).toBe('model answer for /v2/models/echo');
      expect(seen).toBe('/v2/models/echo');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('installs Gateway API and Istio CRDs from their modules, whose schemas the API server enforces', async () => {
    await cluster.installCrds(['gateway-api', 'istio']);
    const crds = (await cluster.kubectlJson(['get', 'crds'])).items.map(
      (c: KubeJson) => c.metadata.name,
    );
    expect(crds).toEqual(
      expect.arrayContaining([
        'gateways.gateway.networking.k8s.io',
        'httproutes.gateway.networking.k8s.io',
        'grpcroutes.gateway.networking.k8s.io',
        'virtualservices.networking.istio.io',
        'destinationrules.networking.istio.io',
      ]),
    );
    const route = (weight: number) =>
      stringify({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'canary', namespace: NS },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [{ backendRefs: [{ name: 'web', port: 80, weight }] }],
        },
      });
    await cluster.apply(route(90));
    // The CRD's own OpenAPI schema: weight has a minimum of 0.
    await expect(cluster.apply(route(-1))).rejects.toThrow(/weight/);
    await cluster.apply(
      stringify({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'web', namespace: NS },
        spec: {
          hosts: ['web'],
          http: [{ route: [{ destination: { host: 'web', subset: 'stable' }, weight: 100 }] }],
        },
      }),
    );
    const vs = await cluster.kubectlJson(['-n', NS, 'get', 'virtualservice', 'web']);
    expect(vs.spec.http[0].route[0].weight).toBe(100);
  });

  it('gives a ServiceAccount kubeconfig exactly the verbs of its Role', async () => {
    const restricted = await cluster.serviceAccountKubeconfig({
      namespace: 'limited',
      name: 'reader',
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    const kubectl = (args: string[]) =>
      cluster.kubectl(['--kubeconfig', restricted.path, ...args]).then(
        (out) => ({ ok: true, out }),
        (err: Error) => ({ ok: false, out: err.message }),
      );
    expect((await kubectl(['get', 'pods'])).ok).toBe(true);
    const denied = await kubectl(['get', 'deployments']);
    expect(denied.ok).toBe(false);
    expect(denied.out).toContain(
      'User "system:serviceaccount:limited:reader" cannot list resource "deployments" in API group "apps" in the namespace "limited"',
    );
    expect((await kubectl(['-n', NS, 'get', 'pods'])).ok).toBe(false);
  });

  it('stop() ends every process of the cluster', async () => {
    const pids = cluster.pids();
    expect(pids.length).toBeGreaterThanOrEqual(6);
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
