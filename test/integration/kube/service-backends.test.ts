import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeJson } from '../../support/kube/api-client.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { waitFor } from '../../support/processes.ts';

/**
 * registerServiceBackend when kwok gives a freed pod IP to the next pod (it
 * takes a recycled address before a new one): the next pod's Service must
 * answer from its own backend, not through a connection the API server's
 * proxy kept alive to the same address for the pod before. The progressive
 * delivery tests meet this at every step (a canary's pods come and go).
 * Its own cluster: with one pod deleted, its address is the only one kwok
 * can give again, so the reuse is certain.
 */
let cluster: KubeCluster;
const servers: Server[] = [];
const NS = 'backends';

beforeAll(async () => {
  cluster = await startCluster();
  await cluster.kubectl(['create', 'namespace', NS]);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  for (const server of servers) server.close();
  for (const server of servers) server.closeAllConnections();
});

async function answering(text: string): Promise<string> {
  const server = createServer((_req, res) => res.end(text));
  // Model servers keep idle connections open far longer than Node's default 5 s.
  server.keepAliveTimeout = 120_000;
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function app(name: string): string {
  const labels = { app: name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              { name: 'model', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NS },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ]
    .map((doc) => stringify(doc))
    .join('---\n');
}

const proxied = (service: string) =>
  cluster.kubectl(['get', '--raw', `/api/v1/namespaces/${NS}/services/${service}:80/proxy/`]);

async function readyPodIp(name: string): Promise<string> {
  let ip = '';
  await waitFor(`a ready pod of ${name}`, async () => {
    const pods = (await cluster.kubectlJson(['-n', NS, 'get', 'pods', '-l', `app=${name}`])).items;
    const ready = pods.find((p: KubeJson) =>
      (p.status?.conditions ?? []).some((c: KubeJson) => c.type === 'Ready' && c.status === 'True'),
    );
    ip = ready?.status.podIP ?? '';
    return ip !== '';
  });
  return ip;
}

describe('service backends of simulated pods', () => {
  it('send a pod that reuses a freed IP to its own Service’s backend', async () => {
    await cluster.apply(app('first'));
    await cluster.registerServiceBackend(NS, 'first', 80, await answering('first backend'));
    const firstIp = await readyPodIp('first');
    // The proxy now holds a kept-alive connection to firstIp:8080.
    let body = '';
    await waitFor('the first Service to answer', async () => {
      body = await proxied('first');
      return true;
    });
    expect(body).toBe('first backend');

    await cluster.kubectl(['-n', NS, 'delete', 'deployment', 'first', '--wait']);
    await waitFor(
      'the first pod to be gone',
      async () =>
        (await cluster.kubectlJson(['-n', NS, 'get', 'pods', '-l', 'app=first'])).items.length ===
        0,
    );
    await cluster.apply(app('second'));
    await cluster.registerServiceBackend(NS, 'second', 80, await answering('second backend'));
    expect(await readyPodIp('second')).toBe(firstIp);
    await waitFor('the second Service to answer', async () => {
      body = await proxied('second');
      return true;
    });
    expect(body).toBe('second backend');
  }, 90_000);
});
