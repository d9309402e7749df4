import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import type { KubeApis } from '../../../shared/kube/apis.ts';
import type { KubeClient } from '../../../shared/kube/client.ts';
import { watchRollout } from '../../../shared/kube/rollout.ts';

/**
 * How a rollout is looked at: the first look reads the Deployment for its
 * selector, every later one reads the Deployment, its ReplicaSets and its pods
 * at once. A fake API records which reads were in flight together.
 */
function rollingCluster(completeAfterLooks: number) {
  let looks = 0;
  const inFlight = new Set<string>();
  const together: string[][] = [];
  const read = async <T>(name: string, answer: () => T): Promise<T> => {
    inFlight.add(name);
    together.push([...inFlight].sort());
    // Every read waits a turn, so reads sent side by side overlap.
    await new Promise((resolve) => setImmediate(resolve));
    inFlight.delete(name);
    return answer();
  };
  const deployment = () => {
    looks += 1;
    const done = looks >= completeAfterLooks;
    return {
      metadata: {
        name: 'iris',
        generation: 2,
        annotations: { 'deployment.kubernetes.io/revision': '2' },
      },
      spec: { replicas: 1, selector: { matchLabels: { app: 'iris' } } },
      status: {
        observedGeneration: 2,
        replicas: done ? 1 : 2,
        updatedReplicas: 1,
        availableReplicas: 1,
        readyReplicas: 1,
      },
    };
  };
  const replicaSet = (hash: string, revision: string) => ({
    metadata: {
      name: `iris-${hash}`,
      labels: { app: 'iris', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': revision },
    },
  });
  const pod = (name: string, hash: string, waiting?: string) => ({
    metadata: { name, labels: { app: 'iris', 'pod-template-hash': hash } },
    status: {
      phase: 'Running',
      containerStatuses: [
        waiting
          ? {
              name: 'server',
              ready: false,
              restartCount: 3,
              state: { waiting: { reason: waiting } },
            }
          : { name: 'server', ready: true, restartCount: 0, state: { running: {} } },
      ],
    },
  });
  const selectors: string[] = [];
  const apis = {
    apps: {
      readNamespacedDeployment: () => read('deployment', deployment),
      listNamespacedReplicaSet: (p: { labelSelector: string }) => {
        selectors.push(p.labelSelector);
        return read('replicasets', () => ({
          items: [replicaSet('old', '1'), replicaSet('new', '2')],
        }));
      },
    },
    core: {
      listNamespacedPod: (p: { labelSelector: string }) => {
        selectors.push(p.labelSelector);
        return read('pods', () => ({
          // The old ReplicaSet's pod is crash-looping: it is not this rollout's problem.
          items: [pod('iris-old-1', 'old', 'CrashLoopBackOff'), pod('iris-new-1', 'new')],
        }));
      },
    },
  } as unknown as KubeApis;
  const client = {
    connection: { displayName: 'kubeconfig:test' },
    call: async <T>(body: (a: KubeApis) => Promise<T>) => body(apis),
  } as unknown as KubeClient;
  return { client, together, selectors, looks: () => looks };
}

describe('watchRollout reads', () => {
  it('reads the Deployment, its ReplicaSets and its pods side by side after the first look', async () => {
    const world = rollingCluster(3);
    const outcome = await watchRollout(world.client, {
      namespace: 'models',
      deployment: 'iris',
      timeoutMs: 60_000,
      pollMs: 1,
      hopelessAfterMs: 0,
      logger: silentLogger,
    });
    expect(outcome).toMatchObject({ ok: true, podTemplateHash: 'new', readyReplicas: 1 });
    expect(world.looks()).toBe(3);
    // First look: the Deployment alone, then its two lists together.
    expect(world.together[0]).toEqual(['deployment']);
    // Later looks: all three in flight at once.
    expect(world.together).toContainEqual(['deployment', 'pods', 'replicasets']);
    expect(new Set(world.selectors)).toEqual(new Set(['app=iris']));
  });

  it("judges only the new ReplicaSet's pods: an old pod's crash loop does not fail the rollout", async () => {
    const world = rollingCluster(4);
    const outcome = await watchRollout(world.client, {
      namespace: 'models',
      deployment: 'iris',
      timeoutMs: 60_000,
      pollMs: 1,
      // A hopeless pod of this rollout would fail it at once.
      hopelessAfterMs: 0,
      logger: silentLogger,
    });
    expect(outcome.ok).toBe(true);
  });
});
