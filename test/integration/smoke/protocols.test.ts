import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { smokeTestEndpoint, type SmokeTestResult } from '../../../shared/smoke/smoke-test.ts';
import {
  startModelServer,
  type FixtureMode,
  type ModelServer,
} from '../../support/model-server-fixture.ts';
import { CASES, type ProtocolCase } from '../../support/smoke-cases.ts';

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function smoke(
  testCase: ProtocolCase,
  mode: FixtureMode,
  overrides: { requests?: number; sloP95Ms?: number; waitReadyMs?: number } = {},
): Promise<SmokeTestResult> {
  server = await startModelServer({ protocol: testCase.protocol, mode, slowMs: 60 });
  const management = testCase.management?.(server);
  return smokeTestEndpoint({
    endpoint: { baseUrl: server.url, headers: {}, displayName: server.url },
    management:
      management === undefined
        ? undefined
        : { baseUrl: management, headers: {}, displayName: management },
    protocol: testCase.protocol,
    http: testCase.http ?? { method: 'POST', path: '/', readyPath: undefined },
    target: { model: testCase.model, version: testCase.version },
    request: testCase.request,
    expect: parseExpectations(testCase.expect),
    openapi: undefined,
    requests: overrides.requests ?? 30,
    concurrency: 4,
    warmup: 2,
    waitReadyMs: overrides.waitReadyMs ?? 10_000,
    timeoutMs: 5000,
    slo: { p95Ms: overrides.sloP95Ms, errorRate: 0 },
    logger: silentLogger,
  });
}

function kinds(result: SmokeTestResult): string[] {
  return result.failures.map((f) => f.kind);
}

describe.each(CASES)('protocol $protocol against the model-server fixture', (testCase) => {
  it('passes against a good server, with latency measured', async () => {
    const result = await smoke(testCase, 'good');
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.load?.requests).toBe(30);
    expect(result.load?.failed).toBe(0);
    expect(result.load?.histogram.count).toBe(30);
    expect(result.load!.latency.p50).toBeGreaterThan(0);
    expect(result.load!.latency.p99).toBeGreaterThanOrEqual(result.load!.latency.p50);
    // warm-up + check + load all reached the model
    expect(server!.inferences()).toBe(1 + 2 + 30);
  });

  it('fails a wrong answer with a diff', async () => {
    const result = await smoke(testCase, 'wrong-answer', { requests: 0 });
    expect(kinds(result)).toEqual(['wrong-answer']);
    const message = result.failures[0]!.message;
    if (testCase.protocol === 'openai') {
      expect(message).toBe('expected the text "setosa", got "virginica"');
    } else {
      expect(message).toMatch(
        /output '\w+' index (0|setosa): expected 0\.\d+, got [\d.e-]+ \(off by [\d.e-]+\); tolerance abs 0\.00001 \+ rel 0\.0001 allows/,
      );
      expect(message).toMatch(/expected 'setosa' in the top 1, got 'virginica'/);
    }
  });

  it('fails a slow server on the p95 SLO', async () => {
    const result = await smoke(testCase, 'slow', { requests: 12, sloP95Ms: 30 });
    expect(kinds(result)).toEqual(['slo-miss']);
    expect(result.failures[0]!.message).toMatch(
      /^p95 \d+\.\d ms > slo-p95-ms 30 \(p50 .* over 12 requests at concurrency 4\)$/,
    );
    expect(result.load!.latency.p95).toBeGreaterThanOrEqual(60);
  });

  it('fails 5xx bursts on the error rate', async () => {
    const result = await smoke(testCase, 'errors', { requests: 40 });
    expect(kinds(result)).toEqual(['server-errors']);
    // 3 of every 10 inferences fail; the first 3 went to the check and the warm-up
    expect(result.load!.failed).toBe(12);
    expect(result.failures[0]!.message).toBe(
      '12 of 40 requests failed (error rate 30.00% > slo-error-rate 0.00%): HTTP 503 ×12',
    );
  });

  it('fails a server that never becomes ready, with its last answer', async () => {
    const result = await smoke(testCase, 'never-ready', { waitReadyMs: 1200 });
    expect(kinds(result)).toEqual(['not-ready']);
    expect(result.readiness.attempts).toBeGreaterThan(1);
    expect(result.failures[0]!.message).toMatch(
      /^not ready after 1\.2s \(\d+ probes\); last answer: /,
    );
    expect(server!.inferences()).toBe(0);
  });
});

// Plain HTTP has no notion of a model version, so it has no such case.
describe.each(CASES.filter((c) => c.protocol !== 'http'))(
  'protocol $protocol and versions',
  (testCase) => {
    it('fails the wrong model version', async () => {
      const result = await smoke(testCase, 'wrong-version', { requests: 0 });
      expect(kinds(result)[0]).toBe('wrong-version');
      expect(result.failures[0]!.message).toBe(
        testCase.protocol === 'openai'
          ? "expected the model 'iris', the server serves 'iris-v2'"
          : "expected version 1 of 'iris', the server serves version 2",
      );
    });
  },
);

describe('openai against a base model without a chat template', () => {
  it('the default check falls back from chat to /v1/completions, and the load uses it', async () => {
    server = await startModelServer({
      protocol: 'openai',
      mode: 'no-chat-template',
      model: 'base',
    });
    const lines: string[] = [];
    const result = await smokeTestEndpoint({
      endpoint: { baseUrl: server.url, headers: {}, displayName: server.url },
      management: undefined,
      protocol: 'openai',
      http: { method: 'POST', path: '/', readyPath: undefined },
      target: { model: 'base', version: undefined },
      request: undefined,
      expect: undefined,
      openapi: undefined,
      requests: 5,
      concurrency: 1,
      warmup: 0,
      waitReadyMs: 10_000,
      timeoutMs: 5000,
      slo: { p95Ms: undefined, errorRate: 0 },
      logger: { ...silentLogger, info: (m: string) => lines.push(m) },
    });
    expect(result.failures).toEqual([]);
    expect(result.inference?.path).toBe('/v1/completions');
    expect(result.inference?.outputs?.text).toBe(' ready');
    expect(result.load?.failed).toBe(0);
    expect(lines.join('\n')).toContain('the model has no chat template (a base model)');
  });

  it('a request the user gave is not replaced: the refusal is reported', async () => {
    server = await startModelServer({
      protocol: 'openai',
      mode: 'no-chat-template',
      model: 'base',
    });
    const result = await smokeTestEndpoint({
      endpoint: { baseUrl: server.url, headers: {}, displayName: server.url },
      management: undefined,
      protocol: 'openai',
      http: { method: 'POST', path: '/', readyPath: undefined },
      target: { model: 'base', version: undefined },
      request: { messages: [{ role: 'user', content: 'hi' }] },
      expect: undefined,
      openapi: undefined,
      requests: 0,
      concurrency: 1,
      warmup: 0,
      waitReadyMs: 10_000,
      timeoutMs: 5000,
      slo: { p95Ms: undefined, errorRate: 0 },
      logger: silentLogger,
    });
    expect(result.failures.map((f) => f.kind)).toEqual(['bad-status']);
    expect(result.failures[0]?.message).toContain('chat template');
  });
});
