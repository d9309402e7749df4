import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { startCluster, type LocalCluster } from '../../support/kube-cluster/index.ts';
import { podman } from '../../support/podman.ts';
import { isAlive, waitFor } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { appYaml, kubectlOk } from './kubectl.ts';

/**
 * Real pods: the cluster runs as its own process (as in the demo) and each pod
 * is a rootful podman container pulled from the local registry.
 */
let registry: LocalRegistry;
let image: PushedImage;
let cluster: LocalCluster;

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushBusyboxImage(registry, 'models/httpd', 'v1');
  cluster = await startCluster({ pods: 'real', registryHosts: [registry.host], inProcess: false });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
});

async function ourContainers(): Promise<string[]> {
  const { stdout } = await podman([
    'ps',
    '--all',
    '--filter',
    `name=^${cluster.containerPrefix}-`,
    '--format',
    '{{.Names}}',
  ]);
  return stdout.split('\n').filter((n) => n.trim() !== '');
}

describe('real pods (podman) in the test double cluster', () => {
  it('serves HTTP from a ready container through the service proxy', async () => {
    const serve =
      'mkdir -p /www && echo "model $MODEL_NAME ready" > /www/index.html && exec httpd -f -p 8080 -h /www';
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'web',
        image: image.ref,
        replicas: 1,
        container: {
          command: ['sh', '-c', serve],
          env: [{ name: 'MODEL_NAME', value: 'ranker' }],
          readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
        },
      }),
    );
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/web', '--timeout=90s']);
    const body = await kubectlOk(cluster, [
      'get',
      '--raw',
      '/api/v1/namespaces/default/services/web:http/proxy/index.html',
    ]);
    expect(body.trim()).toBe('model ranker ready');
    const pod = JSON.parse(await kubectlOk(cluster, ['get', 'pods', '-l', 'app=web', '-o', 'json']))
      .items[0];
    const direct = await kubectlOk(cluster, [
      'get',
      '--raw',
      `/api/v1/namespaces/default/pods/${pod.metadata.name}:8080/proxy/index.html`,
    ]);
    expect(direct.trim()).toBe('model ranker ready');
    expect(pod.status.containerStatuses[0]).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
    });
    expect(await ourContainers()).toHaveLength(1);
  }, 120_000);

  it('turns a container that exits into CrashLoopBackOff with its exit code and log tail', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'crasher',
        image: image.ref,
        replicas: 1,
        container: {
          command: ['sh', '-c', 'echo loading model; echo model.onnx is missing >&2; exit 3'],
        },
      }),
    );
    let terminated: { exitCode: number; reason: string; message?: string } | undefined;
    await waitFor(
      'a crash-looping container',
      async () => {
        const pods = JSON.parse(
          await kubectlOk(cluster, ['get', 'pods', '-l', 'app=crasher', '-o', 'json']),
        ).items;
        const status = pods[0]?.status.containerStatuses?.[0];
        if (status?.state.waiting?.reason !== 'CrashLoopBackOff') return false;
        terminated = status.lastState.terminated;
        return true;
      },
      60_000,
      250,
    );
    expect(terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(terminated?.message).toContain('model.onnx is missing');
  }, 90_000);

  it('reports a command that cannot start as StartError and backs off', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'nostart',
        image: image.ref,
        replicas: 1,
        container: { command: ['/bin/no-such-model-server'] },
      }),
    );
    let terminated: { exitCode: number; reason: string; message?: string } | undefined;
    await waitFor(
      'a container that cannot start',
      async () => {
        const pods = JSON.parse(
          await kubectlOk(cluster, ['get', 'pods', '-l', 'app=nostart', '-o', 'json']),
        ).items;
        terminated = pods[0]?.status.containerStatuses?.[0]?.lastState.terminated;
        return terminated !== undefined;
      },
      60_000,
      250,
    );
    expect(terminated).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(terminated?.message).toContain('no-such-model-server');
    await kubectlOk(cluster, ['delete', 'deployment', 'nostart']);
  }, 90_000);

  it('removes a deleted pod’s container, and stopping leaves no process or container', async () => {
    await kubectlOk(cluster, ['delete', 'deployment', 'crasher']);
    await waitFor(
      'the crashing container to be removed',
      async () => (await ourContainers()).length === 1,
      30_000,
      250,
    );
    const pid = cluster.process!.pid;
    await cluster.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await ourContainers()).toEqual([]);
  }, 60_000);
});
