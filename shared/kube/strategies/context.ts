import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { sleep } from '../../common/retry.ts';
import { runAnalysis, type AnalysisResult, type AnalysisTarget } from './analysis.ts';
import { applyObjects, deleteObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import { nextRevision, type ReleaseRecord } from '../history.ts';
import type { KubeObject } from '../objects.ts';
import { releaseLocked, type ReleaseOutcome } from '../release.ts';
import type { ReleaseStore } from '../release-store.ts';
import { watchRollout, type RolloutOutcome } from '../rollout.ts';
import type { RolloutState, RolloutStateStore } from './rollout-state.ts';
import { RolloutStopped, type StrategyOutcome, type StrategyRequest } from './types.ts';
import { deploymentSpec, type ReleaseWorkload } from './workload.ts';

/** What both strategies work from, once the release lock is held. */
export interface StrategyContext {
  client: KubeClient;
  request: StrategyRequest;
  store: ReleaseStore;
  records: ReleaseRecord[];
  serving: ReleaseRecord;
  /** The new render, labelled for the release. */
  objects: KubeObject[];
  hash: string;
  stable: ReleaseWorkload;
  next: ReleaseWorkload;
  states: RolloutStateStore;
  /** The step (0-based) an unfinished run of this same version reached. */
  resumeStep: number;
  recovered?: string;
}

export function checkStop(request: StrategyRequest): void {
  if (request.stopSignal?.aborted) throw new RolloutStopped();
}

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

/**
 * Runs the analysis at the start of the hold and again every interval until
 * the hold is over (at least once), stopping at the first failure.
 */
export async function analyseDuring(
  ctx: StrategyContext,
  holdMs: number,
  target: AnalysisTarget,
): Promise<AnalysisResult[]> {
  const { request } = ctx;
  const interval = request.analysisIntervalMs ?? 30_000;
  const started = Date.now();
  const results: AnalysisResult[] = [];
  for (;;) {
    checkStop(request);
    const result = await runAnalysis(
      request.analysis,
      target,
      ctx.client.connection,
      request.logger,
    );
    results.push(result);
    request.logger.info(
      `analysis of ${target.service}: ${result.passed ? 'passed' : `FAILED: ${result.verdict}`}`,
    );
    if (!result.passed) return results;
    const remaining = holdMs - (Date.now() - started);
    if (remaining <= 0) return results;
    try {
      await sleep(Math.min(interval, remaining), request.stopSignal);
    } catch {
      throw new RolloutStopped();
    }
  }
}

export function stateBase(
  ctx: StrategyContext,
  added: KubeObject[],
): Omit<RolloutState, 'updated' | 'step' | 'weight' | 'phase'> {
  return {
    strategy: ctx.request.strategy,
    router: ctx.request.router,
    hash: ctx.hash,
    image: ctx.request.image,
    holder: ctx.request.holder,
    objects: refs(added),
  };
}

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

const refs = (objects: KubeObject[]) =>
  objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }));

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
  await removeAdded(ctx.client, request.namespace, request.logger, refs(added));
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
  await removeAdded(ctx.client, request.namespace, request.logger, refs(added));
  await ctx.states.clear();
  return outcome;
}

export function emptyOutcome(
  ctx: StrategyContext,
  release: ReleaseOutcome,
): Omit<StrategyOutcome, 'promoted' | 'step' | 'steps'> {
  return {
    release,
    strategy: ctx.request.strategy,
    router: ctx.request.router,
    ...(ctx.recovered ? { recovered: ctx.recovered } : {}),
  };
}

/** The replica count the release asks for (the autoscaler's minimum when it has one). */
export function totalReplicas(ctx: StrategyContext): number {
  const hpa = ctx.objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
  const min = (hpa?.spec as { minReplicas?: number } | undefined)?.minReplicas;
  return deploymentSpec(ctx.next.deployment).replicas ?? min ?? 1;
}
