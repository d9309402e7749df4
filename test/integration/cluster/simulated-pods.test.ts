import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { startCluster, type LocalCluster } from '../../support/kube-cluster/index.ts';
import { isAlive, waitFor } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { appYaml, kubectl, kubectlOk } from './kubectl.ts';

/**
 * Simulated pods: images are looked up in a real local registry, and the
 * documented annotations inject the failures deploy must diagnose.
 */
let registry: LocalRegistry;
let image: PushedImage;
let cluster: LocalCluster;
let backend: Server;

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushBusyboxImage(registry, 'models/ranker', 'v1');
  cluster = await startCluster({ registryHosts: [registry.host] });
  backend = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, method: req.method }));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
  backend?.close();
});

interface ContainerStatus {
  restartCount: number;
  ready: boolean;
  state: { waiting?: { reason: string; message?: string }; running?: object };
  lastState: { terminated?: { exitCode: number; reason: string } };
}

async function podsOf(app: string): Promise<
  Array<{
    status: {
      phase: string;
      conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
      containerStatuses?: ContainerStatus[];
    };
  }>
> {
  return JSON.parse(await kubectlOk(cluster, ['get', 'pods', '-l', `app=${app}`, '-o', 'json']))
    .items;
}

async function waitForWaitingReason(app: string, reason: string): Promise<ContainerStatus> {
  let found: ContainerStatus | undefined;
  await waitFor(
    `${app} pods in ${reason}`,
    async () => {
      found = (await podsOf(app))
        .flatMap((p) => p.status.containerStatuses ?? [])
        .find((c) => c.state.waiting?.reason === reason);
      return found !== undefined;
    },
    20_000,
    200,
  );
  return found!;
}

