import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingRevision } from '../../../../shared/kube/history.ts';
import { labelForRelease, manifestsHash } from '../../../../shared/kube/objects.ts';
import { ReleaseStore } from '../../../../shared/kube/release-store.ts';
import { runBlueGreen } from '../../../../shared/kube/strategies/blue-green.ts';
import type { StrategyContext } from '../../../../shared/kube/strategies/context.ts';
import {
  RolloutStateStore,
  type RolloutState,
} from '../../../../shared/kube/strategies/rollout-state.ts';
import { RolloutStopped, type StrategyRequest } from '../../../../shared/kube/strategies/types.ts';
import { releaseWorkload, TRACK_LABEL } from '../../../../shared/kube/strategies/workload.ts';
import type { KubeJson } from '../../../support/deploy-fixture.ts';
import {
  deployStable,
  history,
  quietLogger,
  render,
  startStrategyWorld,
  strategyRequest,
  type StrategyWorld,
} from '../../../support/strategies-fixture.ts';

let world: StrategyWorld;
beforeAll(async () => {
  world = await startStrategyWorld({ crds: [] });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

async function context(
  ns: string,
  overrides: Partial<StrategyRequest> = {},
): Promise<StrategyContext & { lines: string[] }> {
  await deployStable(world, 'iris', ns, 'cluster-ip');
  const logger = quietLogger();
  const request = strategyRequest(world, {
    strategy: 'blue-green',
    release: 'iris',
    namespace: ns,
    expose: 'cluster-ip',
    scaleDownDelayMs: 300,
    logger,
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
    lines: logger.lines,
  };
}

const names = async (ns: string) =>
  (await world.kubectl(ns, ['get', 'deployments,services'])).items
    .map((o: KubeJson) => `${o.kind}/${o.metadata.name}`)
    .sort();

const PREVIEW_REFS = [
  { apiVersion: 'v1', kind: 'Service', name: 'iris-preview' },
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris-preview' },
];

describe('blue-green', () => {
  it('records each phase in the rollout state, switches the main Service to the preview pods, then promotes', async () => {
    const ns = 'bg-unit';
    const seen: Array<{
      phase: string;
      state: RolloutState | undefined;
      selector: unknown;
      replicas: number;
    }> = [];
    const states = new RolloutStateStore(world.client, ns, 'iris');
    const ctx = await context(ns, {
      onStep: async ({ phase, step, weight }) => {
        const preview = await world.kubectl(ns, ['get', 'deployment', 'iris-preview']);
        const service = await world.kubectl(ns, ['get', 'service', 'iris']);
        seen.push({
          phase: `${phase} ${step} ${weight}`,
          state: await states.read(),
          selector: service.spec.selector[TRACK_LABEL] ?? 'stable',
          replicas: preview.status.readyReplicas,
        });
      },
    });
    await world.cluster.registerServiceBackend(ns, 'iris-preview', 80, world.good.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const outcome = await runBlueGreen(ctx);

    expect(
      seen.map(({ phase, selector, replicas, state }) => [
        phase,
        selector,
        replicas,
        state && [state.step, state.weight, state.phase, state.objects],
      ]),
    ).toEqual([
      // Up in full (the release's 2 replicas) behind the preview; the main Service untouched.
      ['step 1 0', 'stable', 2, [0, 0, 'progressing', PREVIEW_REFS]],
      ['switched 2 100', 'preview', 2, [1, 100, 'switched', PREVIEW_REFS]],
    ]);
    expect(seen[0]!.state).toMatchObject({
      strategy: 'blue-green',
      router: 'replicas',
      hash: ctx.hash,
      image: world.images.v2.digestRef,
      holder: 'canary test run',
    });
    expect(outcome).toMatchObject({
      strategy: 'blue-green',
      router: 'replicas',
      promoted: true,
      step: 2,
      release: { status: 'deployed', revision: 2 },
    });
    expect(outcome.aborted).toBeUndefined();
    expect(outcome.steps.map((s) => [s.step, s.weight, s.actualWeight, s.verdict])).toEqual([
      [1, 0, 0, 'passed'],
      [2, 100, 100, 'passed'],
    ]);
    expect(await names(ns)).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await ctx.states.read()).toBeUndefined();
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
    expect(ctx.lines).toContain(
      `blue-green: ${world.images.v2.digestRef} comes up as iris-preview behind the preview Service iris-preview`,
    );
  });

  it('withdraws a preview that never becomes ready, before any analysis or switch', async () => {
    const ns = 'bg-pull';
    const missing = `${world.registry.host}/models/echo@sha256:${'0'.repeat(64)}`;
    const phases: string[] = [];
    const ctx = await context(ns, {
      image: missing,
      objects: render('iris', ns, missing, 'cluster-ip'),
      onStep: ({ phase }) => void phases.push(phase),
    });
    const selector = (await world.kubectl(ns, ['get', 'service', 'iris'])).spec.selector;
    const outcome = await runBlueGreen(ctx);
    expect(phases).toEqual([]);
    expect(outcome.promoted).toBe(false);
    expect(outcome.steps).toEqual([]);
    expect(outcome.step).toBe(1);
    expect(outcome.aborted).toMatchObject({ step: 1, weight: 0 });
    expect(outcome.aborted!.verdict).toMatch(/^the new version did not become ready: /);
    expect(outcome.release.status).toBe('rolled-back');
    expect(outcome.release.failure?.reason).toMatch(/^(ImagePullBackOff|ErrImagePull)$/);
    expect(ctx.lines).toContainEqual(
      expect.stringMatching(
        /^error: blue-green of .* failed: the new version did not become ready/,
      ),
    );
    expect((await world.kubectl(ns, ['get', 'service', 'iris'])).spec.selector).toEqual(selector);
    expect(await names(ns)).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed', '2': 'rolled-back' });
  });

  it('stops where it is when the stop signal fires, leaving the preview and the state for the next run', async () => {
    const ns = 'bg-stop';
    const stop = new AbortController();
    const ctx = await context(ns, {
      stopSignal: stop.signal,
      onStep: ({ phase }) => {
        if (phase === 'step') stop.abort();
      },
    });
    await expect(runBlueGreen(ctx)).rejects.toBeInstanceOf(RolloutStopped);
    expect(await names(ns)).toEqual([
      'Deployment/iris',
      'Deployment/iris-preview',
      'Service/iris',
      'Service/iris-preview',
    ]);
    expect(await ctx.states.read()).toMatchObject({ step: 0, phase: 'progressing' });
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'deployed' });
  });
});
