import { JobSummary } from '../../shared/action/index.ts';
import type { Endpoint } from '../../shared/smoke/endpoint.ts';
import { describeFailure } from '../../shared/smoke/failures.ts';
import { histogramChart, percentileChart } from '../../shared/smoke/report.ts';
import type { SmokeTestResult } from '../../shared/smoke/smoke-test.ts';
import type { Inputs } from './main.ts';

function ms(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function short(n: number | undefined): string {
  if (n === undefined) return '—';
  return Math.abs(n) >= 1e-3 || n === 0 ? String(Number(n.toPrecision(6))) : n.toExponential(3);
}

/** The verdict first, then what was checked, then the numbers behind it. */
export async function writeSummary(
  result: SmokeTestResult,
  inputs: Inputs,
  endpoint: Endpoint,
): Promise<void> {
  const summary = new JobSummary(`smoke-test ${result.passed ? '✅ passed' : '❌ failed'}`);
  if (!result.passed) {
    summary.paragraph(result.failures.map((f) => `- **${describeFailure(f)}**`).join('\n'));
  }
  const load = result.load;
  summary.facts([
    ['Endpoint', endpoint.displayName],
    ['Protocol', inputs.protocol],
    [
      'Model',
      [inputs.model, inputs.modelVersion && `version ${inputs.modelVersion}`]
        .filter(Boolean)
        .join(' '),
    ],
    [
      'Served',
      result.metadata
        ? `${result.metadata.name ?? '?'} (versions ${result.metadata.versions.join(', ') || '?'})`
        : undefined,
    ],
    [
      'Ready after',
      `${(result.readiness.waitedMs / 1000).toFixed(1)} s (${result.readiness.attempts} probes)`,
    ],
    [
      'Inference',
      result.inference ? `${result.inference.call} → ${result.inference.statusText}` : undefined,
    ],
    ['OpenAPI', inputs.openapi ? `${result.validatedResponses} responses validated` : undefined],
    [
      'Requests',
      load
        ? `${load.requests} at concurrency ${load.concurrency} (warm-up ${inputs.warmup})`
        : undefined,
    ],
    [
      'p50 / p95 / p99',
      load
        ? `${ms(load.latency.p50)} / ${ms(load.latency.p95)} / ${ms(load.latency.p99)}`
        : undefined,
    ],
    ['SLO p95', inputs.sloP95Ms === undefined ? undefined : `${inputs.sloP95Ms} ms`],
    [
      'Error rate',
      load
        ? `${(load.errorRate * 100).toFixed(2)}% (SLO ${(inputs.sloErrorRate * 100).toFixed(2)}%)`
        : undefined,
    ],
    ['Throughput', load ? `${load.requestsPerSecond.toFixed(1)} requests/s` : undefined],
  ]);
  const compared = result.inference?.compared ?? [];
  if (compared.length > 0) {
    summary.heading('Comparison');
    const rows =
      compared.length > 40
        ? [
            ...compared.filter((c) => !c.ok).slice(0, 30),
            ...compared.filter((c) => c.ok).slice(0, 10),
          ]
        : compared;
    summary.table(
      ['output', 'index', 'expected', 'got', 'difference', 'allowed', ''],
      rows.map((c) => [
        c.output,
        c.index,
        short(c.expected),
        short(c.got),
        short(c.difference),
        short(c.allowed),
        c.ok ? '✅' : '❌',
      ]),
    );
    if (rows.length < compared.length)
      summary.paragraph(
        `${compared.length - rows.length} more values not shown; all are in the report.`,
      );
  }
  const percentiles = percentileChart(result, inputs.sloP95Ms);
  if (percentiles !== undefined) {
    summary.heading('Latency');
    summary.mermaid(percentiles);
    const histogram = histogramChart(result);
    if (histogram !== undefined) summary.mermaid(histogram);
  }
  await summary.write();
}
