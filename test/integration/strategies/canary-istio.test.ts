import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrategy } from '../../../shared/kube/strategies/index.ts';
import type { KubeJson } from '../../support/deploy-fixture.ts';
import {
  analysis,
  deployStable,
  history,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../support/strategies-fixture.ts';

let world: StrategyWorld;
beforeAll(async () => {
  world = await startStrategyWorld({ crds: ['istio'] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const ERRORS = 'sum(rate(requests_errors{namespace="istio-ns",deployment="iris-canary"}[1m]))';

const routeWeights = (vs: KubeJson) =>
  vs.spec.http[0].route.map((r: KubeJson) => ({
    host: r.destination.host,
    subset: r.destination.subset,
    weight: r.weight,
  }));

describe('canary through an Istio VirtualService', () => {
  it('splits the route between the stable host and the canary subset, with Prometheus checks at each step', async () => {
    const ns = 'istio-ns';
    await deployStable(world, 'iris', ns, 'istio');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    // The stable pods answer wrongly: the smoke part passes only if it asked the canary's.
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.wrong.url);
    world.prometheus.answer(ERRORS, [0.002, 0.004]);
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'istio',
        analysis: analysis({
          url: world.prometheus.url,
          checks: [
            {
              name: 'error rate',
              query:
                'sum(rate(requests_errors{namespace="{{ namespace }}",deployment="{{ canary }}"}[1m]))',
              operator: '<',
              threshold: 0.01,
            },
          ],
        }),
        onStep: async ({ step }) => {
          const vs = await world.kubectl(ns, ['get', 'virtualservice', 'iris']);
          const rule = await world.kubectl(ns, ['get', 'destinationrule', 'iris-canary']);
          seen.push({ step, route: routeWeights(vs), rule: rule.spec });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    const stableHost = 'iris.istio-ns.svc.cluster.local';
    const canaryHost = 'iris-canary.istio-ns.svc.cluster.local';
    expect(seen.map((s) => s.route)).toEqual(
      [10, 50, 100].map((w) => [
        { host: stableHost, weight: 100 - w },
        { host: canaryHost, subset: 'canary', weight: w },
      ]),
    );
    expect(seen[0].rule.host).toBe(canaryHost);
    expect(seen[0].rule.subsets[0].name).toBe('canary');
    expect(seen[0].rule.subsets[0].labels['model-deploy.io/track']).toBe('canary');
    // The query went out with the placeholders filled, once per analysis.
    const analyses = outcome.steps.reduce((n, s) => n + s.analyses.length, 0);
    expect(world.prometheus.queries().filter((q) => q === ERRORS)).toHaveLength(analyses);
    expect(outcome.steps[0]!.analyses[0]!.metrics[0]).toMatchObject({
      name: 'error rate',
      values: [0.002, 0.004],
      passed: true,
    });
    const vs = await world.kubectl(ns, ['get', 'virtualservice', 'iris']);
    expect(routeWeights(vs)).toEqual([{ host: stableHost }]);
    const rules = await world.kubectl(ns, ['get', 'destinationrules']);
    expect(rules.items).toEqual([]);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
  }, 120_000);

  it('withdraws the canary when a metric misses its condition', async () => {
    const ns = 'istio-metric';
    await deployStable(world, 'iris', ns, 'istio');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    // The stable pods answer wrongly: the smoke part passes only if it asked the canary's.
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.wrong.url);
    const query = 'sum(rate(requests_errors{deployment="iris-canary"}[1m]))';
    world.prometheus.answer(query, [0.05]);
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'istio',
        analysis: analysis({
          url: world.prometheus.url,
          checks: [
            {
              name: 'error rate',
              query: 'sum(rate(requests_errors{deployment="{{ canary }}"}[1m]))',
              operator: '<',
              threshold: 0.01,
            },
          ],
        }),
      }),
    );
    expect(outcome.promoted).toBe(false);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 10 });
    expect(outcome.aborted!.verdict).toBe('analysis failed: error rate is 0.05, expected < 0.01');
    // The smoke part passed; only the metric failed.
    expect(outcome.steps[0]!.analyses[0]!.smoke.passed).toBe(true);
    const vs = await world.kubectl(ns, ['get', 'virtualservice', 'iris']);
    expect(vs.spec.http[0].route).toHaveLength(1);
    expect((await world.kubectl(ns, ['get', 'destinationrules'])).items).toEqual([]);
  }, 120_000);
});
