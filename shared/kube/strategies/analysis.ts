import { request } from 'undici';
import type { ClusterConnection } from '../../clouds/types.ts';
import { errorMessage, oneLine, UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import { describeFailure, type Failure } from '../../smoke/failures.ts';
import { serviceProxyEndpoint } from '../../smoke/service-proxy.ts';
import { smokeTestEndpoint, type SmokeTestOptions } from '../../smoke/smoke-test.ts';
import { MiB, readText } from '../../common/bounded-body.ts';

/**
 * The analysis that gates each step of a progressive rollout: the smoke test
 * (readiness, a checked inference, a short load against the SLOs) sent to the
 * new version's own Service through the API server's service proxy, plus
 * optional metric checks read from Prometheus's HTTP API
 * (`GET /api/v1/query`), each with a success condition.
 */

export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface MetricCheck {
  name: string;
  /**
   * PromQL; `{{ release }}`, `{{ namespace }}`, `{{ canary }}` (the new
   * version's Deployment) and `{{ stable }}` are filled in before sending.
   */
  query: string;
  operator: ComparisonOperator;
  threshold: number;
}

/** The smoke-test part of the analysis: what to send and what a good answer is. */
export type SmokeAnalysis = Omit<SmokeTestOptions, 'endpoint' | 'management' | 'logger'>;

export interface AnalysisSpec {
  smoke: SmokeAnalysis;
  prometheus?: { url: string; checks: MetricCheck[]; timeoutMs?: number };
}

export interface AnalysisTarget {
  namespace: string;
  /** The Service that selects only the version under analysis. */
  service: string;
  port: number;
  release: string;
  canaryDeployment: string;
  stableDeployment: string;
}

export interface MetricResult {
  name: string;
  query: string;
  condition: string;
  /** Every sample the query returned (a vector may have several). */
  values: number[];
  passed: boolean;
  message: string;
}

export interface AnalysisResult {
  passed: boolean;
  smoke: {
    passed: boolean;
    failures: Failure[];
    p95Ms?: number;
    errorRate?: number;
    requests?: number;
  };
  metrics: MetricResult[];
  /** One line per failed check, or `passed`. */
  verdict: string;
}

export function conditionText(check: Pick<MetricCheck, 'operator' | 'threshold'>): string {
  return `${check.operator} ${check.threshold}`;
}

export function compare(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export function fillQuery(query: string, target: AnalysisTarget): string {
  const values: Record<string, string> = {
    release: target.release,
    namespace: target.namespace,
    canary: target.canaryDeployment,
    stable: target.stableDeployment,
  };
  return query.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

interface PrometheusAnswer {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: {
    resultType: 'vector' | 'scalar' | 'matrix' | 'string';
    result: unknown;
  };
}

/** The numbers in an instant query's result: one per vector sample, or the scalar. */
export function sampleValues(data: NonNullable<PrometheusAnswer['data']>): number[] {
  if (data.resultType === 'scalar') return [Number((data.result as [number, string])[1])];
  if (data.resultType === 'vector') {
    return (data.result as Array<{ value: [number, string] }>).map((s) => Number(s.value[1]));
  }
  throw new Error(`an instant query must return a vector or a scalar, not a ${data.resultType}`);
}

export async function queryPrometheus(
  baseUrl: string,
  query: string,
  timeoutMs: number,
): Promise<number[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/query`;
  const answer = await withRetry(
    async () => {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query }).toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await readText(response.body, 4 * MiB, `Prometheus at ${baseUrl}`);
      // Prometheus answers a bad query with 400/422 and a JSON error: not worth a retry.
      if (response.statusCode >= 500 || response.statusCode === 429) {
        throw new HttpStatusError(
          response.statusCode,
          url,
          `Prometheus answered HTTP ${response.statusCode}: ${oneLine(text).slice(0, 200)}`,
        );
      }
      try {
        return JSON.parse(text) as PrometheusAnswer;
      } catch {
        throw new UserError(
          `Prometheus at ${baseUrl} answered HTTP ${response.statusCode} with a body that is not JSON`,
          { hint: 'prometheus-url must be the server root, e.g. http://prometheus:9090' },
        );
      }
    },
    { attempts: 3, baseDelayMs: 200 },
  );
  if (answer.status !== 'success' || answer.data === undefined) {
    throw new UserError(
      `Prometheus refused the query ${query}: ${answer.errorType ?? 'error'}: ${answer.error ?? 'no data'}`,
      { hint: 'check the query in prometheus-queries' },
    );
  }
  return sampleValues(answer.data);
}

async function checkMetric(
  baseUrl: string,
  check: MetricCheck,
  target: AnalysisTarget,
  timeoutMs: number,
): Promise<MetricResult> {
  const query = fillQuery(check.query, target);
  const condition = conditionText(check);
  const base = { name: check.name, query, condition };
  let values: number[];
  try {
    values = await queryPrometheus(baseUrl, query, timeoutMs);
  } catch (err) {
    return { ...base, values: [], passed: false, message: errorMessage(err) };
  }
  // No samples means the metric is not there to vouch for the new version.
  if (values.length === 0) {
    return { ...base, values, passed: false, message: `${check.name}: the query returned no data` };
  }
  const bad = values.filter((v) => Number.isNaN(v) || !compare(v, check.operator, check.threshold));
  return {
    ...base,
    values,
    passed: bad.length === 0,
    message:
      bad.length === 0
        ? `${check.name} ${values.map(formatNumber).join(', ')} ${condition}`
        : `${check.name} is ${bad.map(formatNumber).join(', ')}, expected ${condition}`,
  };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

export async function runAnalysis(
  spec: AnalysisSpec,
  target: AnalysisTarget,
  connection: ClusterConnection,
  logger: Logger,
): Promise<AnalysisResult> {
  const endpoint = await serviceProxyEndpoint(
    { namespace: target.namespace, name: target.service, port: String(target.port) },
    connection,
  );
  const token = endpoint.headers.authorization?.replace(/^Bearer /, '');
  if (token) logger.secret(token);
  const smoke = await smokeTestEndpoint({ ...spec.smoke, endpoint, logger });
  const metrics: MetricResult[] = [];
  for (const check of spec.prometheus?.checks ?? []) {
    const result = await checkMetric(
      spec.prometheus!.url,
      check,
      target,
      spec.prometheus!.timeoutMs ?? 10_000,
    );
    logger.info(`metric ${result.passed ? 'passed' : 'FAILED'}: ${result.message}`);
    metrics.push(result);
  }
  const problems = [
    ...smoke.failures.map(describeFailure),
    ...metrics.filter((m) => !m.passed).map((m) => m.message),
  ];
  return {
    passed: problems.length === 0,
    smoke: {
      passed: smoke.passed,
      failures: smoke.failures,
      ...(smoke.load
        ? {
            p95Ms: smoke.load.latency.p95,
            errorRate: smoke.load.errorRate,
            requests: smoke.load.requests,
          }
        : {}),
    },
    metrics,
    verdict: problems.length === 0 ? 'passed' : problems.join('; '),
  };
}
