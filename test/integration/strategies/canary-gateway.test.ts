import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { Agent } from 'undici';
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
  world = await startStrategyWorld({ crds: ['gateway-api'] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const backendWeights = (route: KubeJson) =>
  Object.fromEntries(route.spec.rules[0].backendRefs.map((r: KubeJson) => [r.name, r.weight]));

/** What the stable Service answers through the API server's service proxy. */
async function stableAnswers(namespace: string, service: string): Promise<number> {
  const dispatcher = new Agent({ connect: { ca: world.cluster.caPem } });
  try {
    const response = await request(
      `${world.cluster.server}/api/v1/namespaces/${namespace}/services/${service}:80/proxy/v2/health/ready`,
      { headers: { authorization: `Bearer ${world.cluster.token}` }, dispatcher },
    );
    await response.body.dump();
    return response.statusCode;
  } finally {
    await dispatcher.close();
  }
}

describe('canary through a Gateway API HTTPRoute', () => {
  it('moves the weights step by step, analyses the canary at each, and promotes it', async () => {
    const ns = 'canary-gw';
    await deployStable(world, 'iris', ns, 'gateway');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    // The stable pods answer wrongly: an analysis that reached them instead of the canary's fails.
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.wrong.url);
    const seen: Array<{
      step: number;
      weight: number;
      route: Record<string, unknown>;
      canaryReplicas: number;
    }> = [];
    const served = world.good.inferences();
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        release: 'iris',
        namespace: ns,
        expose: 'gateway',
        replicas: 4,
        onStep: async ({ step, weight }) => {
          const route = await world.kubectl(ns, ['get', 'httproute', 'iris']);
          const canary = await world.kubectl(ns, ['get', 'deployment', 'iris-canary']);
          seen.push({
            step,
            weight,
            route: backendWeights(route),
            canaryReplicas: canary.spec.replicas,
          });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    expect(outcome.step).toBe(3);
    expect(seen).toEqual([
      { step: 1, weight: 10, route: { iris: 90, 'iris-canary': 10 }, canaryReplicas: 1 },
      { step: 2, weight: 50, route: { iris: 50, 'iris-canary': 50 }, canaryReplicas: 2 },
      { step: 3, weight: 100, route: { iris: 0, 'iris-canary': 100 }, canaryReplicas: 4 },
    ]);
    // Every step ran the checked inference and the load against the canary.
    expect(outcome.steps.map((s) => s.verdict)).toEqual(['passed', 'passed', 'passed']);
    expect(outcome.steps[0]!.analyses.length).toBeGreaterThanOrEqual(1);
    expect(outcome.steps[0]!.analyses[0]!.smoke.requests).toBe(10);
    expect(world.good.inferences() - served).toBeGreaterThanOrEqual(3 * 11);
    // Promoted: the stable Deployment runs the new image, the route has one backend again.
    const stable = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(stable.spec.template.spec.containers[0].image).toBe(world.images.v2.digestRef);
    expect(stable.spec.replicas).toBe(4);
    // The release's own route again: one backendRef, which the Gateway API CRD defaults to
    // weight 1 (a lone backend gets all the traffic whatever its weight).
    const route = await world.kubectl(ns, ['get', 'httproute', 'iris']);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'iris', port: 80, weight: 1 },
    ]);
    const leftovers = await world.kubectl(ns, ['get', 'deployments,services,configmaps']);
    expect(
      leftovers.items
        .map((o: KubeJson) => `${o.kind}/${o.metadata.name}`)
        .filter((n: string) => n !== 'ConfigMap/kube-root-ca.crt')
        .sort(),
    ).toEqual(['Deployment/iris', 'Service/iris']);
    // Recorded like any release, so rollback-to previous works across strategies.
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
    expect(outcome.release).toMatchObject({ status: 'deployed', revision: 2, previousRevision: 1 });
  }, 120_000);

  it('withdraws a canary whose analysis fails at 10%: stable untouched and still serving', async () => {
    const ns = 'canary-fail';
    await deployStable(world, 'iris', ns, 'gateway');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.wrong.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const before = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    const logger = quietLogger();
    const asked = { wrong: world.wrong.inferences(), good: world.good.inferences() };
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, { release: 'iris', namespace: ns, expose: 'gateway', logger }),
    );
    // The analysis asked the canary's pods, and only them.
    expect(world.wrong.inferences()).toBeGreaterThan(asked.wrong);
    expect(world.good.inferences()).toBe(asked.good);
    expect(outcome.promoted).toBe(false);
    expect(outcome.step).toBe(1);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 10 });
    expect(outcome.aborted!.verdict).toMatch(/analysis failed: wrong answer/);
    expect(outcome.release).toMatchObject({
      status: 'rolled-back',
      revision: 1,
      attemptedRevision: 2,
      failure: { reason: 'AnalysisFailed' },
    });
    expect(logger.lines.join('\n')).toMatch(/error: canary of .* failed at step 1 \(10%\)/);
    const after = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(after.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.status.readyReplicas).toBe(2);
    expect(backendWeights(await world.kubectl(ns, ['get', 'httproute', 'iris']))).toEqual({
      iris: 1,
    });
    const names = (await world.kubectl(ns, ['get', 'deployments,services'])).items.map(
      (o: KubeJson) => o.metadata.name,
    );
    expect(names).not.toContain('iris-canary');
    expect(await stableAnswers(ns, 'iris')).toBe(200);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed', '2': 'rolled-back' });
    const state = await world.kubectl(ns, ['get', 'configmaps']);
    expect(state.items.map((c: KubeJson) => c.metadata.name)).not.toContain(
      'model-deploy.iris.rollout',
    );
  }, 120_000);
});
