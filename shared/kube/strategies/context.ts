import type { ReleaseOutcome } from '../release.ts';
import type { ReleaseRecord } from '../history.ts';
import type { KubeClient } from '../client.ts';
import type { KubeObject } from '../objects.ts';
import type { ReleaseStore } from '../release-store.ts';
import type { RolloutState, RolloutStateStore } from './rollout-state.ts';
import type { AnalysisResult } from './analysis.ts';
import type { StepReport, StrategyOutcome, StrategyRequest } from './types.ts';
import { deploymentSpec, type ReleaseWorkload } from './workload.ts';
import { objectRefs } from './rollout-state.ts';

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
    objects: objectRefs(added),
  };
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

/** The report of one step, from its analyses. */
export function stepReport(
  step: number,
  weight: number,
  actualWeight: number,
  analyses: AnalysisResult[],
  started: number,
): StepReport {
  return {
    step,
    weight,
    actualWeight,
    analyses,
    verdict: analyses.every((a) => a.passed) ? 'passed' : 'failed',
    durationMs: Date.now() - started,
  };
}

/** The outcome of a rollout whose new version was withdrawn at a step. */
export function withdrawnOutcome(
  ctx: StrategyContext,
  release: ReleaseOutcome,
  steps: StepReport[],
  aborted: NonNullable<StrategyOutcome['aborted']>,
): StrategyOutcome {
  return { ...emptyOutcome(ctx, release), promoted: false, step: aborted.step, steps, aborted };
}
