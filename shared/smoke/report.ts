import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Failure } from './failures.ts';
import { FAILURE_TITLES } from './failures.ts';
import type { SmokeTestResult } from './smoke-test.ts';

/** What a report is about: where, how, which model, against which SLOs. */
export interface ReportContext {
  endpoint: string;
  protocol: string;
  model?: string | undefined;
  version?: string | undefined;
  slo: object;
}

/** The JSON report: everything measured, nothing secret (no headers, no token). */
export function reportDocument(result: SmokeTestResult, context: ReportContext): object {
  const load = result.load;
  return {
    passed: result.passed,
    failures: result.failures.map((f: Failure) => ({
      kind: f.kind,
      title: FAILURE_TITLES[f.kind],
      message: f.message,
    })),
    endpoint: context.endpoint,
    protocol: context.protocol,
    model: context.model,
    modelVersion: context.version,
    slo: context.slo,
    readiness: result.readiness,
    metadata: result.metadata,
    inference: result.inference,
    openapi: { validatedResponses: result.validatedResponses },
    load:
      load === undefined
        ? undefined
        : {
            requests: load.requests,
            concurrency: load.concurrency,
            failed: load.failed,
            errorRate: load.errorRate,
            durationMs: load.durationMs,
            requestsPerSecond: load.requestsPerSecond,
            statuses: load.statuses,
            errors: load.errors,
            latencyMs: load.latency,
            histogram: {
              method: 'log-linear buckets, 1024 per power of two (≤0.1% error)',
              bins: load.histogram.distribution(20),
            },
          },
  };
}

/** Writes the report into `dir` under a name of its own, readable by this user only; returns its path. */
export function writeReportFile(
  dir: string,
  result: SmokeTestResult,
  context: ReportContext,
): string {
  const file = join(dir, `smoke-test-report-${randomBytes(4).toString('hex')}.json`);
  const document = reportDocument(result, context);
  writeFileSync(file, JSON.stringify(document, null, 2) + '\n', { mode: 0o600 });
  return file;
}

function round(ms: number): number {
  return Number(ms.toFixed(ms < 10 ? 2 : 1));
}

/** Mermaid's xychart-beta bars: p50/p95/p99, with the SLO as a line when there is one. */
export function percentileChart(
  result: SmokeTestResult,
  sloP95Ms: number | undefined,
): string | undefined {
  const load = result.load;
  if (load === undefined || load.histogram.count === 0) return undefined;
  const values = [load.latency.p50, load.latency.p95, load.latency.p99].map(round);
  const top = Math.max(...values, sloP95Ms ?? 0) * 1.15 || 1;
  const lines = [
    'xychart-beta',
    '  title "Latency percentiles (ms)"',
    '  x-axis [p50, p95, p99]',
    `  y-axis "ms" 0 --> ${round(top)}`,
    `  bar [${values.join(', ')}]`,
  ];
  if (sloP95Ms !== undefined) lines.push(`  line [${[sloP95Ms, sloP95Ms, sloP95Ms].join(', ')}]`);
  return lines.join('\n');
}

/** The latency distribution as a bar chart of equal-width bins. */
export function histogramChart(result: SmokeTestResult, bins = 12): string | undefined {
  const load = result.load;
  if (load === undefined || load.histogram.count === 0) return undefined;
  const distribution = load.histogram.distribution(bins);
  const labels = distribution.map((b) => `"${round(b.fromMs)}"`);
  const counts = distribution.map((b) => b.count);
  return [
    'xychart-beta',
    '  title "Latency distribution (requests per bin, ms)"',
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "requests" 0 --> ${Math.max(...counts, 1)}`,
    `  bar [${counts.join(', ')}]`,
  ].join('\n');
}
