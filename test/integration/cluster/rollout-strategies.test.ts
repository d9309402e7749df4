import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LocalCluster } from '../../support/kube-cluster/index.ts';
import type { ClusterApi } from '../../support/kube-cluster/api.ts';
import { waitFor } from '../../support/processes.ts';

/**
 * The Deployment controller's rolling update, observed through every pod
 * change in the store: surge and unavailability stay within bounds.
 */
let cluster: LocalCluster;
let api: ClusterApi;

beforeAll(async () => {
  cluster = await startCluster();
  api = cluster.inProcess!.api;
});

afterAll(async () => {
  await cluster?.stop();
});

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function deployment(name: string, version: string, strategy: Obj, extra: Obj = {}): Obj {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 3,
      strategy,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name },
          annotations: { 'test-double.model-deploy/ready-after': '150ms' },
        },
        spec: { containers: [{ name: 'app', image: `busybox:${version}` }] },
      },
      ...extra,
    },
  };
}

/** Records, at every pod change, how many pods exist and how many are Ready, per image. */
function observePods(app: string) {
  const live = new Map<string, { image: string; ready: boolean }>();
  const samples: Array<{ total: number; ready: number; images: Set<string> }> = [];
  const isReady = (pod: Obj) =>
    (pod.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
  for (const pod of api.list(api.type('', 'Pod'), 'default', { labelSelector: `app=${app}` })
    .items as Obj[]) {
    live.set(pod.metadata.name, { image: pod.spec.containers[0].image, ready: isReady(pod) });
  }
  const unsubscribe = api.store.subscribe((event) => {
    if (event.resourceType.kind !== 'Pod') return;
    const pod = event.object as Obj;
    if (pod.metadata.labels?.app !== app) return;
    if (event.type === 'DELETED') live.delete(pod.metadata.name);
    else {
      const ready = (pod.status?.conditions ?? []).some(
        (c: Obj) => c.type === 'Ready' && c.status === 'True',
      );
      live.set(pod.metadata.name, { image: pod.spec.containers[0].image, ready });
    }
    const values = [...live.values()];
    samples.push({
      total: values.length,
      ready: values.filter((v) => v.ready).length,
      images: new Set(values.map((v) => v.image)),
    });
  });
  return { samples, unsubscribe };
}

async function rolledOut(name: string, image: string): Promise<void> {
  const t = api.type('apps', 'Deployment');
  await waitFor(
    `${name} rolled out to ${image}`,
    async () => {
      const d = api.get(t, 'default', name) as Obj;
      const s = d.status ?? {};
      return (
        d.spec.template.spec.containers[0].image === image &&
        s.observedGeneration >= d.metadata.generation &&
        s.updatedReplicas === 3 &&
        s.replicas === 3 &&
        s.availableReplicas === 3
      );
    },
    20_000,
    50,
  );
}

function update(name: string, version: string): void {
  api.mutate(
    api.type('apps', 'Deployment'),
    'default',
    name,
    (d) => {
      ((d.spec as Obj).template.spec.containers[0] as Obj).image = `busybox:${version}`;
    },
    { manager: 'test' },
  );
}

describe('Deployment rollouts in the test double cluster', () => {
  it('never exceeds replicas with maxSurge 0 and keeps replicas-1 ready with maxUnavailable 1', async () => {
    const t = api.type('apps', 'Deployment');
    api.create(
      t,
      'default',
      deployment('nosurge', '1', {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
      }),
      { manager: 'test' },
    );
    await rolledOut('nosurge', 'busybox:1');
    const { samples, unsubscribe } = observePods('nosurge');
    update('nosurge', '2');
    await rolledOut('nosurge', 'busybox:2');
    unsubscribe();
    expect(samples.length).toBeGreaterThan(5);
    expect(Math.max(...samples.map((s) => s.total))).toBeLessThanOrEqual(3);
    expect(Math.min(...samples.map((s) => s.ready))).toBeGreaterThanOrEqual(2);
  });

  it('surges by one and never drops below replicas ready with maxSurge 1, maxUnavailable 0', async () => {
    const t = api.type('apps', 'Deployment');
    api.create(
      t,
      'default',
      deployment('surge', '1', {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      }),
      { manager: 'test' },
    );
    await rolledOut('surge', 'busybox:1');
    const { samples, unsubscribe } = observePods('surge');
    update('surge', '2');
    await rolledOut('surge', 'busybox:2');
    unsubscribe();
    expect(Math.max(...samples.map((s) => s.total))).toBe(4);
    expect(Math.min(...samples.map((s) => s.ready))).toBeGreaterThanOrEqual(3);
  });

  it('Recreate removes every old pod before any new one starts', async () => {
    const t = api.type('apps', 'Deployment');
    api.create(t, 'default', deployment('recreate', '1', { type: 'Recreate' }), {
      manager: 'test',
    });
    await rolledOut('recreate', 'busybox:1');
    const { samples, unsubscribe } = observePods('recreate');
    update('recreate', '2');
    await rolledOut('recreate', 'busybox:2');
    unsubscribe();
    expect(samples.some((s) => s.total === 0)).toBe(true);
    expect(samples.every((s) => s.images.size <= 1)).toBe(true);
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const t = api.type('apps', 'Deployment');
    api.create(
      t,
      'default',
      deployment('history', '1', { type: 'RollingUpdate' }, { revisionHistoryLimit: 1 }),
      { manager: 'test' },
    );
    await rolledOut('history', 'busybox:1');
    for (const v of ['2', '3', '4']) {
      update('history', v);
      await rolledOut('history', `busybox:${v}`);
    }
    await waitFor(
      'old ReplicaSets pruned',
      async () =>
        api.list(api.type('apps', 'ReplicaSet'), 'default', { labelSelector: 'app=history' }).items
          .length === 2,
      10_000,
      50,
    );
    const revisions = api
      .list(api.type('apps', 'ReplicaSet'), 'default', { labelSelector: 'app=history' })
      .items.map((rs) => (rs.metadata as Obj).annotations['deployment.kubernetes.io/revision'])
      .sort();
    expect(revisions).toEqual(['3', '4']);
  });
});