describe('simulated pods in the test double cluster', () => {
  it('runs an image that exists in the registry and proxies its Service to a registered backend', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({ name: 'ranker', image: image.ref }),
    );
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/ranker', '--timeout=30s']);
    const pods = await podsOf('ranker');
    expect(pods.map((p) => p.status.phase)).toEqual(['Running', 'Running']);

    const unregistered = await kubectl(cluster, [
      'get',
      '--raw',
      '/api/v1/namespaces/default/services/ranker:http/proxy/v2/health/ready',
    ]);
    expect(unregistered.code).not.toBe(0);
    await cluster.registerServiceBackend(
      'default',
      'ranker',
      80,
      `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
    );
    const answer = JSON.parse(
      await kubectlOk(cluster, [
        'get',
        '--raw',
        '/api/v1/namespaces/default/services/ranker:http/proxy/v2/health/ready?x=1',
      ]),
    );
    expect(answer).toEqual({ path: '/v2/health/ready?x=1', method: 'GET' });
  });

  it('reports ErrImagePull, then ImagePullBackOff, for an image the registry does not have', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({ name: 'missing', image: `${registry.host}/models/missing:v9`, replicas: 1 }),
    );
    const pulling = await waitForWaitingReason('missing', 'ErrImagePull');
    expect(pulling.state.waiting?.message).toContain(
      `${registry.host}/models/missing:v9: not found`,
    );
    await waitForWaitingReason('missing', 'ImagePullBackOff');
    const events = await kubectlOk(cluster, [
      'get',
      'events',
      '--field-selector',
      'reason=Failed',
      '-o',
      'json',
    ]);
    expect(events).toContain('Failed to pull image');
    const status = await kubectl(cluster, [
      'rollout',
      'status',
      'deployment/missing',
      '--timeout=2s',
    ]);
    expect(status.code).not.toBe(0);
  });

  it('injects CrashLoopBackOff and OOMKilled from annotations', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'crasher',
        image: image.ref,
        replicas: 1,
        annotations: { 'test-double.model-deploy/crash-loop': '3' },
      }),
    );
    const crashing = await waitForWaitingReason('crasher', 'CrashLoopBackOff');
    expect(crashing.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(crashing.restartCount).toBeGreaterThan(0);
    expect(crashing.ready).toBe(false);

    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'oom',
        image: image.ref,
        replicas: 1,
        annotations: { 'test-double.model-deploy/oom-killed': 'true' },
      }),
    );
    const oom = await waitForWaitingReason('oom', 'CrashLoopBackOff');
    expect(oom.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('leaves a pod Pending with PodScheduled False when it cannot be scheduled', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'gpu',
        image: image.ref,
        replicas: 1,

        annotations: { 'test-double.model-deploy/unschedulable': 'true' },
      }),
    );
    let scheduled: { status: string; reason?: string; message?: string } | undefined;
    await waitFor(
      'an unschedulable pod',
      async () => {
        scheduled = (await podsOf('gpu'))[0]?.status.conditions?.find(
          (c) => c.type === 'PodScheduled',
        );
        return scheduled !== undefined;
      },
      10_000,
      200,
    );
    expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(scheduled?.message).toContain('0/1 nodes are available');
    expect((await podsOf('gpu'))[0]?.status.phase).toBe('Pending');
  });

  it('holds readiness back for ready-after, so the rollout waits for it', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'slow',
        image: image.ref,
        replicas: 1,
        annotations: { 'test-double.model-deploy/ready-after': '1500ms' },
      }),
    );
    await waitFor(
      'a running, unready pod',
      async () => {
        const c = (await podsOf('slow'))[0]?.status.containerStatuses?.[0];
        return c?.state.running !== undefined && c.ready === false;
      },
      10_000,
      100,
    );
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/slow', '--timeout=30s']);
    expect((await podsOf('slow'))[0]?.status.containerStatuses?.[0]?.ready).toBe(true);
  });
  it('keeps the previous version serving through a failed rollout, and rolls back cleanly', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({ name: 'steady', image: image.ref, replicas: 2 }),
    );
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/steady', '--timeout=30s']);
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({ name: 'steady', image: `${registry.host}/models/ranker:missing`, replicas: 2 }),
    );
    await waitForWaitingReason('steady', 'ImagePullBackOff');
    const endpoints = JSON.parse(
      await kubectlOk(cluster, ['get', 'endpoints', 'steady', '-o', 'json']),
    );
    expect(endpoints.subsets[0].addresses).toHaveLength(2);
    const serving = JSON.parse(
      await kubectlOk(cluster, ['get', 'pods', '-l', 'app=steady', '-o', 'json']),
    ).items.filter(
      (p: {
        spec: { containers: Array<{ image: string }> };
        status: { conditions?: Array<{ type: string; status: string }> };
      }) =>
        p.spec.containers[0]!.image === image.ref &&
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(serving).toHaveLength(2);

    await kubectlOk(cluster, ['rollout', 'undo', 'deployment/steady']);
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/steady', '--timeout=30s']);
    const sets = JSON.parse(
      await kubectlOk(cluster, ['get', 'rs', '-l', 'app=steady', '-o', 'json']),
    ).items;
    const byImage = Object.fromEntries(
      sets.map(
        (rs: {
          spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
        }) => [rs.spec.template.spec.containers[0]!.image, rs.spec.replicas],
      ),
    );
    expect(byImage).toEqual({ [image.ref]: 2, [`${registry.host}/models/ranker:missing`]: 0 });
  });

  it('runs as a child process too: backends registered over its admin endpoint, no process left after stop', async () => {
    const child = await startCluster({ inProcess: false, registryHosts: [registry.host] });
    try {
      await kubectlOk(
        child,
        ['apply', '--server-side', '-f', '-'],
        appYaml({ name: 'ranker', image: image.ref, replicas: 1 }),
      );
      await kubectlOk(child, ['rollout', 'status', 'deployment/ranker', '--timeout=30s']);
      await child.registerServiceBackend(
        'default',
        'ranker',
        80,
        `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
      );
      const answer = JSON.parse(
        await kubectlOk(child, [
          'get',
          '--raw',
          '/api/v1/namespaces/default/services/ranker/proxy/v1/models',
        ]),
      );
      expect(answer).toEqual({ path: '/v1/models', method: 'GET' });
    } finally {
      await child.stop();
    }
    expect(isAlive(child.process!.pid)).toBe(false);
  });
});
