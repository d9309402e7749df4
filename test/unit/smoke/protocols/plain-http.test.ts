import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SmokeClient } from '../../../../shared/smoke/http-client.ts';
import { plainHttp } from '../../../../shared/smoke/protocols/plain-http.ts';
import type { ProtocolContext } from '../../../../shared/smoke/protocols/types.ts';

let server: Server | undefined;
let context: ProtocolContext | undefined;
afterEach(async () => {
  await context?.client.close();
  context = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serve(statuses: Record<string, number>): Promise<string> {
  server = createServer((req, res) => {
    res.writeHead(statuses[req.url ?? ''] ?? 404, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const client = new SmokeClient(
    { baseUrl: url, headers: {}, displayName: url },
    { timeoutMs: 2_000, connections: 1 },
  );
  context = { client, management: undefined, record: () => {} };
  return url;
}

const target = { model: undefined, version: undefined };

describe('plain HTTP', () => {
  it('takes any answer below 500 at / as ready, but only 2xx at a ready path', async () => {
    await serve({ '/': 404, '/healthz': 404 });
    const anyAnswer = plainHttp({ method: 'GET', path: '/', readyPath: undefined });
    expect(await anyAnswer.probe(context!, target)).toEqual({
      ready: true,
      detail: 'GET / answered 404',
    });
    const strict = plainHttp({ method: 'GET', path: '/', readyPath: '/healthz' });
    expect((await strict.probe(context!, target)).ready).toBe(false);
  });

  it('sends the request as given, a string as it is', () => {
    const protocol = plainHttp({ method: 'PUT', path: '/score', readyPath: undefined });
    expect(protocol.inferenceRequest(target, undefined, undefined)).toEqual({
      method: 'PUT',
      path: '/score',
    });
    expect(protocol.inferenceRequest(target, 'a,b', undefined).body).toBe('a,b');
    expect(protocol.inferenceRequest(target, { x: 1 }, undefined).body).toBe('{"x":1}');
  });
});
