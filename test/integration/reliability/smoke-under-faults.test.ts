import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import { smokeTestEndpoint, type SmokeTestResult } from '../../../shared/smoke/smoke-test.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../support/fault-proxy.ts';
import { startModelServer, type ModelServer } from '../../support/model-server-fixture.ts';
import { CASES } from '../../support/smoke-cases.ts';

/**
 * The smoke test against a good model server (Open Inference Protocol v2)
 * with faults injected between them. Each fault must end in a verdict that
 * names its class: a transient one is ridden out or tolerated by the SLO, a
 * real one fails with the class the user needs to read. The smoke test must
 * never throw a raw network error instead of a verdict.
 *
 * Order of requests: readiness probes, GET metadata, the one checked
 * inference (1st POST), the warm-up (2nd POST), then the load (3rd POST on).
 */

const v2 = CASES.find((c) => c.protocol === 'v2')!;
const INFER = /\/v2\/models\/iris\/versions\/1\/infer$/;
const METADATA = /^\/v2\/models\/iris$/;

let server: ModelServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startModelServer({ protocol: 'v2' });
  proxy = await startFaultProxy({ upstream: server.url });
});
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});
afterEach(() => proxy.rules.clear());

function smoke(slo: { errorRate?: number; waitReadyMs?: number } = {}): Promise<SmokeTestResult> {
  return smokeTestEndpoint({
    endpoint: { baseUrl: proxy.url, headers: {}, displayName: proxy.url },
    management: undefined,
    protocol: 'v2',
    http: { method: 'POST', path: '/', readyPath: undefined },
    target: { model: v2.model, version: v2.version },
    request: v2.request,
    expect: parseExpectations(v2.expect),
    openapi: undefined,
    requests: 10,
    concurrency: 2,
    warmup: 1,
    waitReadyMs: slo.waitReadyMs ?? 3000,
    timeoutMs: 1500,
    slo: { p95Ms: undefined, errorRate: slo.errorRate ?? 0 },
    logger: silentLogger,
  });
}

const kinds = (result: SmokeTestResult) => result.failures.map((f) => f.kind);

describe('smoke-test under faults between it and the model server', () => {
  it('passes through the proxy when nothing is injected', async () => {
    const result = await smoke();
    expect(result.failures).toEqual([]);
    expect(proxy.stats().count('POST', INFER)).toBeGreaterThanOrEqual(12);
  });

  it('waits out a readiness probe answering 503 three times', async () => {
    proxy.rules.add({ path: /ready$/, times: 3, fault: { kind: 'status', status: 503 } });
    const result = await smoke();
    expect(result.failures).toEqual([]);
    expect(result.readiness.attempts).toBeGreaterThan(1);
  });

  it('names an endpoint that closes every connection unreachable', async () => {
    proxy.rules.add({ fault: { kind: 'close' } });
    const result = await smoke({ waitReadyMs: 1000 });
    expect(kinds(result)).toEqual(['unreachable']);
    expect(result.failures[0]?.message).toMatch(
      /lost the connection to the model server at 127\.0\.0\.1:\d+: the connection was closed by the server or something in between \(UND_ERR_SOCKET\)/,
    );
  });

  it('names a 500 on the checked inference bad-status, with the status in the message', async () => {
    proxy.rules.add({
      method: 'POST',
      path: INFER,
      nth: 1,
      fault: { kind: 'status', status: 500 },
    });
    const result = await smoke();
    expect(kinds(result)).toEqual(['bad-status']);
    expect(result.failures[0]?.message).toMatch(/answered 500/);
  });

  it('names a server that always answers 503 by status and by error rate', async () => {
    proxy.rules.add({ method: 'POST', path: INFER, fault: { kind: 'status', status: 503 } });
    const result = await smoke();
    expect(kinds(result)).toEqual(['bad-status', 'server-errors']);
    expect(result.failures[1]?.message).toMatch(/10 of 10 requests failed.*HTTP 503 ×10/);
  });

  it('ignores a failure of the warm-up request', async () => {
    proxy.rules.add({ method: 'POST', path: INFER, nth: 2, fault: { kind: 'close' } });
    const result = await smoke();
    expect(result.failures).toEqual([]);
    expect(proxy.stats().rules[0]?.fired).toBe(1);
  });

  const loadFaults: Array<[string, FaultRule['fault'], RegExp]> = [
    ['a reset', { kind: 'reset-response', afterBytes: 20 }, /ECONNRESET ×1/],
    ['a stalled body', { kind: 'stall' }, /UND_ERR_BODY_TIMEOUT ×1/],
    ['a 503', { kind: 'status', status: 503 }, /HTTP 503 ×1/],
  ];
  it.each(loadFaults)(
    'counts %s during the load against the error-rate SLO, naming its cause',
    async (_what, fault, cause) => {
      proxy.rules.add({ method: 'POST', path: INFER, nth: 5, fault });
      const strict = await smoke({ errorRate: 0 });
      expect(kinds(strict)).toEqual(['server-errors']);
      expect(strict.failures[0]?.message).toMatch(/1 of 10 requests failed/);
      expect(strict.failures[0]?.message).toMatch(cause);

      proxy.rules.clear();
      proxy.rules.add({ method: 'POST', path: INFER, nth: 5, fault });
      const tolerant = await smoke({ errorRate: 0.2 });
      expect(tolerant.failures).toEqual([]);
    },
  );

  const checkFaults: Array<[string, FaultRule['fault'], RegExp]> = [
    ['a reset mid-body', { kind: 'reset-response', afterBytes: 20 }, /ECONNRESET|terminated/],
    ['a truncated body', { kind: 'truncate', bytes: 20 }, /UND_ERR_SOCKET|closed|terminated/],
    ['a stalled body', { kind: 'stall' }, /UND_ERR_BODY_TIMEOUT after 1\.5 s/],
    ['a connection closed without an answer', { kind: 'close' }, /UND_ERR_SOCKET|closed/],
  ];
  it.each(checkFaults)(
    'gives a verdict, not a raw network error, when the checked inference meets %s',
    async (_what, fault, cause) => {
      proxy.rules.add({ method: 'POST', path: INFER, nth: 1, fault });
      const result = await smoke().catch((error: unknown) => error);
      expect(result, 'smokeTestEndpoint threw instead of returning a verdict').not.toBeInstanceOf(
        Error,
      );
      const verdict = result as SmokeTestResult;
      // Either a retry rode it out, or the verdict is a network class naming the cause.
      if (!verdict.passed) {
        expect(['unreachable', 'server-errors']).toContain(verdict.failures[0]?.kind);
        expect(verdict.failures[0]?.message).toMatch(cause);
      }
    },
  );

  const metadataFaults: Array<[string, FaultRule]> = [
    [
      'a reset',
      { method: 'GET', path: METADATA, fault: { kind: 'reset-response', afterBytes: 5 } },
    ],
    [
      'one 503',
      { method: 'GET', path: METADATA, times: 1, fault: { kind: 'status', status: 503 } },
    ],
  ];
  it.each(metadataFaults)(
    'does not call %s on the metadata request a wrong model',
    async (_what, rule) => {
      proxy.rules.add(rule);
      const result = await smoke();
      expect(kinds(result)).not.toContain('wrong-metadata');
    },
  );
});
