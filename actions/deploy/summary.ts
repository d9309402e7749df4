import { setOutput, type JobSummary } from '../../shared/action/index.ts';
import { formatDuration } from '../../shared/common/duration.ts';
import { formatNumber, type AnalysisResult } from '../../shared/kube/strategies/analysis.ts';
import type { StrategyOutcome } from '../../shared/kube/strategies/types.ts';
import { describeBudgets } from '../../shared/kube/serving-plan.ts';
import type { DeployResult } from '../../shared/orchestrators/deploy-release.ts';

/** The outputs of a deploy, as far as it got. */
export function setDeployOutputs(result: DeployResult): void {
  const { outcome, endpoint } = result;
  setOutput('status', outcome?.status ?? 'failed');
  if (outcome) {
    // Apply to rollout done (or rolled back), the strategy's steps included.
    setOutput(
      'rollout-seconds',
      outcome.status === 'dry-run' || result.rolloutMs === undefined
        ? ''
        : seconds(result.rolloutMs),
    );
    setOutput('revision', outcome.revision ?? '');
    setOutput('previous-revision', outcome.previousRevision ?? '');
    setOutput('url', endpoint?.url ?? '');
    setOutput('reach', endpoint?.reach ?? '');
    setOutput('service', endpoint?.service ?? '');
    setOutput('address-seconds', result.addressMs !== undefined ? seconds(result.addressMs) : '');
  }
  if (result.strategy) setStrategyOutputs(result.strategyOutcome);
}

function setStrategyOutputs(outcome: StrategyOutcome | undefined): void {
  setOutput('promoted', outcome?.promoted ? 'true' : 'false');
  setOutput('step', String(outcome?.step ?? 0));
}

/** Milliseconds as seconds with one decimal, for the timing outputs. */
function seconds(ms: number): string {
  return (Math.round(ms / 100) / 10).toFixed(1);
}

export function writeDeploySummary(summary: JobSummary, result: DeployResult): void {
  const { request, outcome, servingPlan } = result;
  const deployment = outcome?.objects.find((o) => o.kind === 'Deployment');
  const replicas = (deployment?.spec as { replicas?: number } | undefined)?.replicas;
  summary.facts([
    ['status', outcome?.status ?? 'failed'],
    ['cluster', result.cluster],
    ['namespace', request.namespace],
    ['revision', outcome?.revision],
    ['previous revision', outcome?.previousRevision],
    [
      'attempted revision',
      outcome?.attemptedRevision !== outcome?.revision ? outcome?.attemptedRevision : undefined,
    ],
    ['image', outcome?.image ?? result.image.reference],
    ['attempted image', outcome?.attemptedImage],
    [
      'replicas',
      request.autoscaling
        ? `${request.autoscaling.min}–${request.autoscaling.max} (autoscaled)`
        : replicas,
    ],
    ['runtime', servingPlan ? request.runtime : undefined],
    ['rolling update', servingPlan?.rollingUpdate.why],
    ['rollout budgets', servingPlan ? describeBudgets(servingPlan.budgets) : undefined],
    ['rollout time', outcome?.rollout ? formatDuration(outcome.rollout.durationMs) : undefined],
    ['url', result.endpoint?.url],
    [
      'waited for lock',
      outcome?.waitedFor ? `${formatDuration(outcome.waitedMs)} (${outcome.waitedFor})` : undefined,
    ],
  ]);
  writeReleaseDetails(summary, result);
  if (result.strategyOutcome) writeStrategySummary(summary, result.strategyOutcome);
}

function writeReleaseDetails(summary: JobSummary, { outcome, servingPlan }: DeployResult): void {
  if (servingPlan?.notes.length) {
    summary.paragraph(`Chosen for this release: ${servingPlan.notes.join('; ')}`);
  }
  if (outcome?.applied.length) summary.paragraph(`Applied: ${outcome.applied.join(', ')}`);
  if (outcome?.pruned.length) summary.paragraph(`Pruned: ${outcome.pruned.join(', ')}`);
  if (outcome?.failure) {
    summary.heading(`Rollout failed: ${outcome.failure.reason}`);
    summary.paragraph(outcome.failure.message);
    if (outcome.failure.diagnosis) summary.code(outcome.failure.diagnosis);
  }
  if (outcome?.diff) {
    summary.heading('Dry run: changes');
    summary.table(
      ['object', 'change'],
      outcome.diff.map((d) => [d.name, d.change]),
    );
    const patches = outcome.diff
      .filter((d) => d.patch)
      .map((d) => d.patch)
      .join('\n');
    if (patches) summary.code(patches, 'diff');
  }
}

function figures(analyses: AnalysisResult[]): string {
  const last = analyses[analyses.length - 1];
  if (!last) return '';
  const parts: string[] = [`${analyses.length} run${analyses.length === 1 ? '' : 's'}`];
  if (last.smoke.p95Ms !== undefined) parts.push(`p95 ${last.smoke.p95Ms.toFixed(1)} ms`);
  if (last.smoke.errorRate !== undefined)
    parts.push(`errors ${(last.smoke.errorRate * 100).toFixed(2)}%`);
  for (const metric of last.metrics)
    parts.push(`${metric.name} ${metric.values.map(formatNumber).join(', ') || 'no data'}`);
  return parts.join(', ');
}

function writeStrategySummary(summary: JobSummary, outcome: StrategyOutcome): void {
  const title = outcome.strategy === 'canary' ? 'Canary' : 'Blue-green';
  summary.heading(
    `${title}: ${outcome.promoted ? 'promoted' : outcome.aborted ? `withdrawn at step ${outcome.aborted.step}` : 'not promoted'}`,
  );
  summary.facts([
    ['traffic', outcome.strategy === 'canary' ? outcome.router : 'Service selector switch'],
    [
      'note',
      outcome.router === 'replicas' && outcome.strategy === 'canary'
        ? 'the split follows replica counts, so weights are approximate'
        : undefined,
    ],
    ['earlier run', outcome.recovered],
  ]);
  if (outcome.steps.length > 0) {
    summary.table(
      ['step', 'weight', 'analysis', 'verdict', 'time'],
      outcome.steps.map((s) => [
        outcome.strategy === 'canary' ? s.step : s.step === 1 ? '1 (preview)' : '2 (switched)',
        s.actualWeight === s.weight ? `${s.weight}%` : `${s.actualWeight}% (asked ${s.weight}%)`,
        figures(s.analyses),
        s.verdict === 'passed'
          ? '✅ passed'
          : `❌ ${s.analyses[s.analyses.length - 1]?.verdict ?? 'failed'}`,
        formatDuration(s.durationMs),
      ]),
    );
  }
}
