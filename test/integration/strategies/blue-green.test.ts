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
  world = await startStrategyWorld({ crds: [] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

async function endpointPods(ns: string, service: string): Promise<string[]> {
  const endpoints = await world.kubectl(ns, ['get', 'endpoints', service]);
  return (endpoints.subsets ?? [])
    .flatMap((s: KubeJson) => (s.addresses ?? []).map((a: KubeJson) => a.targetRef.name as string))
    .sort();
}

const prefixes = (pods: string[]) => [
  ...new Set(pods.map((p) => p.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''))),
];

describe('blue-green', () => {
  it('brings the new version up behind a preview Service, switches the main Service to it, then promotes', async () => {
    const ns = 'bg';
    await deployStable(world, 'iris', ns, 'cluster-ip');
    await world.cluster.registerServiceBackend(ns, 'iris-preview', 80, world.good.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        strategy: 'blue-green',
        release: 'iris',
        namespace: ns,
        expose: 'cluster-ip',
        scaleDownDelayMs: 300,
        onStep: async ({ phase }) => {
          const old = await world.kubectl(ns, ['get', 'deployment', 'iris']);
          seen.push({
            phase,
            behindMain: prefixes(await endpointPods(ns, 'iris')),
            behindPreview: prefixes(await endpointPods(ns, 'iris-preview')),
            oldReady: old.status.readyReplicas,
            oldImage: old.spec.template.spec.containers[0].image,
          });
        },
      }),
    );
    expect(outcome.promoted).toBe(true);
    const v1 = world.images.v1.digestRef;
    expect(seen).toEqual([
      {
        phase: 'step',
        behindMain: ['iris'],
        behindPreview: ['iris-preview'],
        oldReady: 2,
        oldImage: v1,
      },
      // Switched: the main Service reaches the new pods; the old ones still run for a switch back.
      {
        phase: 'switched',
        behindMain: ['iris-preview'],
        behindPreview: ['iris-preview'],
        oldReady: 2,
        oldImage: v1,
      },
    ]);
    expect(outcome.steps.map((s) => [s.step, s.verdict])).toEqual([
      [1, 'passed'],
      [2, 'passed'],
    ]);
    const stable = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(stable.spec.template.spec.containers[0].image).toBe(world.images.v2.digestRef);
    const service = await world.kubectl(ns, ['get', 'service', 'iris']);
    expect(service.spec.selector).toEqual({
      'app.kubernetes.io/name': 'iris',
      'model-deploy.io/release': 'iris',
    });
    expect(prefixes(await endpointPods(ns, 'iris'))).toEqual(['iris']);
    const names = (await world.kubectl(ns, ['get', 'deployments,services'])).items.map(
      (o: KubeJson) => o.metadata.name,
    );
    expect(names.sort()).toEqual(['iris', 'iris']);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
  }, 120_000);

  it('withdraws a preview that answers wrongly before any traffic switches to it', async () => {
    const ns = 'bg-preview';
    await deployStable(world, 'iris', ns, 'cluster-ip');
    await world.cluster.registerServiceBackend(ns, 'iris-preview', 80, world.wrong.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const selector = (await world.kubectl(ns, ['get', 'service', 'iris'])).spec.selector;
    const asked = world.wrong.inferences();
    const phases: string[] = [];
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        strategy: 'blue-green',
        release: 'iris',
        namespace: ns,
        expose: 'cluster-ip',
        onStep: ({ phase }) => void phases.push(phase),
      }),
    );
    expect(world.wrong.inferences()).toBeGreaterThan(asked);
    expect(outcome.promoted).toBe(false);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 0 });
    expect(outcome.aborted!.verdict).toMatch(/^analysis of the preview failed: wrong answer/);
    // Never switched: the main Service kept its selector and the stable pods.
    expect(phases).toEqual(['step']);
    expect((await world.kubectl(ns, ['get', 'service', 'iris'])).spec.selector).toEqual(selector);
    expect(prefixes(await endpointPods(ns, 'iris'))).toEqual(['iris']);
    const names = (await world.kubectl(ns, ['get', 'deployments,services'])).items.map(
      (o: KubeJson) => `${o.kind}/${o.metadata.name}`,
    );
    expect(names.sort()).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed', '2': 'rolled-back' });
  }, 120_000);

  it('switches back at once when the checks fail after the switch, the old version never having left', async () => {
    const ns = 'bg-back';
    await deployStable(world, 'iris', ns, 'cluster-ip');
    await world.cluster.registerServiceBackend(ns, 'iris-preview', 80, world.good.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const query = 'sum(rate(requests_errors{namespace="bg-back"}[1m]))';
    world.prometheus.answer(query, [0]);
    const before = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    const seen: KubeJson[] = [];
    const outcome = await runStrategy(
      world.client,
      strategyRequest(world, {
        strategy: 'blue-green',
        release: 'iris',
        namespace: ns,
        expose: 'cluster-ip',
        scaleDownDelayMs: 5000,
        analysis: analysis({
          url: world.prometheus.url,
          checks: [
            {
              name: 'error rate',
              query: 'sum(rate(requests_errors{namespace="{{ namespace }}"}[1m]))',
              operator: '<',
              threshold: 0.01,
            },
          ],
        }),
        onStep: async ({ phase }) => {
          // Real traffic reaches the new version only after the switch; here its errors show.
          if (phase === 'switched') world.prometheus.answer(query, [0.3]);
          seen.push({ phase, behindMain: prefixes(await endpointPods(ns, 'iris')) });
        },
      }),
    );
    expect(outcome.promoted).toBe(false);
    expect(outcome.aborted).toMatchObject({ step: 2, weight: 100 });
    expect(outcome.aborted!.verdict).toBe(
      'analysis after the switch failed: error rate is 0.3, expected < 0.01',
    );
    expect(seen).toEqual([
      { phase: 'step', behindMain: ['iris'] },
      { phase: 'switched', behindMain: ['iris-preview'] },
      { phase: 'switched-back', behindMain: ['iris'] },
    ]);
    const after = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(after.status.readyReplicas).toBe(2);
    expect(prefixes(await endpointPods(ns, 'iris'))).toEqual(['iris']);
    const names = (await world.kubectl(ns, ['get', 'deployments'])).items.map(
      (o: KubeJson) => o.metadata.name,
    );
    expect(names).toEqual(['iris']);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed', '2': 'rolled-back' });
    expect(outcome.release).toMatchObject({ status: 'rolled-back', revision: 1 });
  }, 120_000);
});
