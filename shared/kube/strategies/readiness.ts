import type { KubeObject } from '../objects.ts';
import { watchRollout, type RolloutOutcome } from '../rollout.ts';
import type { StrategyContext } from './context.ts';

export async function waitReady(
  ctx: StrategyContext,
  deployment: KubeObject,
): Promise<RolloutOutcome> {
  const { request } = ctx;
  return watchRollout(ctx.client, {
    namespace: deployment.metadata.namespace ?? request.namespace,
    deployment: deployment.metadata.name,
    timeoutMs: request.timeoutMs,
    logger: request.logger,
    ...(request.pollMs !== undefined ? { pollMs: request.pollMs } : {}),
    ...(request.hopelessAfterMs !== undefined ? { hopelessAfterMs: request.hopelessAfterMs } : {}),
  });
}

/** Throws when a Deployment does not become ready, for routers that must wait inline. */
export async function requireReady(ctx: StrategyContext, deployment: KubeObject): Promise<void> {
  const outcome = await waitReady(ctx, deployment);
  if (!outcome.ok) throw new NotReady(outcome);
}

export class NotReady extends Error {
  readonly outcome: Extract<RolloutOutcome, { ok: false }>;
  constructor(outcome: Extract<RolloutOutcome, { ok: false }>) {
    super(`${outcome.reason}: ${outcome.message}`);
    this.outcome = outcome;
  }
}
