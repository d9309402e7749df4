import { describe, expect, it } from 'vitest';
import type { KubeApis } from '../../../shared/kube/apis.ts';
import type { KubeClient } from '../../../shared/kube/client.ts';
import { KubeApiError } from '../../../shared/kube/http.ts';
import type { KubeObject } from '../../../shared/kube/objects.ts';
import {
  confirmRevisionTraffic,
  waitForRevisionTraffic,
} from '../../../shared/kube/service-endpoints.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warning: (m: string) => warnings.push(m), warnings };
}

const pod = (name: string, hash: string, owner: string, deleting = false) => ({
  metadata: {
    name,
    labels: { app: 'iris', 'pod-template-hash': hash },
    ownerReferences: [{ kind: 'ReplicaSet', name: `${owner}-${hash}` }],
    ...(deleting ? { deletionTimestamp: '2026-11-30T00:00:00Z' } : {}),
  },
});
const endpoint = (name: string, ready = true) => ({
  conditions: { ready },
  targetRef: { kind: 'Pod', name },
});

/**
 * A cluster mid-rollout: iris's old pod (hash aaa) is still a ready endpoint
 * of Service iris for `leavesAfter` reads, beside the new pod (hash bbb) and
 * a pod of another Deployment the Service also selects.
 */
function cluster(
  leavesAfter: number,
  options: { failWith?: Error; newReady?: boolean; oldPodGone?: boolean } = {},
) {
  let reads = 0;
  const asked: string[] = [];
  const apis = {
    objects: {
      list: async (apiVersion: string, kind: string, o: { labelSelector?: string }) => {
        if (options.failWith) throw options.failWith;
        asked.push(`${apiVersion} ${kind} ${o.labelSelector}`);
        reads++;
        const gone = reads > leavesAfter;
        const endpoints = [
          endpoint('iris-bbb-1', options.newReady ?? true),
          endpoint('iris-aaa-1', !gone),
          endpoint('other-ccc-1'),
        ];
        return {
          items: [
            { metadata: { labels: { 'kubernetes.io/service-name': 'iris' } }, endpoints },
            {
              metadata: { labels: { 'kubernetes.io/service-name': 'unrelated' } },
              endpoints: [endpoint('iris-aaa-1')],
            },
          ],
        };
      },
    },
    core: {
      listNamespacedPod: async (p: { labelSelector: string }) => {
        asked.push(`pods ${p.labelSelector}`);
        return {
          items: [
            pod('iris-bbb-1', 'bbb', 'iris'),
            ...(options.oldPodGone ? [] : [pod('iris-aaa-1', 'aaa', 'iris', reads <= leavesAfter)]),
            pod('other-ccc-1', 'ccc', 'other'),
          ],
        };
      },
    },
  } as unknown as KubeApis;
  const fake = {
    connection: { displayName: 'kubeconfig:test' },
    call: async <T>(body: (a: KubeApis) => Promise<T>) => body(apis),
  } as unknown as KubeClient;
  return { fake, asked, reads: () => reads };
}

const wait = {
  namespace: 'models',
  deployment: 'iris',
  hash: 'bbb',
  services: [{ name: 'iris', selector: { app: 'iris' } }],
  expectServing: true,
  pollMs: 1,
};

