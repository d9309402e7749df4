import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObjects } from '../../../../shared/kube/apply.ts';
import { servingRevision } from '../../../../shared/kube/history.ts';
import {
  labelForRelease,
  manifestsHash,
  type KubeObject,
} from '../../../../shared/kube/objects.ts';
import { ReleaseStore } from '../../../../shared/kube/release-store.ts';
import type { StrategyContext } from '../../../../shared/kube/strategies/context.ts';
import { promote } from '../../../../shared/kube/strategies/promote.ts';
import { objectRefs, RolloutStateStore } from '../../../../shared/kube/strategies/rollout-state.ts';
import { releaseWorkload, sideBySide } from '../../../../shared/kube/strategies/workload.ts';
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

async function context(ns: string, image: string): Promise<StrategyContext> {
  await deployStable(world, 'iris', ns, 'cluster-ip');
  const request = strategyRequest(world, {
    release: 'iris',
    namespace: ns,
    expose: 'cluster-ip',
    image,
    objects: render('iris', ns, image, 'cluster-ip'),
    logger: quietLogger(),
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

/** A canary at full weight, as promote finds it: its objects up and the rollout state saying so. */
async function canaryAtFull(ctx: StrategyContext): Promise<KubeObject[]> {
  const canary = sideBySide(ctx.next, 'iris', 'canary', { replicas: 1, shareService: true });
  const added = [canary.service, canary.deployment];
  await applyObjects(ctx.client, added);
  await ctx.states.write({
    strategy: 'canary',
    router: 'replicas',
    hash: ctx.hash,
    image: ctx.request.image,
    holder: ctx.request.holder,
    objects: objectRefs(added),
    step: 2,
    weight: 100,
    phase: 'promoting',
  });
  return added;
}

const image = (d: KubeJson) => d.spec.template.spec.containers[0].image as string;
const names = async (ns: string) =>
  (await world.kubectl(ns, ['get', 'deployments,services'])).items
    .map((o: KubeJson) => `${o.kind}/${o.metadata.name}`)
    .sort();

describe('promoting the new version', () => {
  it('makes it the stable Deployment, records the release and removes what the rollout added', async () => {
    const ctx = await context('promote', world.images.v2.digestRef);
    const added = await canaryAtFull(ctx);
    const outcome = await promote(ctx, added);
    expect(outcome).toMatchObject({
      status: 'deployed',
      revision: 2,
      previousRevision: 1,
      image: world.images.v2.digestRef,
    });
    expect(outcome.failure).toBeUndefined();
    const stable = await world.kubectl('promote', ['get', 'deployment', 'iris']);
    expect(image(stable)).toBe(world.images.v2.digestRef);
    expect(stable.status.readyReplicas).toBe(2);
    expect(await names('promote')).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, 'promote', 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
    expect(await ctx.states.read()).toBeUndefined();
    const lines = (ctx.request.logger as ReturnType<typeof quietLogger>).lines;
    expect(lines).toContain(`promoting ${world.images.v2.digestRef}: it becomes the stable iris`);
  });

  it('withdraws the new version when the stable Deployment does not become ready with it', async () => {
    const missing = `${world.registry.host}/models/echo@sha256:${'0'.repeat(64)}`;
    const ctx = await context('promote-fail', missing);
    const added = await canaryAtFull(ctx);
    const outcome = await promote(ctx, added);
    expect(outcome.status).toBe('rolled-back');
    expect(outcome).toMatchObject({ revision: 1, attemptedRevision: 2 });
    expect(outcome.image).toBe(world.images.v1.digestRef);
    expect(outcome.failure?.reason).toMatch(/^(ImagePullBackOff|ErrImagePull)$/);
    expect(outcome.failure?.message).toMatch(/^promotion failed: /);
    expect(outcome.failure?.diagnosis).not.toBe('');
    const stable = await world.kubectl('promote-fail', ['get', 'deployment', 'iris']);
    expect(image(stable)).toBe(world.images.v1.digestRef);
    expect(await names('promote-fail')).toEqual(['Deployment/iris', 'Service/iris']);
    expect(await history(world, 'promote-fail', 'iris')).toEqual({
      '1': 'deployed',
      '2': 'rolled-back',
    });
    expect(await ctx.states.read()).toBeUndefined();
  });
});
