import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch, type HttpRequestInit } from '../../../shared/common/http.ts';
import {
  defaultClassify,
  HttpStatusError,
  withRetry,
  type RetryOptions,
} from '../../../shared/common/retry.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import {
  patternChunk,
  patternSha256,
  startUpstream,
  type Upstream,
} from '../../support/upstream.ts';

/**
 * The one retry helper, driven by real HTTP through the fault proxy. Waits are
 * recorded instead of slept, so the assertions are on the delays the helper
 * computed, not on wall time.
 */

let upstream: Upstream;
let proxy: FaultProxy;

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await startFaultProxy({ upstream: upstream.url, seed: 11 });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
afterEach(() => proxy.rules.clear());

interface Retried {
  attempt: number;
  delayMs: number;
  error: unknown;
}

/** Retry options that record each computed wait and do not sleep it. */
function recording(overrides: RetryOptions = {}): { options: RetryOptions; retries: Retried[] } {
  const retries: Retried[] = [];
  return {
    retries,
    options: {
      attempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 30_000,
      random: () => 1,
      sleep: async () => {},
      onRetry: (info) => retries.push(info),
      ...overrides,
    },
  };
}

/** A whole request as product code makes one: the body is read inside the attempt. */
async function getBytes(path: string, init: HttpRequestInit = {}): Promise<Buffer> {
  const url = proxy.url + path;
  const response = await httpFetch(url, init);
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    throw new HttpStatusError(
      response.status,
      url,
      `GET ${path}: HTTP ${response.status}`,
      response.headers.get('retry-after'),
    );
  }
  return Buffer.from(await response.arrayBuffer());
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('withRetry against injected faults', () => {
  it('honours Retry-After in seconds on a 429: the wait is at least what the server asked', async () => {
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'rate-limit', retryAfter: '3' } });
    // random() = 0 makes the own backoff 0, so only Retry-After can explain the wait.
    const { options, retries } = recording({ random: () => 0 });
    const body = await withRetry(() => getBytes('/hello'), options);
    expect(body.toString()).toBe('hello from upstream\n');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.delayMs).toBe(3000);
    expect((retries[0]?.error as HttpStatusError).status).toBe(429);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 6000).toUTCString();
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'rate-limit', retryAfter: at } });
    const { options, retries } = recording({ random: () => 0 });
    await withRetry(() => getBytes('/hello'), options);
    // The date has whole seconds, so up to 1 s of the 6 s is lost to rounding.
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(4000);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(6000);
  });

  it('keeps its own backoff when it is longer than Retry-After, and caps both at maxDelayMs', async () => {
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'rate-limit', retryAfter: '1' } });
    const own = recording({ baseDelayMs: 5000, random: () => 1 });
    await withRetry(() => getBytes('/hello'), own.options);
    expect(own.retries[0]?.delayMs).toBe(5000);

    proxy.rules.add({
      path: '/hello',
      times: 1,
      fault: { kind: 'rate-limit', retryAfter: '3600' },
    });
    const capped = recording({ maxDelayMs: 20_000 });
    await withRetry(() => getBytes('/hello'), capped.options);
    expect(capped.retries[0]?.delayMs).toBe(20_000);
  });

  it('retries a burst of 5xx to success with growing backoff, one request per attempt', async () => {
    const before = proxy.stats().count('GET', /^\/hello$/);
    proxy.rules.add({ path: '/hello', times: 3, fault: { kind: 'status', status: 503 } });
    const { options, retries } = recording({ baseDelayMs: 100, random: () => 1 });
    const body = await withRetry(() => getBytes('/hello'), options);
    expect(body.toString()).toBe('hello from upstream\n');
    expect(retries.map((r) => r.delayMs)).toEqual([100, 200, 400]);
    expect(retries.map((r) => (r.error as HttpStatusError).status)).toEqual([503, 503, 503]);
    expect(proxy.stats().count('GET', /^\/hello$/) - before).toBe(4);
  });

  it('retries 500, 502, 504 and 408 alike', async () => {
    for (const status of [500, 502, 504, 408]) {
      proxy.rules.clear();
      proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'status', status } });
      const { options, retries } = recording();
      await withRetry(() => getBytes('/hello'), options);
      expect((retries[0]?.error as HttpStatusError).status).toBe(status);
    }
  });

  it('keeps jittered waits within the exponential bound', async () => {
    proxy.rules.add({ path: '/hello', times: 4, fault: { kind: 'status', status: 502 } });
    const draws = [0.25, 0.5, 0.75, 0.1];
    const { options, retries } = recording({ baseDelayMs: 200, random: () => draws.shift()! });
    await withRetry(() => getBytes('/hello'), options);
    expect(retries.map((r) => r.delayMs)).toEqual([50, 200, 600, 160]);
  });

  it('never retries 401 (expired token) or 403: exactly one request reaches the proxy', async () => {
    const cases = [
      { path: '/protected', fault: { kind: 'expire-token' as const }, status: 401 },
      { path: '/hello', fault: { kind: 'status' as const, status: 403 }, status: 403 },
      { path: '/hello', fault: { kind: 'status' as const, status: 404 }, status: 404 },
    ];
    for (const scenario of cases) {
      proxy.rules.clear();
      const name = proxy.rules.add({ path: scenario.path, fault: scenario.fault });
      const { options, retries } = recording();
      const error = await withRetry(
        () => getBytes(scenario.path, { headers: { authorization: 'Bearer stale' } }),
        options,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpStatusError);
      expect((error as HttpStatusError).status).toBe(scenario.status);
      expect(retries).toEqual([]);
      expect(proxy.stats().rules.find((r) => r.name === name)?.matched).toBe(1);
    }
  });

  it('retries a connection reset mid-body and ends with the complete, correct body', async () => {
    const size = 2 * 1024 * 1024;
    proxy.rules.add({
      path: '/generate',
      times: 2,
      fault: { kind: 'reset-response', afterBytes: 300_000 },
    });
    const { options, retries } = recording();
    const body = await withRetry(() => getBytes(`/generate?size=${size}`), options);
    expect(sha256(body)).toBe(patternSha256(size));
    expect(retries).toHaveLength(2);
    for (const retry of retries)
      expect(defaultClassify(retry.error)).toMatchObject({ retry: true });
  });

  it('retries a body truncated below its Content-Length', async () => {
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'truncate', bytes: 10 } });
    const { options, retries } = recording();
    const body = await withRetry(() => getBytes('/generate?size=5000'), options);
    expect(body.length).toBe(5000);
    expect(retries).toHaveLength(1);
  });

  it('retries an upload whose connection was reset mid-request', async () => {
    const payload = patternChunk(0, 1024 * 1024);
    proxy.rules.add({
      method: 'PUT',
      path: '/upload',
      times: 1,
      fault: { kind: 'reset-request', afterBytes: 100_000 },
    });
    const { options, retries } = recording();
    const result = await withRetry(async () => {
      const response = await httpFetch(`${proxy.url}/upload`, { method: 'PUT', body: payload });
      return (await response.json()) as { sha256: string; length: number };
    }, options);
    expect(result).toEqual({ sha256: sha256(payload), length: payload.length });
    expect(retries).toHaveLength(1);
  });

  it('retries a streamed upload reset mid-request (a fresh stream per attempt)', async () => {
    const size = 8 * 1024 * 1024;
    proxy.rules.add({
      method: 'PUT',
      path: '/upload',
      times: 2,
      fault: { kind: 'reset-request', afterBytes: 3 * 1024 * 1024 },
    });
    async function* chunks(): AsyncIterable<Uint8Array> {
      for (let offset = 0; offset < size; offset += 1024 * 1024) {
        yield patternChunk(offset, 1024 * 1024);
      }
    }
    const { options, retries } = recording();
    const result = await withRetry(async () => {
      const response = await httpFetch(`${proxy.url}/upload`, {
        method: 'PUT',
        body: chunks(),
        headers: { 'content-length': String(size) },
      });
      return (await response.json()) as { sha256: string; length: number };
    }, options);
    expect(result).toEqual({ sha256: patternSha256(size), length: size });
    expect(retries).toHaveLength(2);
  });

  it('retries a connection closed without an answer, and a stalled body cut by the timeout', async () => {
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'close' } });
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'stall', afterBytes: 5 } });
    const closed = recording();
    await withRetry(() => getBytes('/hello'), closed.options);
    expect(closed.retries).toHaveLength(1);

    const stalled = recording();
    const body = await withRetry(
      () => getBytes('/generate?size=100', { timeoutMs: 300 }),
      stalled.options,
    );
    expect(body.length).toBe(100);
    expect(stalled.retries).toHaveLength(1);
    expect((stalled.retries[0]?.error as Error).name).toBe('TimeoutError');
  });

  it('rides out a refused connection window with real waits', async () => {
    const before = proxy.stats().count('GET', /^\/hello$/);
    const window = proxy.refuseFor(400);
    const retries: Retried[] = [];
    const body = await withRetry(() => getBytes('/hello'), {
      attempts: 10,
      baseDelayMs: 100,
      maxDelayMs: 400,
      onRetry: (info) => retries.push(info),
    });
    await window;
    expect(body.toString()).toBe('hello from upstream\n');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(defaultClassify(retries[0]?.error)).toEqual({ retry: true });
    // Refused connections never reach the request log; only the success does.
    expect(proxy.stats().count('GET', /^\/hello$/) - before).toBe(1);
  });

  it('bounds attempts: a 503 that never ends gets exactly `attempts` requests, then the last error', async () => {
    const name = proxy.rules.add({ path: '/hello', fault: { kind: 'status', status: 503 } });
    const { options, retries } = recording({ attempts: 4 });
    const error = await withRetry(() => getBytes('/hello'), options).catch((e: unknown) => e);
    expect((error as HttpStatusError).status).toBe(503);
    expect(retries).toHaveLength(3);
    expect(proxy.stats().rules.find((r) => r.name === name)?.matched).toBe(4);
  });

  it('stops retrying when the caller aborts, without one more request', async () => {
    const name = proxy.rules.add({ path: '/hello', fault: { kind: 'status', status: 503 } });
    const controller = new AbortController();
    const error = await withRetry(() => getBytes('/hello'), {
      attempts: 10,
      signal: controller.signal,
      sleep: async () => controller.abort(new Error('job cancelled')),
    }).catch((e: unknown) => e);
    expect((error as HttpStatusError).status).toBe(503);
    expect(proxy.stats().rules.find((r) => r.name === name)?.matched).toBe(2);
  });
});
