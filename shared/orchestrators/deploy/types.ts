import type { Logger } from '../../common/logger.ts';
import type { ReleaseEndpoint } from '../../kube/endpoint.ts';
import type { ReleaseOutcome } from '../../kube/release.ts';
import type { ServingPlan } from '../../kube/serving-plan.ts';
import type { StrategyName, StrategyOutcome } from '../../kube/strategies/index.ts';
import type { ImageInfo } from './image.ts';
import type { DeployRequest } from './request.ts';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** The record of this deploy where the workflow runs (a GitHub Deployment). */
export interface DeploymentTracker {
  setStatus(
    state: DeploymentState,
    details?: { url?: string; description?: string },
  ): Promise<void>;
}

export interface DeploymentStart {
  description: string;
  payload: Record<string, unknown>;
}

export interface DeployHooks {
  logger: Logger;
  /** Runs a phase under a collapsible title in the log. */
  group?: <T>(title: string, body: () => Promise<T>) => Promise<T>;
  /** Opens the record of a deploy that is not a dry run. */
  startDeployment?: (start: DeploymentStart) => Promise<DeploymentTracker | undefined>;
  /** Rollout watch tuning for tests. */
  pollMs?: number;
  hopelessAfterMs?: number;
}

/** What a deploy did, as far as it got; `error` is why it failed. */
export interface DeployResult {
  /** The request as the image completed it (runtime, model name and version). */
  request: DeployRequest;
  /** The cluster as its connection names it, else as the input does. */
  cluster: string;
  image: ImageInfo;
  /** The progressive strategy that ran; undefined for a rolling update, a restore or a dry run. */
  strategy?: StrategyName;
  servingPlan?: ServingPlan;
  outcome?: ReleaseOutcome;
  strategyOutcome?: StrategyOutcome;
  /** From apply to the end of the rollout (or its rollback), the strategy's steps included. */
  rolloutMs?: number;
  endpoint?: ReleaseEndpoint;
  addressMs?: number;
  error?: unknown;
}

export function inGroup<T>(hooks: DeployHooks, title: string, body: () => Promise<T>): Promise<T> {
  return hooks.group ? hooks.group(title, body) : body();
}
