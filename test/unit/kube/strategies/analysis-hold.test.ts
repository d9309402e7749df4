import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../shared/common/logger.ts';
import { servingRevision } from '../../../../shared/kube/history.ts';
import { labelForRelease, manifestsHash } from '../../../../shared/kube/objects.ts';
import { ReleaseStore } from '../../../../shared/kube/release-store.ts';
import { analyseDuring } from '../../../../shared/kube/strategies/analysis-hold.ts';
import type { AnalysisTarget } from '../../../../shared/kube/strategies/analysis.ts';
import type { StrategyContext } from '../../../../shared/kube/strategies/context.ts';
import { RolloutStateStore } from '../../../../shared/kube/strategies/rollout-state.ts';
import { RolloutStopped, type StrategyRequest } from '../../../../shared/kube/strategies/types.ts';
import { releaseWorkload } from '../../../../shared/kube/strategies/workload.ts';
import {
  analysis,
  deployStable,
  quietLogger,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../../support/strategies-fixture.ts';

let world: StrategyWorld;
beforeAll(async () => {
  world = await startStrategyWorld({ crds: [] });
  // The stable version, its Service answering well in one namespace and wrongly in the other.
  await deployStable(world, 'iris', 'hold', 'cluster-ip');
  await world.cluster.registerServiceBackend('hold', 'iris', 80, world.good.url);
  await deployStable(world, 'iris', 'hold-wrong', 'cluster-ip');
  await world.cluster.registerServiceBackend('hold-wrong', 'iris', 80, world.wrong.url);
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const ERRORS = 'errors{namespace="hold"}';

async function context(ns: string, overrides: Partial<StrategyRequest>): Promise<StrategyContext> {
  const request = strategyRequest(world, {
    release: 'iris',
    namespace: ns,
    expose: 'cluster-ip',
    analysis: analysis({
      url: world.prometheus.url,
      checks: [
        {
          name: 'errors',
          query: 'errors{namespace="{{ namespace }}"}',
          operator: '<',
          threshold: 1,
        },
      ],
    }),
    ...overrides,
  });
  const store = new ReleaseStore(world.client, ns, 'iris');
  const records = await store.list();
  const serving = servingRevision(records)!;
  const objects = labelForRelease(request.objects, 'iris', ns);
  return {
    client: world.client,
    request,
    store,
    records,
    serving,
    objects,
    hash: manifestsHash(objects),
    stable: releaseWorkload(serving.manifests, 'iris'),
    next: releaseWorkload(objects, 'iris'),
    states: new RolloutStateStore(world.client, ns, 'iris'),
    resumeStep: 0,
  };
}

const target = (ns: string): AnalysisTarget => ({
  namespace: ns,
  service: 'iris',
  port: 80,
  release: 'iris',
  canaryDeployment: 'iris-canary',
  stableDeployment: 'iris',
});

/** A logger that calls `onLine` for each info line, after keeping it. */
function watching(onLine: (line: string) => void): Logger & { lines: string[] } {
  const logger = quietLogger();
  const info = logger.info;
  return { ...logger, info: (m) => (info(m), onLine(m)) };
}

describe('the analysis during a step’s hold', () => {
  it('runs once when the step does not hold', async () => {
    world.prometheus.answer(ERRORS, [0]);
    const before = world.prometheus.queries().length;
    const ctx = await context('hold', {});
    const results = await analyseDuring(ctx, 0, target('hold'));
    expect(results.map((r) => [r.passed, r.verdict])).toEqual([[true, 'passed']]);
    expect(results[0]!.metrics.map((m) => m.query)).toEqual([ERRORS]);
    expect(world.prometheus.queries().length).toBe(before + 1);
    expect((ctx.request.logger as ReturnType<typeof quietLogger>).lines).toContain(
      'analysis of iris: passed',
    );
  });

  it('repeats while the step holds and stops at the first failure', async () => {
    world.prometheus.answer(ERRORS, [0]);
    let passes = 0;
    const logger = watching((line) => {
      // After two good analyses the metric turns bad: the third must end the hold.
      if (line === 'analysis of iris: passed' && ++passes === 2)
        world.prometheus.answer(ERRORS, [5]);
    });
    const ctx = await context('hold', { logger, analysisIntervalMs: 50 });
    const results = await analyseDuring(ctx, 120_000, target('hold'));
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
    expect(results[2]!.verdict).toBe('errors is 5, expected < 1');
    expect(logger.lines).toContain('analysis of iris: FAILED: errors is 5, expected < 1');
  });

  it('returns the failed smoke test at once, however long the hold', async () => {
    world.prometheus.answer('errors{namespace="hold-wrong"}', [0]);
    const asked = world.wrong.inferences();
    const ctx = await context('hold-wrong', {});
    const results = await analyseDuring(ctx, 120_000, target('hold-wrong'));
    expect(results).toHaveLength(1);
    expect(results[0]!.passed).toBe(false);
    expect(results[0]!.smoke.passed).toBe(false);
    expect(results[0]!.verdict).toMatch(/wrong answer/);
    expect(world.wrong.inferences()).toBeGreaterThan(asked);
  });

  it('does not analyse at all once the stop signal has fired', async () => {
    const stop = new AbortController();
    stop.abort();
    const before = world.prometheus.queries().length;
    const ctx = await context('hold', { stopSignal: stop.signal });
    await expect(analyseDuring(ctx, 0, target('hold'))).rejects.toBeInstanceOf(RolloutStopped);
    expect(world.prometheus.queries().length).toBe(before);
  });

  it('ends the wait between analyses when the stop signal fires', async () => {
    world.prometheus.answer(ERRORS, [0]);
    const stop = new AbortController();
    // Stopped after the first analysis, during a wait that would otherwise last the whole hold.
    const logger = watching((line) => {
      if (line === 'analysis of iris: passed') stop.abort();
    });
    const ctx = await context('hold', {
      logger,
      stopSignal: stop.signal,
      analysisIntervalMs: 600_000,
    });
    await expect(analyseDuring(ctx, 600_000, target('hold'))).rejects.toBeInstanceOf(
      RolloutStopped,
    );
    expect(logger.lines.filter((l) => l.startsWith('analysis of iris'))).toEqual([
      'analysis of iris: passed',
    ]);
  });
});
