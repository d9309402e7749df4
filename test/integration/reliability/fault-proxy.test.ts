import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { waitFor } from '../../support/processes.ts';
import { CHALLENGE, patternChunk, startUpstream, type Upstream } from '../../support/upstream.ts';

let upstream: Upstream;
let proxy: FaultProxy;

beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await startFaultProxy({ upstream: upstream.url, seed: 42 });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
afterEach(() => proxy.rules.clear());

/** Reads a body to the end or to the first error, counting the bytes that did arrive. */
async function readAll(
  response: Response,
): Promise<{ received: number; text: string; error?: unknown }> {
  const reader = response.body!.getReader();
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      chunks.push(Buffer.from(value));
    }
    return { received, text: Buffer.concat(chunks).toString() };
  } catch (error) {
    return { received, text: Buffer.concat(chunks).toString(), error };
  }
}

/** The innermost `code` of an undici error chain, e.g. ECONNRESET or UND_ERR_SOCKET. */
function codes(error: unknown): string[] {
  const found: string[] = [];
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 6; depth++) {
    if (typeof current.code === 'string') found.push(current.code);
    current = current.cause as typeof current;
  }
  return found;
}

async function status(path: string, init?: RequestInit): Promise<number> {
  const response = await fetch(proxy.url + path, init);
  await response.arrayBuffer();
  return response.status;
}

