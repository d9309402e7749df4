import { errorMessage } from '../common/errors.ts';
import { LatencyHistogram } from './histogram.ts';
import type { HttpRequest } from './http-client.ts';
import { statusLabel, type SmokeTransport } from './transport.ts';

export interface LoadOptions {
  requests: number;
  concurrency: number;
  /** Requests sent first and not measured: connection set-up, JIT and server caches. */
  warmup: number;
  request: HttpRequest;
  /** Which status codes count as success; the transport's own (2xx, or gRPC OK) by default. */
  isSuccess?: (status: number) => boolean;
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  failed: number;
  errorRate: number;
  durationMs: number;
  requestsPerSecond: number;
  /** Responses by status code, network failures by error code. */
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** The first failure of each kind, for the log. */
  examples: string[];
  latency: {
    p50: number;
    p90: number;
    p95: number;
    p99: number;
    min: number;
    max: number;
    mean: number;
  };
  histogram: LatencyHistogram;
}

function errorKey(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : ((err as Error)?.name ?? 'Error');
}

/**
 * A closed-loop load generator: `concurrency` workers over one keep-alive
 * pool, each sending its next request as soon as the last one is answered,
 * until `requests` are done. Latency is recorded per request into a
 * log-linear histogram (constant time and memory, percentiles within 0.1 %);
 * the error rate counts non-success statuses and network failures alike.
 */
export async function runLoad(client: SmokeTransport, options: LoadOptions): Promise<LoadResult> {
  const isSuccess = options.isSuccess ?? ((status: number) => client.isSuccess(status));
  const concurrency = Math.max(1, Math.min(options.concurrency, Math.max(1, options.requests)));
  const histogram = new LatencyHistogram();
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const examples: string[] = [];
  let failed = 0;
  const prepared = client.prepare(options.request);

  async function drive(total: number, measure: boolean): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        const started = performance.now();
        try {
          const status = await client.status(prepared);
          const elapsed = performance.now() - started;
          if (!measure) continue;
          histogram.record(elapsed);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (!isSuccess(status)) {
            failed++;
            const label = statusLabel(client, status);
            if (!examples.some((e) => e.startsWith(label))) examples.push(label);
          }
        } catch (err) {
          if (!measure) continue;
          failed++;
          const key = errorKey(err);
          errors[key] = (errors[key] ?? 0) + 1;
          if (!examples.some((e) => e.startsWith(key)))
            examples.push(`${key}: ${errorMessage(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(total, 1)) }, worker));
  }

  if (options.warmup > 0) await drive(options.warmup, false);
  const started = performance.now();
  await drive(options.requests, true);
  const durationMs = performance.now() - started;
  return {
    requests: options.requests,
    concurrency,
    failed,
    errorRate: options.requests === 0 ? 0 : failed / options.requests,
    durationMs,
    requestsPerSecond: durationMs === 0 ? 0 : options.requests / (durationMs / 1000),
    statuses,
    errors,
    examples,
    latency: {
      p50: histogram.percentile(50),
      p90: histogram.percentile(90),
      p95: histogram.percentile(95),
      p99: histogram.percentile(99),
      min: histogram.min,
      max: histogram.max,
      mean: histogram.mean,
    },
    histogram,
  };
}
