import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { applyObjects, deleteObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import { nextRevision } from '../history.ts';
import type { KubeObject } from '../objects.ts';
import type { ReleaseOutcome } from '../release.ts';
import type { StrategyContext } from './context.ts';
import { waitReady } from './readiness.ts';
import { objectRefs } from './rollout-state.ts';

/** Removes what the rollout added (the new version's Deployment, Service, rules). */
export async function removeAdded(
  client: KubeClient,
  namespace: string,
  logger: Logger,
  added: Array<{ apiVersion: string; kind: string; name: string }>,
): Promise<void> {
  await deleteObjects(
    client,
    added.map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.name, namespace },
    })),
    logger,
  );
}

/**
 * The new version did not pass: the serving revision's objects are applied
 * again (routes, Service selector and replica counts back as they were), the
 * added objects removed, and the attempt recorded as rolled back.
 */
export async function withdraw(
  ctx: StrategyContext,
  added: KubeObject[],
  reason: string,
  message: string,
  diagnosis = '',
): Promise<ReleaseOutcome> {
  const { request, serving } = ctx;
  request.logger.info(
    `withdrawing ${request.image}: all traffic back to revision ${serving.revision}`,
  );
  await applyObjects(ctx.client, serving.manifests);
  await removeAdded(ctx.client, request.namespace, request.logger, objectRefs(added));
  const restored = await waitReady(ctx, ctx.stable.deployment);
  if (!restored.ok) {
    throw new UserError(
      `${reason} and the stable revision ${serving.revision} is not ready again (${restored.reason}): ${restored.message}`,
      { hint: 'the cluster needs a look: kubectl describe deployment and its pods' },
    );
  }
  const revision = nextRevision(await ctx.store.list());
  await ctx.store.write({
    release: request.release,
    revision,
    result: 'rolled-back',
    reason,
    hash: ctx.hash,
    image: request.image,
    time: new Date().toISOString(),
    source: request.strategy,
    manifests: ctx.objects,
    ...(request.imageDigest ? { imageDigest: request.imageDigest } : {}),
    ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
    ...(request.gitSha ? { gitSha: request.gitSha } : {}),
    ...(request.actor ? { actor: request.actor } : {}),
    ...(request.runUrl ? { runUrl: request.runUrl } : {}),
  });
  await ctx.states.clear();
  return {
    status: 'rolled-back',
    revision: serving.revision,
    previousRevision: serving.revision,
    attemptedRevision: revision,
    image: serving.image,
    applied: [],
    pruned: [],
    waitedMs: 0,
    objects: serving.manifests,
    failure: { reason, message, diagnosis },
  };
}