describe('fault proxy: answers a client sees', () => {
  it('passes requests through untouched when no rule matches', async () => {
    proxy.rules.add({ path: /^\/nothing-here/, fault: { kind: 'status', status: 500 } });
    const response = await fetch(`${proxy.url}/hello`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello from upstream\n');
    expect(proxy.stats().rules[0]).toMatchObject({ matched: 0, fired: 0 });
  });

  it('answers a burst of N 5xx, then lets requests through, and counts both', async () => {
    const name = proxy.rules.add({
      name: 'burst',
      method: 'GET',
      path: /^\/hello$/,
      times: 3,
      fault: { kind: 'status', status: 503 },
    });
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await status('/hello'));
    expect(seen).toEqual([503, 503, 503, 200, 200]);
    const rule = proxy.stats().rules.find((r) => r.name === name);
    expect(rule).toEqual({ name: 'burst', matched: 5, fired: 3 });
    // Another method on the same path does not match the rule.
    expect(await status('/hello', { method: 'POST', body: 'x' })).toBe(200);
    expect(proxy.stats().rules[0]?.matched).toBe(5);
  });

  it('fires on the nth matching request only, and after `skip`', async () => {
    proxy.rules.add({ path: '/hello', nth: [2, 4], fault: { kind: 'status', status: 502 } });
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await status('/hello'));
    expect(seen).toEqual([200, 502, 200, 502, 200]);

    proxy.rules.clear();
    proxy.rules.add({ path: '/hello', skip: 2, times: 1, fault: { kind: 'status', status: 500 } });
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await status('/hello'));
    expect(later).toEqual([200, 200, 500, 200]);
  });

  it('repeats the same probabilistic pattern for the same seed', async () => {
    const pattern = async (seed: number) => {
      const other = await startFaultProxy({ upstream: upstream.url, seed });
      try {
        other.rules.add({ probability: 0.5, fault: { kind: 'status', status: 500 } });
        const seen: number[] = [];
        for (let i = 0; i < 30; i++) {
          const response = await fetch(`${other.url}/hello`);
          await response.arrayBuffer();
          seen.push(response.status);
        }
        return seen;
      } finally {
        await other.stop();
      }
    };
    const first = await pattern(7);
    expect(await pattern(7)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern(8)).not.toEqual(first);
  });

  it('answers 429 with the Retry-After it was given', async () => {
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'rate-limit', retryAfter: '7' } });
    const response = await fetch(`${proxy.url}/hello`);
    await response.arrayBuffer();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await status('/hello')).toBe(200);
  });

  it('resets the connection after K bytes of the response body', async () => {
    proxy.rules.add({
      path: '/generate',
      times: 1,
      fault: { kind: 'reset-response', afterBytes: 100_000 },
    });
    const response = await fetch(`${proxy.url}/generate?size=1000000`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000000');
    const result = await readAll(response);
    expect(result.error).toBeInstanceOf(TypeError);
    expect(String((result.error as Error).message)).toMatch(/terminated/);
    expect(codes(result.error)).toContain('ECONNRESET');
    expect(result.received).toBe(100_000);

    const healthy = await readAll(await fetch(`${proxy.url}/generate?size=1000000`));
    expect(healthy.error).toBeUndefined();
    expect(healthy.received).toBe(1_000_000);
  });

  it('resets the connection after K bytes of the request body, and upstream sees a partial upload', async () => {
    proxy.rules.add({
      method: 'PUT',
      path: '/upload',
      times: 1,
      fault: { kind: 'reset-request', afterBytes: 64 * 1024 },
    });
    const body = patternChunk(0, 4 * 1024 * 1024);
    const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const request = http.request(`${proxy.url}/upload`, { method: 'PUT' }, (response) => {
        response.resume();
        resolve(undefined);
      });
      request.on('error', resolve);
      request.end(body);
    });
    expect(failure?.code).toMatch(/^(ECONNRESET|EPIPE)$/);
    await waitFor(
      'upstream to notice the aborted upload',
      async () => upstream.abortedUploads() >= 1,
    );

    const response = await fetch(`${proxy.url}/upload`, { method: 'PUT', body });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { length: number }).length).toBe(body.length);
  });

  it('truncates a body below its Content-Length and closes cleanly', async () => {
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'truncate', bytes: 1234 } });
    const response = await fetch(`${proxy.url}/generate?size=50000`);
    expect(response.headers.get('content-length')).toBe('50000');
    const result = await readAll(response);
    expect(result.received).toBe(1234);
    expect(result.error).toBeInstanceOf(TypeError);
    expect(String((result.error as Error).message)).toMatch(/terminated/);
    // A clean close, not a reset: undici calls it "other side closed".
    expect(codes(result.error)).toContain('UND_ERR_SOCKET');
    expect(codes(result.error)).not.toContain('ECONNRESET');
  });

  it('truncates a chunked body too (the client sees no final chunk)', async () => {
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'truncate', bytes: 500 } });
    const response = await fetch(`${proxy.url}/generate?size=50000&chunked=1`);
    expect(response.headers.get('content-length')).toBeNull();
    const result = await readAll(response);
    expect(result.received).toBe(500);
    expect(result.error).toBeInstanceOf(TypeError);
  });

  it('stalls after the headers until the client timeout fires', async () => {
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'stall', afterBytes: 10 } });
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/generate?size=1000`, {
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const timer = setTimeout(() => controller.abort(new Error('client timeout')), 300);
    const result = await readAll(response);
    clearTimeout(timer);
    expect(result.received).toBe(10);
    expect(String(result.error)).toMatch(/client timeout/);
  });

  it('stalls a body so that an undici body timeout fires with its own code', async () => {
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'stall' } });
    const dispatcher = new Agent({ bodyTimeout: 200 });
    try {
      const response = (await undiciFetch(`${proxy.url}/generate?size=1000`, {
        dispatcher,
      })) as unknown as Response;
      const result = await readAll(response);
      expect(result.received).toBe(0);
      expect(codes(result.error)).toContain('UND_ERR_BODY_TIMEOUT');
    } finally {
      await dispatcher.close();
    }
  });

  it('delays the headers: a client with a short headers timeout fails, a patient one succeeds', async () => {
    // undici checks headers and body timeouts on a ~1 s tick, hence the long delay.
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'delay', headersMs: 4000 } });
    const impatient = new Agent({ headersTimeout: 100 });
    try {
      const error = await undiciFetch(`${proxy.url}/hello`, { dispatcher: impatient })
        .then(() => undefined)
        .catch((e: unknown) => e);
      expect(codes(error)).toContain('UND_ERR_HEADERS_TIMEOUT');
    } finally {
      await impatient.destroy();
    }
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'delay', headersMs: 300 } });
    const response = await fetch(`${proxy.url}/hello`);
    expect(await response.text()).toBe('hello from upstream\n');
    expect(proxy.stats().rules.map((r) => r.fired)).toEqual([1, 1]);
  });

  it('delays the body after the headers', async () => {
    proxy.rules.add({ path: '/generate', times: 1, fault: { kind: 'delay', bodyMs: 4000 } });
    const slowReader = new Agent({ bodyTimeout: 100 });
    try {
      const response = (await undiciFetch(`${proxy.url}/generate?size=100`, {
        dispatcher: slowReader,
      })) as unknown as Response;
      expect(response.status).toBe(200);
      const result = await readAll(response);
      expect(codes(result.error)).toContain('UND_ERR_BODY_TIMEOUT');
    } finally {
      await slowReader.destroy();
    }
    const healthy = await readAll(await fetch(`${proxy.url}/generate?size=100`));
    expect(healthy.received).toBe(100);
  });

  it("answers 401 with upstream's own challenge for the path, as after a token expiry", async () => {
    proxy.rules.add({ path: '/protected', times: 1, fault: { kind: 'expire-token' } });
    const headers = { authorization: 'Bearer token-that-just-expired' };
    const expired = await fetch(`${proxy.url}/protected`, { headers });
    await expired.arrayBuffer();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe(CHALLENGE);
    const again = await fetch(`${proxy.url}/protected`, { headers });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe('authorized\n');
  });

  it('expires a token on an upload without starting the upload upstream, with a fallback challenge', async () => {
    const before = upstream.hits('/open');
    proxy.rules.add({
      method: 'PATCH',
      path: '/open',
      times: 1,
      fault: { kind: 'expire-token', challenge: 'Basic realm="fallback"' },
    });
    const response = await fetch(`${proxy.url}/open`, {
      method: 'PATCH',
      headers: { authorization: 'Basic eDp5' },
      body: patternChunk(0, 200_000),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="fallback"');
    // Only the body-less HEAD probe reached upstream.
    expect(upstream.hits('/open')).toBe(before + 1);
  });

  it('closes the connection without an answer', async () => {
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'close' } });
    const error = await fetch(`${proxy.url}/hello`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).message)).toMatch(/fetch failed/);
    expect(codes(error)).toContain('UND_ERR_SOCKET');
    expect(await status('/hello')).toBe(200);
  });

  it('refuses connections for a window, then listens again on the same port', async () => {
    const port = proxy.port;
    proxy.rules.add({ path: '/hello', times: 1, fault: { kind: 'refuse', forMs: 500 } });
    const dropped = await fetch(`${proxy.url}/hello`).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    const refused = await fetch(`${proxy.url}/hello`).catch((e: unknown) => e);
    expect(codes(refused)).toContain('ECONNREFUSED');
    await waitFor(
      'the proxy to listen again',
      async () => (await status('/hello')) === 200,
      10_000,
    );
    expect(proxy.port).toBe(port);

    const window = proxy.refuseFor(300);
    const refusedAgain = await fetch(`${proxy.url}/hello`).catch((e: unknown) => e);
    expect(codes(refusedAgain)).toContain('ECONNREFUSED');
    await window;
    expect(await status('/hello')).toBe(200);
  });

  it('rewrites absolute Location headers that point at upstream', async () => {
    const response = await fetch(`${proxy.url}/upload`, { method: 'PUT', body: 'abc' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`${proxy.url}/uploaded/3`);
  });

  it('keeps a log of requests and faults for no-retry-storm assertions', async () => {
    const before = proxy.stats().count('GET', /^\/hello$/);
    proxy.rules.add({
      name: 'one-503',
      path: '/hello',
      times: 1,
      fault: { kind: 'status', status: 503 },
    });
    await status('/hello');
    await status('/hello');
    const stats = proxy.stats();
    expect(stats.count('GET', /^\/hello$/)).toBe(before + 2);
    const last = stats.log.slice(-2);
    expect(last).toEqual([
      { method: 'GET', path: '/hello', fault: 'one-503', status: 503 },
      { method: 'GET', path: '/hello', status: 200 },
    ]);
  });
});
