import { describe, expect, it } from 'vitest';
import {
  defaultClassify,
  HttpStatusError,
  parseRetryAfter,
  sleep,
  withRetry,
} from '../../../shared/common/retry.ts';

const noWait = { sleep: async () => {}, random: () => 1 };

describe('withRetry', () => {
  it('retries a 503 until it succeeds, telling each delay', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw new HttpStatusError(503, 'http://127.0.0.1/x', 'busy');
        return 'done';
      },
      { ...noWait, baseDelayMs: 100, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
    // Exponential: 100 ms, then 200 ms (jitter at its top).
    expect(delays).toEqual([100, 200]);
  });

  it('never retries an auth failure', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new HttpStatusError(401, 'http://127.0.0.1/x', 'denied');
      }, noWait),
    ).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });

  it('gives up after the attempts allowed, with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async (attempt) => {
          calls++;
          throw new HttpStatusError(500, 'u', `failure ${attempt}`);
        },
        { ...noWait, attempts: 4 },
      ),
    ).rejects.toThrow('failure 4');
    expect(calls).toBe(4);
  });

  it("waits as long as the server's Retry-After asks, capped", async () => {
    const delays: number[] = [];
    await withRetry(
      async (attempt) => {
        if (attempt === 1) throw new HttpStatusError(429, 'u', 'slow down', '3');
        if (attempt === 2) throw new HttpStatusError(429, 'u', 'slow down', '3600');
        return 1;
      },
      {
        ...noWait,
        baseDelayMs: 10,
        maxDelayMs: 10_000,
        onRetry: ({ delayMs }) => delays.push(delayMs),
      },
    );
    expect(delays).toEqual([3000, 10_000]);
  });

  it('stops waiting when its signal is aborted', async () => {
    const controller = new AbortController();
    const running = withRetry(
      async () => {
        throw new HttpStatusError(503, 'u', 'busy');
      },
      { attempts: 10, baseDelayMs: 60_000, random: () => 1, signal: controller.signal },
    );
    controller.abort(new Error('deadline'));
    await expect(running).rejects.toThrow();
  });
});

describe('defaultClassify', () => {
  it('retries 429, 408, 5xx, resets and timeouts; not 4xx or unknown errors', () => {
    expect(defaultClassify(new HttpStatusError(502, 'u', 'x')).retry).toBe(true);
    expect(defaultClassify(new HttpStatusError(408, 'u', 'x')).retry).toBe(true);
    expect(defaultClassify(new HttpStatusError(404, 'u', 'x')).retry).toBe(false);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(defaultClassify(new Error('fetch failed', { cause: reset })).retry).toBe(true);
    expect(defaultClassify(new TypeError('fetch failed')).retry).toBe(true);
    expect(defaultClassify(new Error('a bug')).retry).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects at once on an aborted signal', async () => {
    await expect(sleep(10_000, AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
  });
});
