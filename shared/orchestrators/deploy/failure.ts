import { UserError } from '../../common/errors.ts';
import type { ReleaseOutcome } from '../../kube/release.ts';
import { explainBudget, explainPlacement, type ServingPlan } from '../../kube/serving-plan.ts';

/** A failed rollout in words: why, what the budget and placement say, and what serves now. */
export function rolloutFailure(
  release: string,
  outcome: ReleaseOutcome,
  servingPlan: ServingPlan | undefined,
): UserError | undefined {
  const { failure } = outcome;
  if (!failure) return undefined;
  const restored =
    outcome.status === 'rolled-back'
      ? `; revision ${outcome.revision} was restored and is serving`
      : '';
  const budget = servingPlan
    ? explainBudget(failure, servingPlan.budgets, servingPlan.spec.runtime.readinessPath)
    : undefined;
  const placement = servingPlan ? explainPlacement(failure, servingPlan.spec) : undefined;
  return new UserError(
    `rollout of ${release} failed: ${failure.reason}: ${failure.message}${budget ? ` (${budget})` : ''}${placement ? `; ${placement}` : ''}${restored}`,
    { hint: failure.diagnosis.split('\n')[0] || 'see the rollout log above' },
  );
}

/** The deployment record's description of a finished run. */
export function finishedDescription(outcome: ReleaseOutcome, unreachable: boolean): string {
  if (outcome.failure) return `failed: ${outcome.failure.reason}`;
  return unreachable
    ? `revision ${outcome.revision} serves, but has no address`
    : `revision ${outcome.revision}`;
}
