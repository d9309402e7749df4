import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RolloutStopped, runStrategy } from '../../../shared/kube/strategies/index.ts';
import type { KubeJson } from '../../support/deploy-fixture.ts';
import {
  deployStable,
  history,
  quietLogger,
  render,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../support/strategies-fixture.ts';

let world: StrategyWorld;
beforeAll(async () => {
  world = await startStrategyWorld({ crds: ['gateway-api'] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const STEPS = [
  { weight: 10, holdMs: 200 },
  { weight: 50, holdMs: 60_000 },
  { weight: 100, holdMs: 0 },
];

const weights = async (ns: string) =>
  Object.fromEntries(
    (await world.kubectl(ns, ['get', 'httproute', 'iris'])).spec.rules[0].backendRefs.map(
      (r: KubeJson) => [r.name, r.weight],
    ),
  );

/** Runs a canary and cancels it as it reaches 50%, as a cancelled job leaves it. */
async function cancelAtHalf(ns: string): Promise<void> {
  const stop = new AbortController();
  const run = runStrategy(
    world.client,
    strategyRequest(world, {
      release: 'iris',
      namespace: ns,
      expose: 'gateway',
      steps: STEPS,
      holder: 'run 1',
      stopSignal: stop.signal,
      onStep: ({ weight }) => {
        if (weight === 50) stop.abort();
      },
    }),
  );
  await expect(run).rejects.toBeInstanceOf(RolloutStopped);
  const state = await world.kubectl(ns, ['get', 'configmap', 'model-deploy.iris.rollout']);
  expect(JSON.parse(state.data.state)).toMatchObject({
    strategy: 'canary',
    router: 'gateway',
    step: 1,
    weight: 50,
    phase: 'progressing',
    holder: 'run 1',
  });
  expect(await weights(ns)).toEqual({ iris: 50, 'iris-canary': 50 });
}

describe('a canary cancelled mid-way, then run again', () => {
  it('resumes at the step it reached when the same version is deployed again', async () => {
    const ns = 'resume';
    await deployStable(world, 'iris', ns, 'gateway');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    await cancelAtHalf(ns);
    const steps: number[] = [];
    const logger = quietLogger();
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'gateway',
        steps: STEPS.map((s) => ({ ...s, holdMs: Math.min(s.holdMs, 200) })),
        holder: 'run 2',
        logger,
        onStep: ({ step }) => void steps.push(step),
      }),
    );
    expect(outcome.recovered).toBe(
      `resumed the unfinished canary of ${world.images.v2.digestRef} left by run 1 at step 2`,
    );
    expect(steps).toEqual([2, 3]);
    // The reason first, so a failed promotion says why.
    expect(outcome.release.failure).toBeUndefined();
    expect(outcome.promoted).toBe(true);
    expect(await weights(ns)).toEqual({ iris: 1 });
    expect(
      (await world.kubectl(ns, ['get', 'configmaps'])).items.map((c: KubeJson) => c.metadata.name),
    ).not.toContain('model-deploy.iris.rollout');
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
  }, 120_000);

  it('withdraws the unfinished canary when another version comes next', async () => {
    const ns = 'withdraw';
    await deployStable(world, 'iris', ns, 'gateway');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    await cancelAtHalf(ns);
    const logger = quietLogger();
    // The next run deploys the version that is serving: nothing new, but the leftover must go.
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'gateway',
        holder: 'run 2',
        logger,
        objects: render('iris', ns, world.images.v1.digestRef, 'gateway'),
        image: world.images.v1.digestRef,
      }),
    );
    expect(outcome.recovered).toBe(
      `withdrew the unfinished canary of ${world.images.v2.digestRef} left by run 1`,
    );
    expect(logger.lines.join('\n')).toContain(
      `warning: found an unfinished canary of ${world.images.v2.digestRef} left by run 1 at step 2 (progressing): withdrawing it`,
    );
    expect(outcome.release.status).toBe('unchanged');
    expect(await weights(ns)).toEqual({ iris: 1 });
    const names = (await world.kubectl(ns, ['get', 'deployments,services'])).items.map(
      (o: KubeJson) => `${o.kind}/${o.metadata.name}`,
    );
    expect(names.sort()).toEqual(['Deployment/iris', 'Service/iris']);
    const stable = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(stable.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed' });
  }, 120_000);

  it('keeps a second run out while the first holds the release lock', async () => {
    const ns = 'two-runs';
    await deployStable(world, 'iris', ns, 'gateway');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    const order: string[] = [];
    let second: Promise<unknown> | undefined;
    const secondLogger = quietLogger();
    const first = runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'gateway',
        holder: 'run 1',
        onStep: async ({ step }) => {
          order.push(`run 1 step ${step}`);
          if (step === 1) {
            second = runStrategy(
              world.client,
              strategyRequest(world, {
                release: 'iris',
                namespace: ns,
                expose: 'gateway',
                holder: 'run 2',
                logger: secondLogger,
                onStep: ({ step: s }) => void order.push(`run 2 step ${s}`),
              }),
            );
          }
        },
      }),
    );
    const outcome = await first;
    expect(outcome.promoted).toBe(true);
    const later = (await second) as Awaited<typeof first>;
    expect(order).toEqual(['run 1 step 1', 'run 1 step 2', 'run 1 step 3']);
    expect(secondLogger.lines.join('\n')).toContain('waiting for run 1 to finish deploying iris');
    // The second run found the same version already serving.
    expect(later.release.status).toBe('unchanged');
    expect(later.release.waitedFor).toBe('run 1');
  }, 120_000);
});
