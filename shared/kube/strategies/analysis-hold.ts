import { sleep } from '../../common/retry.ts';
import { runAnalysis, type AnalysisResult, type AnalysisTarget } from './analysis.ts';
import type { StrategyContext } from './context.ts';
import { checkStop } from './stop.ts';
import { RolloutStopped } from './types.ts';

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
