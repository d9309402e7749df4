import { applyObjects } from '../apply.ts';
import type { KubeObject } from '../objects.ts';
import { releaseLocked, type ReleaseOutcome } from '../release.ts';
import type { StrategyContext } from './context.ts';
import { waitReady } from './readiness.ts';
import { objectRefs } from './rollout-state.ts';
import { removeAdded, withdraw } from './withdraw.ts';

/**
 * The new version becomes the stable one: the release's own Deployment takes
 * it while the traffic still goes to the new pods, then the whole release is
 * applied and recorded like any other (routes and selectors back to the
 * stable Service, the added objects pruned), so rollback works across
 * strategies.
 */
export async function promote(ctx: StrategyContext, added: KubeObject[]): Promise<ReleaseOutcome> {
  const { request } = ctx;
  request.logger.info(
    `promoting ${request.image}: it becomes the stable ${ctx.next.deployment.metadata.name}`,
  );
  const stable = structuredClone(ctx.next.deployment);
  await applyObjects(ctx.client, [stable]);
  const ready = await waitReady(ctx, stable);
  if (!ready.ok) {
    return withdraw(
      ctx,
      added,
      ready.reason,
      `promotion failed: ${ready.message}`,
      ready.diagnosis,
    );
  }
  const outcome = await releaseLocked(ctx.client, { ...request, dryRun: false });
  await removeAdded(ctx.client, request.namespace, request.logger, objectRefs(added));
  await ctx.states.clear();
  return outcome;
}
