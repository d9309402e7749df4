import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrategy } from '../../../shared/kube/strategies/index.ts';
import type { KubeJson } from '../../support/deploy-fixture.ts';
import {
  deployStable,
  history,
  quietLogger,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../support/strategies-fixture.ts';

let world: StrategyWorld;
beforeAll(async () => {
  world = await startStrategyWorld({ crds: [] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

describe('canary without a traffic router (replica ratio)', () => {
  it('splits by replica counts behind the one Service, says it is approximate, and promotes', async () => {
    const ns = 'replicas';
    await deployStable(world, 'iris', ns, 'cluster-ip', 4);
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    const logger = quietLogger();
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'cluster-ip',
        replicas: 4,
        logger,
        steps: [
          { weight: 10, holdMs: 200 },
          { weight: 50, holdMs: 200 },
          { weight: 100, holdMs: 0 },
        ],
        onStep: async ({ step, weight }) => {
          const stable = await world.kubectl(ns, ['get', 'deployment', 'iris']);
          const canary = await world.kubectl(ns, ['get', 'deployment', 'iris-canary']);
          const endpoints = await world.kubectl(ns, ['get', 'endpoints', 'iris']);
          const pods = (endpoints.subsets ?? []).flatMap((s: KubeJson) =>
            (s.addresses ?? []).map((a: KubeJson) => a.targetRef.name as string),
          );
          seen.push({
            step,
            weight,
            stable: stable.spec.replicas,
            canary: canary.spec.replicas,
            canaryPodsBehindService: pods.filter((p: string) => p.startsWith('iris-canary-'))
              .length,
          });
        },
      }),
    );
    expect(outcome.router).toBe('replicas');
    expect(outcome.promoted).toBe(true);
    // 10% of 4 pods rounds to one canary pod: 25% is the closest split there is.
    expect(seen).toEqual([
      { step: 1, weight: 25, stable: 3, canary: 1, canaryPodsBehindService: 1 },
      { step: 2, weight: 50, stable: 2, canary: 2, canaryPodsBehindService: 2 },
      { step: 3, weight: 100, stable: 0, canary: 4, canaryPodsBehindService: 4 },
    ]);
    expect(outcome.steps.map((s) => [s.weight, s.actualWeight])).toEqual([
      [10, 25],
      [50, 50],
      [100, 100],
    ]);
    expect(logger.lines.join('\n')).toContain(
      'traffic-router replicas: the split is approximate, by replica counts: 1 new and 3 stable of 4 pods ≈ 25% for 10% asked',
    );
    const stable = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(stable.spec.replicas).toBe(4);
    expect(stable.spec.template.spec.containers[0].image).toBe(world.images.v2.digestRef);
    const names = (await world.kubectl(ns, ['get', 'deployments'])).items.map(
      (d: KubeJson) => d.metadata.name,
    );
    expect(names).toEqual(['iris']);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
  }, 120_000);

  it('on failure puts the stable replica count back before removing the canary', async () => {
    const ns = 'replicas-fail';
    await deployStable(world, 'iris', ns, 'cluster-ip', 4);
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.wrong.url);
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'cluster-ip',
        replicas: 4,
        steps: [
          { weight: 50, holdMs: 0 },
          { weight: 100, holdMs: 0 },
        ],
      }),
    );
    expect(outcome.promoted).toBe(false);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 50 });
    const stable = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(stable.spec.replicas).toBe(4);
    expect(stable.status.readyReplicas).toBe(4);
    expect(stable.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    const names = (await world.kubectl(ns, ['get', 'deployments'])).items.map(
      (d: KubeJson) => d.metadata.name,
    );
    expect(names).toEqual(['iris']);
  }, 120_000);
});
