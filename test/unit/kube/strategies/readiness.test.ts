import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingRevision } from '../../../../shared/kube/history.ts';
import { applyObjects } from '../../../../shared/kube/apply.ts';
import {
  labelForRelease,
  manifestsHash,
  type KubeObject,
} from '../../../../shared/kube/objects.ts';
import { ReleaseStore } from '../../../../shared/kube/release-store.ts';
import type { StrategyContext } from '../../../../shared/kube/strategies/context.ts';
import { NotReady, requireReady, waitReady } from '../../../../shared/kube/strategies/readiness.ts';
import { RolloutStateStore } from '../../../../shared/kube/strategies/rollout-state.ts';
import { releaseWorkload, sideBySide } from '../../../../shared/kube/strategies/workload.ts';
import {
  deployStable,
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

/** The context a strategy has once the stable version serves in `ns`. */
async function context(ns: string, logger = quietLogger()): Promise<StrategyContext> {
  await deployStable(world, 'iris', ns, 'cluster-ip');
  const request = strategyRequest(world, {
    release: 'iris',
    namespace: ns,
    expose: 'cluster-ip',
    logger,
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

/** The new version's Deployment beside the stable one, with `image`. */
function canaryWith(ctx: StrategyContext, image: string, replicas = 1): KubeObject {
  const { deployment } = sideBySide(ctx.next, 'iris', 'canary', { replicas, shareService: false });
  const containers = (
    deployment.spec as { template: { spec: { containers: Array<{ image: string }> } } }
  ).template.spec.containers;
  containers[0]!.image = image;
  return deployment;
}

describe('waiting for a Deployment of the rollout', () => {
  it('reports a ready Deployment with its ready replicas', async () => {
    const ctx = await context('ready');
    const outcome = await waitReady(ctx, ctx.stable.deployment);
    expect(outcome).toMatchObject({ ok: true, readyReplicas: 2 });
    await expect(requireReady(ctx, ctx.stable.deployment)).resolves.toBeUndefined();
  });

  it('waits for a new Deployment to come up, in the request’s namespace when the object names none', async () => {
    const logger = quietLogger();
    const ctx = await context('fallback', logger);
    const canary = canaryWith(ctx, world.images.v2.digestRef, 3);
    await applyObjects(ctx.client, [canary]);
    const bare = structuredClone(canary);
    delete bare.metadata.namespace;
    const outcome = await waitReady(ctx, bare);
    expect(outcome).toMatchObject({ ok: true, readyReplicas: 3 });
    const live = await world.kubectl('fallback', ['get', 'deployment', 'iris-canary']);
    expect(live.status.readyReplicas).toBe(3);
  });

  it('gives up on pods that cannot pull their image, with the pods’ reason and a diagnosis', async () => {
    const ctx = await context('pull');
    const missing = `${world.registry.host}/models/echo@sha256:${'0'.repeat(64)}`;
    const canary = canaryWith(ctx, missing);
    await applyObjects(ctx.client, [canary]);
    const outcome = await waitReady(ctx, canary);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/^(ImagePullBackOff|ErrImagePull)$/);
    expect(outcome.diagnosis).not.toBe('');

    const err = await requireReady(ctx, canary).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotReady);
    const notReady = err as NotReady;
    expect(notReady.outcome.ok).toBe(false);
    expect(notReady.outcome.reason).toMatch(/^(ImagePullBackOff|ErrImagePull)$/);
    expect(notReady.message).toBe(`${notReady.outcome.reason}: ${notReady.outcome.message}`);
  });
});

describe('NotReady', () => {
  it('carries the failed outcome and reads as its reason and message', () => {
    const outcome = {
      ok: false as const,
      reason: 'ProgressDeadlineExceeded',
      message: 'iris-canary has 0 of 1 ready',
      diagnosis: 'pod iris-canary-x: CrashLoopBackOff',
      durationMs: 5,
    };
    const err = new NotReady(outcome);
    expect(err).toBeInstanceOf(Error);
    expect(err.outcome).toBe(outcome);
    expect(err.message).toBe('ProgressDeadlineExceeded: iris-canary has 0 of 1 ready');
  });
});
