import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../../shared/common/errors.ts';
import { applyObjects } from '../../../../shared/kube/apply.ts';
import { servingRevision } from '../../../../shared/kube/history.ts';
import {
  labelForRelease,
  manifestsHash,
  type KubeObject,
} from '../../../../shared/kube/objects.ts';
import { ReleaseStore } from '../../../../shared/kube/release-store.ts';
import type { StrategyContext } from '../../../../shared/kube/strategies/context.ts';
import { objectRefs, RolloutStateStore } from '../../../../shared/kube/strategies/rollout-state.ts';
import { removeAdded, withdraw } from '../../../../shared/kube/strategies/withdraw.ts';
import {
  releaseWorkload,
  serviceSpec,
  sideBySide,
} from '../../../../shared/kube/strategies/workload.ts';
import type { KubeJson } from '../../../support/deploy-fixture.ts';
import {
  deployStable,
  history,
  quietLogger,
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

async function context(ns: string): Promise<StrategyContext> {
  await deployStable(world, 'iris', ns, 'cluster-ip');
  const request = strategyRequest(world, {
    release: 'iris',
    namespace: ns,
    expose: 'cluster-ip',
    modelVersion: '2',
    actor: 'octocat',
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

/** What a blue-green left mid-way: the preview up and the main Service switched to it. */
async function switchedPreview(ctx: StrategyContext): Promise<KubeObject[]> {
  const preview = sideBySide(ctx.next, 'iris', 'preview', { replicas: 1, shareService: false });
  const added = [preview.service, preview.deployment];
  await applyObjects(ctx.client, added);
  const switched = structuredClone(ctx.stable.service);
  serviceSpec(switched).selector = preview.podSelector;
  await applyObjects(ctx.client, [switched]);
  await ctx.states.write({
    strategy: 'blue-green',
    router: 'replicas',
    hash: ctx.hash,
    image: ctx.request.image,
    holder: ctx.request.holder,
    objects: objectRefs(added),
    step: 1,
    weight: 100,
    phase: 'switched',
  });
  return added;
}

const names = async (ns: string) =>
  (await world.kubectl(ns, ['get', 'deployments,services'])).items
    .map((o: KubeJson) => `${o.kind}/${o.metadata.name}`)
    .sort();

describe('removing what a rollout added', () => {
  it('deletes the named objects in the namespace and passes over those already gone', async () => {
    const ctx = await context('remove');
    const canary = sideBySide(ctx.next, 'iris', 'canary', { replicas: 1, shareService: false });
    await applyObjects(ctx.client, [canary.service, canary.deployment]);
    expect(await names('remove')).toEqual([
      'Deployment/iris',
      'Deployment/iris-canary',
      'Service/iris',
      'Service/iris-canary',
    ]);
    const logger = quietLogger();
    await removeAdded(ctx.client, 'remove', logger, [
      ...objectRefs([canary.service, canary.deployment]),
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'never-made' },
    ]);
    expect(await names('remove')).toEqual(['Deployment/iris', 'Service/iris']);
    expect(logger.lines).toEqual(['pruned Service/iris-canary', 'pruned Deployment/iris-canary']);
  });
});

describe('withdrawing the new version', () => {
  it('puts the serving revision back, removes the added objects and records the attempt as rolled back', async () => {
    const ctx = await context('withdraw');
    const added = await switchedPreview(ctx);
    const outcome = await withdraw(
      ctx,
      added,
      'AnalysisFailed',
      'analysis after the switch failed: wrong answer',
      'the diagnosis',
    );
    expect(outcome).toEqual({
      status: 'rolled-back',
      revision: 1,
      previousRevision: 1,
      attemptedRevision: 2,
      image: world.images.v1.digestRef,
      applied: [],
      pruned: [],
      waitedMs: 0,
      objects: ctx.serving.manifests,
      failure: {
        reason: 'AnalysisFailed',
        message: 'analysis after the switch failed: wrong answer',
        diagnosis: 'the diagnosis',
      },
    });
    // The main Service selects the stable pods again; the preview is gone.
    const service = await world.kubectl('withdraw', ['get', 'service', 'iris']);
    expect(service.spec.selector).toEqual(serviceSpec(ctx.stable.service).selector);
    expect(await names('withdraw')).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, 'withdraw', 'iris')).toEqual({
      '1': 'deployed',
      '2': 'rolled-back',
    });
    const attempt = (await ctx.store.list()).find((r) => r.revision === 2)!;
    expect(attempt).toMatchObject({
      result: 'rolled-back',
      reason: 'AnalysisFailed',
      hash: ctx.hash,
      image: world.images.v2.digestRef,
      imageDigest: world.images.v2.digest,
      modelVersion: '2',
      actor: 'octocat',
      source: 'canary',
    });
    expect(attempt.manifests).toEqual(ctx.objects);
    expect(await ctx.states.read()).toBeUndefined();
  });

  it('fails, keeping the rollout state, when the stable revision does not come back ready', async () => {
    const ctx = await context('broken');
    const added = await switchedPreview(ctx);
    // The serving revision's image has since gone from the registry.
    const missing = `${world.registry.host}/models/echo@sha256:${'0'.repeat(64)}`;
    const manifests = structuredClone(ctx.serving.manifests);
    const deployment = manifests.find((o) => o.kind === 'Deployment')!;
    (
      deployment.spec as { template: { spec: { containers: Array<{ image: string }> } } }
    ).template.spec.containers[0]!.image = missing;
    const broken = { ...ctx, serving: { ...ctx.serving, manifests } };
    const err = await withdraw(broken, added, 'AnalysisFailed', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      /^AnalysisFailed and the stable revision 1 is not ready again \((ImagePullBackOff|ErrImagePull)\): /,
    );
    expect((err as UserError).hint).toMatch(/kubectl describe deployment/);
    // The added objects went; nothing was recorded, and the state stays for the next run.
    expect(await names('broken')).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, 'broken', 'iris')).toEqual({ '1': 'deployed' });
    expect((await ctx.states.read())?.phase).toBe('switched');
  });
});
