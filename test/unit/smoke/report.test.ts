import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../shared/smoke/histogram.ts';
import type { LoadResult } from '../../../shared/smoke/load.ts';
import {
  histogramChart,
  percentileChart,
  reportDocument,
  writeReportFile,
} from '../../../shared/smoke/report.ts';
import type { SmokeTestResult } from '../../../shared/smoke/smoke-test.ts';

function load(latencies: number[]): LoadResult {
  const histogram = new LatencyHistogram();
  for (const ms of latencies) histogram.record(ms);
  return {
    requests: latencies.length,
    concurrency: 2,
    failed: 1,
    errorRate: 1 / latencies.length,
    durationMs: 1000,
    requestsPerSecond: latencies.length,
    statuses: { '200': latencies.length - 1, '503': 1 },
    errors: {},
    examples: ['503 Service Unavailable'],
    latency: {
      p50: histogram.percentile(50),
      p90: histogram.percentile(90),
      p95: histogram.percentile(95),
      p99: histogram.percentile(99),
      min: Math.min(...latencies),
      max: Math.max(...latencies),
      mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    },
    histogram,
  };
}

function result(more: Partial<SmokeTestResult> = {}): SmokeTestResult {
  return {
    passed: false,
    failures: [{ kind: 'slo-miss', message: 'p95 40 ms > slo-p95-ms 30' }],
    readiness: { ready: true, attempts: 2, waitedMs: 300, detail: 'ready' },
    metadata: undefined,
    inference: undefined,
    validatedResponses: 3,
    load: load([5, 6, 7, 8, 9, 10, 20, 40]),
    ...more,
  };
}

const CONTEXT = {
  endpoint: 'http://127.0.0.1:8000',
  protocol: 'v2',
  model: 'iris',
  version: '1',
  slo: { p95Ms: 30, errorRate: 0 },
};

describe('the smoke-test report', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the verdict, every failure titled, and the numbers', () => {
    const document = reportDocument(result(), CONTEXT) as {
      passed: boolean;
      failures: unknown[];
      modelVersion: string;
      openapi: unknown;
      load: { statuses: unknown; histogram: { bins: Array<{ count: number }> } };
    };
    expect(document.passed).toBe(false);
    expect(document.failures).toEqual([
      { kind: 'slo-miss', title: 'latency SLO missed', message: 'p95 40 ms > slo-p95-ms 30' },
    ]);
    expect(document.modelVersion).toBe('1');
    expect(document.openapi).toEqual({ validatedResponses: 3 });
    expect(document.load.statuses).toEqual({ '200': 7, '503': 1 });
    expect(document.load.histogram.bins.reduce((n, b) => n + b.count, 0)).toBe(8);
    expect(reportDocument(result({ load: undefined }), CONTEXT)).toMatchObject({ load: undefined });
  });

  it('is written as JSON the user alone may read, under a name of its own', () => {
    const first = writeReportFile(dir, result(), CONTEXT);
    const second = writeReportFile(dir, result(), CONTEXT);
    expect(first).not.toBe(second);
    expect(first.startsWith(join(dir, 'smoke-test-report-'))).toBe(true);
    expect(statSync(first).mode & 0o777).toBe(0o600);
    const text = readFileSync(first, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(reportDocument(result(), CONTEXT))));
  });

  it('charts the percentiles with the SLO line, and the distribution', () => {
    const chart = percentileChart(result(), 30)!;
    expect(chart).toContain('x-axis [p50, p95, p99]');
    expect(chart).toContain('line [30, 30, 30]');
    expect(percentileChart(result(), undefined)).not.toContain('line');
    const bins = histogramChart(result(), 4)!;
    const counts = /bar \[([^\]]*)\]/.exec(bins)![1]!.split(', ').map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(percentileChart(result({ load: undefined }), 30)).toBeUndefined();
  });
});