describe('waitForRevisionTraffic', () => {
  it('waits until the old pods are off the Service, ignoring pods of other Deployments', async () => {
    const { fake, asked, reads } = cluster(3);
    await expect(waitForRevisionTraffic(fake, { ...wait, timeoutMs: 60_000 })).resolves.toEqual([]);
    expect(reads()).toBe(4);
    expect(asked).toContain(
      'discovery.k8s.io/v1 EndpointSlice kubernetes.io/service-name in (iris)',
    );
    expect(asked).toContain('pods app=iris');
  });

  it('names the old pods still taking traffic at its deadline', async () => {
    const { fake } = cluster(Number.POSITIVE_INFINITY);
    await expect(waitForRevisionTraffic(fake, { ...wait, timeoutMs: 0 })).resolves.toEqual([
      'Service iris still sends traffic to iris-aaa-1',
    ]);
  });

  it('counts a pod already deleted but still listed as ready as old', async () => {
    const { fake } = cluster(Number.POSITIVE_INFINITY, { oldPodGone: true });
    await expect(waitForRevisionTraffic(fake, { ...wait, timeoutMs: 0 })).resolves.toEqual([
      'Service iris still sends traffic to iris-aaa-1',
    ]);
  });

  it('wants a ready endpoint on the new pods when the new ReplicaSet has replicas', async () => {
    const { fake } = cluster(0, { newReady: false });
    await expect(waitForRevisionTraffic(fake, { ...wait, timeoutMs: 0 })).resolves.toEqual([
      'Service iris has no ready endpoint on the new pods',
    ]);
    const scaledToZero = cluster(0, { newReady: false });
    await expect(
      waitForRevisionTraffic(scaledToZero.fake, { ...wait, expectServing: false, timeoutMs: 0 }),
    ).resolves.toEqual([]);
  });
});

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'iris', namespace: 'models' },
  spec: {
    selector: { matchLabels: { app: 'iris' } },
    template: { metadata: { labels: { app: 'iris', version: '2' } } },
  },
};
const service = (name: string, selector?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'models' },
  spec: selector ? { selector } : {},
});
const objects = [
  deployment,
  service('iris', { app: 'iris' }),
  service('iris-v1', { app: 'iris', version: '1' }),
  service('external'),
];

describe('confirmRevisionTraffic', () => {
  it("waits on the Services that select the Deployment's pods, and says nothing when they follow", async () => {
    const { fake, asked } = cluster(1);
    const logger = recordingLogger();
    await confirmRevisionTraffic(
      fake,
      objects,
      deployment,
      { podTemplateHash: 'bbb', readyReplicas: 1 },
      { namespace: 'models', logger, timeoutMs: 60_000 },
    );
    expect(asked[0]).toBe('discovery.k8s.io/v1 EndpointSlice kubernetes.io/service-name in (iris)');
    expect(logger.warnings).toEqual([]);
  });

  it('warns, without failing the release, when traffic has not moved by the deadline', async () => {
    const { fake } = cluster(Number.POSITIVE_INFINITY);
    const logger = recordingLogger();
    await confirmRevisionTraffic(
      fake,
      objects,
      deployment,
      { podTemplateHash: 'bbb', readyReplicas: 1 },
      { namespace: 'models', logger, timeoutMs: 0 },
    );
    expect(logger.warnings.join('\n')).toMatch(
      /Service iris still sends traffic to iris-aaa-1: requests sent right after this deploy may still reach the previous version/,
    );
  });

  it('warns when the endpoints cannot be read, and names what deploy needs', async () => {
    const { fake } = cluster(0, {
      failWith: new KubeApiError(403, 'GET', '/x', '{"message":"no"}', {}),
    });
    const logger = recordingLogger();
    await confirmRevisionTraffic(
      fake,
      objects,
      deployment,
      { podTemplateHash: 'bbb', readyReplicas: 1 },
      { namespace: 'models', logger, timeoutMs: 0 },
    );
    expect(logger.warnings.join('\n')).toMatch(
      /Service models\/iris.*403.*could not confirm that traffic left the previous pods \(it lists endpointslices in discovery\.k8s\.io\)/s,
    );
  });

  it('looks at nothing without a ReplicaSet hash or a Service that selects the pods', async () => {
    const { fake, asked } = cluster(0);
    const logger = recordingLogger();
    const options = { namespace: 'models', logger, timeoutMs: 0 };
    await confirmRevisionTraffic(fake, objects, deployment, { readyReplicas: 1 }, options);
    await confirmRevisionTraffic(
      fake,
      [deployment, service('iris-v1', { app: 'iris', version: '1' })],
      deployment,
      { podTemplateHash: 'bbb', readyReplicas: 1 },
      options,
    );
    expect(asked).toEqual([]);
  });
});
