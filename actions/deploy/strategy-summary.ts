import { setOutput, type JobSummary } from '../../shared/action/index.ts';
import { formatDuration } from '../../shared/common/duration.ts';
import { formatNumber, type AnalysisResult } from '../../shared/kube/analysis.ts';
import type { StrategyOutcome } from '../../shared/kube/strategies/types.ts';

/** The outputs and job summary section of a canary or blue-green release. */

export function setStrategyOutputs(outcome: StrategyOutcome | undefined): void {
  setOutput('promoted', outcome?.promoted ? 'true' : 'false');
  setOutput('step', String(outcome?.step ?? 0));
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

export function writeStrategySummary(summary: JobSummary, outcome: StrategyOutcome): void {
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
