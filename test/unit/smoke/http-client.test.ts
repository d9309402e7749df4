import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyAccessDenied } from '../../../shared/common/kube-forbidden.ts';
import { NetworkError } from '../../../shared/common/network.ts';
import { excerpt, parseJsonBody, SmokeClient } from '../../../shared/smoke/http-client.ts';
import { freePort } from '../../support/processes.ts';

let server: Server | undefined;
let client: SmokeClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

interface Seen {
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
  body: string;
}

async function serve(status: number, answer: string): Promise<{ url: string; seen: Seen }> {
  const seen: Seen = { body: '' };
  server = createServer((req, res) => {
    seen.method = req.method;
    seen.url = req.url;
    seen.headers = req.headers;
    req.on('data', (c: Buffer) => (seen.body += c.toString()));
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

const connect = (baseUrl: string, more: { viaApiServer?: boolean } = {}) =>
  (client = new SmokeClient(
    { baseUrl, headers: { 'x-tenant': 'ml' }, displayName: baseUrl, ...more },
    { timeoutMs: 2_000, connections: 2 },
  ));

describe('SmokeClient', () => {
  it('sends under the base path with the endpoint headers, JSON by default', async () => {
    const { url, seen } = await serve(200, '{"ok": true}');
    const result = await connect(`${url}/prefix`).send({
      method: 'POST',
      path: '/v2/models/m/infer',
      body: '{"inputs": []}',
    });
    expect(seen.url).toBe('/prefix/v2/models/m/infer');
    expect(seen.headers?.['x-tenant']).toBe('ml');
    expect(seen.headers?.['content-type']).toBe('application/json');
    expect(seen.body).toBe('{"inputs": []}');
    expect(result.status).toBe(200);
    expect(result.contentType).toBe('application/json; charset=utf-8');
    expect(parseJsonBody(result)).toEqual({ ok: true });
  });

  it('reads only the status of a prepared load request', async () => {
    const { url } = await serve(503, 'busy');
    const smoke = connect(url);
    const prepared = smoke.prepare({ method: 'GET', path: '/ready' });
    expect(await smoke.status(prepared)).toBe(503);
    expect(await smoke.status(prepared)).toBe(503);
  });

  it('sends the load through undici, not its own connections, via the API server proxy', async () => {
    const { url, seen } = await serve(200, '{}');
    const direct = connect(url);
    // Straight to a model server: serialized once for the load connections.
    expect(direct.prepare({ method: 'POST', path: '/p', body: '{}' })).toHaveProperty('bytes');
    await direct.close();
    const proxied = connect(`${url}/api/v1/namespaces/m/services/s:http/proxy`, {
      viaApiServer: true,
    });
    const prepared = proxied.prepare({ method: 'POST', path: '/p', body: '{"a": 1}' });
    expect(prepared).not.toHaveProperty('bytes');
    expect(await proxied.status(prepared)).toBe(200);
    expect(seen.url).toBe('/api/v1/namespaces/m/services/s:http/proxy/p');
    expect(seen.body).toBe('{"a": 1}');
  });

  it('names the server when it cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const err = await connect(url)
      .send({ method: 'GET', path: '/' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain('127.0.0.1');
  });

  it("raises the API server's own 403 through the service proxy", async () => {
    const status = {
      kind: 'Status',
      reason: 'Forbidden',
      message:
        'services "iris" is forbidden: User "ci" cannot get resource "services/proxy" in API group "" in the namespace "models"',
    };
    const { url } = await serve(403, JSON.stringify(status));
    await expect(
      connect(url, { viaApiServer: true }).send({ method: 'GET', path: '/v2' }),
    ).rejects.toBeInstanceOf(ProxyAccessDenied);
    await client!.close();
    // Straight to a model server, a 403 is its answer.
    const direct = await connect(url).send({ method: 'GET', path: '/v2' });
    expect(direct.status).toBe(403);
  });
});

describe('excerpt and parseJsonBody', () => {
  it('shortens and flattens server text', () => {
    expect(excerpt('a\n  b')).toBe('a b');
    expect(excerpt('')).toBe('(empty)');
    expect(excerpt('x'.repeat(10), 4)).toBe('xxxx…');
    expect(() =>
      parseJsonBody({
        method: 'GET',
        path: '/m',
        status: 200,
        contentType: 'text/html',
        text: '<html>',
        durationMs: 1,
      }),
    ).toThrow('GET /m answered 200 with a body that is not JSON: <html>');
  });
});
