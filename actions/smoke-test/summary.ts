import { JobSummary, type Cell } from '../../shared/action/index.ts';
import type { SmokeTestRequest } from '../../shared/orchestrators/run-smoke-test.ts';
import type { Endpoint } from '../../shared/smoke/endpoint.ts';
import { describeFailure } from '../../shared/smoke/failures.ts';
import { histogramChart, percentileChart } from '../../shared/smoke/report.ts';
import type { SmokeTestResult } from '../../shared/smoke/smoke-test.ts';

function ms(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function short(n: number | undefined): string {
  if (n === undefined) return '—';
  return Math.abs(n) >= 1e-3 || n === 0 ? String(Number(n.toPrecision(6))) : n.toExponential(3);
}

/** What the verdict is about: the model (and version) and where it was reached. */
export function subjectOf(request: SmokeTestRequest, endpoint: Endpoint): string {
  const { model, version } = request.target;
  if (model === undefined) return endpoint.displayName;
  return `model '${model}'${version === undefined ? '' : ` version ${version}`} at ${endpoint.displayName}`;
}

/** What was checked: the endpoint, the model served, readiness and the inference. */
function checkedFacts(
  result: SmokeTestResult,
  request: SmokeTestRequest,
  endpoint: Endpoint,
): Array<[string, Cell]> {
  const { model, version } = request.target;
  return [
    ['Endpoint', endpoint.displayName],
    ['Protocol', request.protocol],
    ['Model', [model, version && `version ${version}`].filter(Boolean).join(' ')],
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
    ['OpenAPI', request.openapi ? `${result.validatedResponses} responses validated` : undefined],
  ];
}

/** The numbers of the load against the SLOs. */
function loadFacts(result: SmokeTestResult, request: SmokeTestRequest): Array<[string, Cell]> {
  const { load } = result;
  const { slo } = request;
  return [
    [
      'Requests',
      load
        ? `${load.requests} at concurrency ${load.concurrency} (warm-up ${request.warmup})`
        : undefined,
    ],
    [
      'p50 / p95 / p99',
      load
        ? `${ms(load.latency.p50)} / ${ms(load.latency.p95)} / ${ms(load.latency.p99)}`
        : undefined,
    ],
    ['SLO p95', slo.p95Ms === undefined ? undefined : `${slo.p95Ms} ms`],
    [
      'Error rate',
      load
        ? `${(load.errorRate * 100).toFixed(2)}% (SLO ${(slo.errorRate * 100).toFixed(2)}%)`
        : undefined,
    ],
    ['Throughput', load ? `${load.requestsPerSecond.toFixed(1)} requests/s` : undefined],
  ];
}

/** Expected and received values side by side; of many, the wrong ones first. */
function writeComparison(summary: JobSummary, result: SmokeTestResult): void {
  const compared = result.inference?.compared ?? [];
  if (compared.length === 0) return;
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

function writeLatency(summary: JobSummary, result: SmokeTestResult, sloP95Ms?: number): void {
  const percentiles = percentileChart(result, sloP95Ms);
  if (percentiles === undefined) return;
  summary.heading('Latency');
  summary.mermaid(percentiles);
  const histogram = histogramChart(result);
  if (histogram !== undefined) summary.mermaid(histogram);
}

/** The verdict first, then what was checked, then the numbers behind it. */
export async function writeSummary(
  result: SmokeTestResult,
  request: SmokeTestRequest,
  endpoint: Endpoint,
): Promise<void> {
  const summary = new JobSummary(`smoke-test ${result.passed ? '✅ passed' : '❌ failed'}`);
  if (!result.passed) {
    summary.paragraph(result.failures.map((f) => `- **${describeFailure(f)}**`).join('\n'));
  }
  summary.facts([...checkedFacts(result, request, endpoint), ...loadFacts(result, request)]);
  writeComparison(summary, result);
  writeLatency(summary, result, request.slo.p95Ms);
  await summary.write();
}
