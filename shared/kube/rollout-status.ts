/**
 * Rollout progress as `kubectl rollout status` judges it, as a pure function
 * of the Deployment, so it can be tested on recorded objects.
 */

export interface DeploymentState {
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Array<{
      type?: string;
      status?: string;
      reason?: string;
      message?: string;
      lastUpdateTime?: string;
    }>;
  };
}

export type RolloutVerdict =
  | { state: 'progressing'; message: string }
  | { state: 'complete'; message: string }
  | { state: 'failed'; reason: string; message: string };

export interface EvaluateOptions {
  /**
   * The lastUpdateTime of a ProgressDeadlineExceeded condition the Deployment
   * had before this rollout was applied. The deployment controller keeps that
   * reason, unchanged, until the rollout makes progress (restoring a previous
   * ReplicaSet does not reset it), so it says nothing about this rollout.
   */
  staleDeadline?: string;
}

export function evaluateRollout(
  deployment: DeploymentState,
  options: EvaluateOptions = {},
): RolloutVerdict {
  const name = deployment.metadata?.name ?? '';
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if (generation > (status.observedGeneration ?? 0)) {
    return {
      state: 'progressing',
      message: 'waiting for the deployment spec update to be observed',
    };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  // Compared as instants: one side may carry milliseconds, the other not.
  const stale =
    options.staleDeadline !== undefined &&
    progressing?.lastUpdateTime !== undefined &&
    Date.parse(progressing.lastUpdateTime) === Date.parse(options.staleDeadline);
  if (progressing?.reason === 'ProgressDeadlineExceeded' && !stale) {
    return {
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      message: `deployment "${name}" exceeded its progress deadline`,
    };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) {
    return {
      state: 'progressing',
      message: `${updated} of ${desired} new replicas updated, ${available} available`,
    };
  }
  if (total > updated) {
    return {
      state: 'progressing',
      message: `${total - updated} old replicas pending termination`,
    };
  }
  if (available < updated) {
    return {
      state: 'progressing',
      message: `${available} of ${updated} updated replicas available`,
    };
  }
  return { state: 'complete', message: `${available} of ${desired} replicas available` };
}
