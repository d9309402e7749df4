import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import type { KubeJson } from '../../support/kube/api-client.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { isAlive, waitFor } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

/**
 * Real pods: a kubelet (built from the same Kubernetes module) with Debian's
 * containerd, runc and CNI bridge, pulling images from the test registry.
 */
let registry: LocalRegistry;
let image: PushedImage;
let cluster: KubeCluster;
const NS = 'real';

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushBusyboxImage(registry, 'models/httpd', 'v1');
  cluster = await startCluster({ pods: 'real', registryHosts: [registry.host] });
  console.log(`cluster with a real node ready in ${cluster.timings.totalMs} ms`);
  await cluster.kubectl(['create', 'namespace', NS]);
}, 3_600_000);

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
});

function pod(name: string, container: object, extra: object = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: image.digestRef, ...container }],
      ...extra,
    },
  });
}

async function waitForPod(
  name: string,
  what: string,
  check: (p: KubeJson) => boolean,
): Promise<KubeJson> {
  let found: KubeJson;
  await waitFor(
    `${name}: ${what}`,
    async () => {
      const p = await cluster.kubectlJson(['-n', NS, 'get', 'pod', name]);
      if (!check(p)) return false;
      found = p;
      return true;
    },
    90_000,
    250,
  );
  return found;
}

const status = (p: KubeJson) => p.status?.containerStatuses?.[0];

describe('real pods on a kubelet node', () => {
  it('runs a Deployment whose pods the service proxy and kubectl logs reach', async () => {
    const started = Date.now();
    await cluster.apply(
      stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: NS },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'model',
                  image: image.digestRef,
                  command: [
                    'sh',
                    '-c',
                    'mkdir -p /www && echo "model $MODEL_NAME ready" > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www',
                  ],
                  env: [{ name: 'MODEL_NAME', value: 'ranker' }],
                  ports: [{ name: 'http', containerPort: 8080 }],
                  readinessProbe: {
                    httpGet: { path: '/index.html', port: 'http' },
                    periodSeconds: 1,
                  },
                },
              ],
            },
          },
        },
      }),
    );
    await cluster.kubectl(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=120s']);
    console.log(`real pod ready ${Date.now() - started} ms after the Deployment was applied`);
    await cluster.apply(
      stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: NS },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      }),
    );
    let body = '';
    await waitFor('the service proxy to reach the pod', async () => {
      body = await cluster.kubectl([
        'get',
        '--raw',
        `/api/v1/namespaces/${NS}/services/web:80/proxy/index.html`,
      ]);
      return true;
    });
    expect(body.trim()).toBe('model ranker ready');
    const [p] = (await cluster.kubectlJson(['-n', NS, 'get', 'pods', '-l', 'app=web'])).items;
    expect(p.spec.nodeName).toBe('kubelet-0');
    expect(status(p).imageID).toBe(image.digestRef);
    expect(status(p).containerID).toMatch(/^containerd:\/\//);
    expect(p.status.podIP.startsWith(cluster.subnet.kubeletPodCidr.split('0/24')[0])).toBe(true);
    expect(await cluster.kubectl(['-n', NS, 'logs', p.metadata.name])).toContain('serving');
  });

  it('reports a container that exits as CrashLoopBackOff with its exit code', async () => {
    await cluster.apply(pod('crash', { command: ['sh', '-c', 'echo failing; exit 3'] }));
    const crashed = await waitForPod('crash', 'a restart', (p) => status(p)?.restartCount >= 1);
    expect(status(crashed).lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    await waitForPod(
      'crash',
      'CrashLoopBackOff',
      (p) => status(p)?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
  });

  it('reports a container over its memory limit as OOMKilled', async () => {
    await cluster.apply(
      pod('oom', {
        command: ['sh', '-c', 'x=$(head -c 67108864 /dev/zero | tr "\\0" x); sleep 3600'],
        resources: { limits: { memory: '16Mi' } },
      }),
    );
    const killed = await waitForPod(
      'oom',
      'an OOM kill',
      (p) =>
        status(p)?.lastState?.terminated !== undefined ||
        status(p)?.state?.terminated !== undefined,
    );
    const terminated = status(killed).lastState?.terminated ?? status(killed).state.terminated;
    expect(terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });

  it("reports an image the registry does not have as ErrImagePull or ImagePullBackOff, with containerd's error", async () => {
    const missing = `${registry.host}/models/httpd@sha256:${'0'.repeat(64)}`;
    await cluster.apply(
      stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'pull', namespace: NS },
        spec: { containers: [{ name: 'main', image: missing }] },
      }),
    );
    const waiting = await waitForPod('pull', 'a pull error', (p) =>
      ['ErrImagePull', 'ImagePullBackOff'].includes(status(p)?.state?.waiting?.reason),
    );
    expect(waiting.status.phase).toBe('Pending');
    const events = await cluster.kubectlJson([
      '-n',
      NS,
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=pull,reason=Failed',
    ]);
    expect(events.items.map((e: KubeJson) => e.message).join('\n')).toContain('not found');
  });

  it('stop() ends every process, container and mount of the node', async () => {
    const pids = cluster.pids();
    const kubeletDir = cluster.logDir.replace(/\/logs$/, '');
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    expect(mounts).not.toContain(kubeletDir);
    const shims = (await import('node:fs'))
      .readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => {
        try {
          return readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(kubeletDir);
        } catch {
          return false;
        }
      });
    expect(shims).toEqual([]);
  });
});
