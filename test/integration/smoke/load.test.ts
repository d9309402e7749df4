import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SmokeClient } from '../../../shared/smoke/http-client.ts';
import { runLoad } from '../../../shared/smoke/load.ts';

/** The load generator against servers that break connections or never answer. */
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('load generator failures', () => {
  it('counts reset connections as failed requests by error code, and carries on', async () => {
    let n = 0;
    const url = await serve((req, res) => {
      if (n++ % 5 === 4) {
        req.socket.destroy();
        return;
      }
      res.end('{}');
    });
    const client = new SmokeClient(
      { baseUrl: url, headers: {}, displayName: url },
      { timeoutMs: 5000, connections: 1 },
    );
    const result = await runLoad(client, {
      requests: 50,
      concurrency: 1,
      warmup: 0,
      request: { method: 'GET', path: '/' },
    });
    await client.close();
    expect(result.failed).toBe(10);
    expect(result.errorRate).toBe(0.2);
    expect(result.statuses).toEqual({ 200: 40 });
    expect(Object.values(result.errors).reduce((a, b) => a + b, 0)).toBe(10);
    expect(Object.keys(result.errors)).toEqual(['UND_ERR_SOCKET']);
    expect(result.histogram.count).toBe(40);
  });

  it('times a request out after the per-request timeout', async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      if (n++ === 1) return; // never answers
      res.end('{}');
    });
    const client = new SmokeClient(
      { baseUrl: url, headers: {}, displayName: url },
      { timeoutMs: 1500, connections: 2 },
    );
    const result = await runLoad(client, {
      requests: 6,
      concurrency: 2,
      warmup: 0,
      request: { method: 'GET', path: '/' },
    });
    await client.close();
    expect(result.failed).toBe(1);
    expect(result.errors).toEqual({ UND_ERR_HEADERS_TIMEOUT: 1 });
    expect(result.examples[0]).toMatch(/^UND_ERR_HEADERS_TIMEOUT: /);
  });

  it('judges success by the expected status when one is given', async () => {
    const url = await serve((_req, res) => {
      res.statusCode = 404;
      res.end('{}');
    });
    const client = new SmokeClient(
      { baseUrl: url, headers: {}, displayName: url },
      { timeoutMs: 5000, connections: 2 },
    );
    const expected = await runLoad(client, {
      requests: 8,
      concurrency: 2,
      warmup: 1,
      request: { method: 'GET', path: '/gone' },
      isSuccess: (s) => s === 404,
    });
    const default2xx = await runLoad(client, {
      requests: 8,
      concurrency: 2,
      warmup: 0,
      request: { method: 'GET', path: '/gone' },
    });
    await client.close();
    expect(expected.failed).toBe(0);
    expect(default2xx.failed).toBe(8);
    expect(default2xx.examples).toEqual(['HTTP 404']);
  });
});
