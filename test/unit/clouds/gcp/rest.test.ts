import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleJson, googleMessage } from '../../../../shared/clouds/gcp/rest.ts';
import { HttpStatusError } from '../../../../shared/common/retry.ts';

let server: http.Server;
let base = '';
const seen: Array<{ method?: string; auth?: string; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, auth: req.headers.authorization, body });
      if (req.url === '/denied') {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { status: 'PERMISSION_DENIED', message: 'no\nway' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, echo: body ? JSON.parse(body) : null }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => server?.close());

describe('Google REST calls', () => {
  it('sends the bearer token and a JSON body, and parses the answer', async () => {
    await expect(
      googleJson(`${base}/create`, 'tok-1', { method: 'POST', body: { a: 1 } }),
    ).resolves.toEqual({ ok: true, echo: { a: 1 } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'Bearer tok-1' });
  });

  it("fails with Google's status and message on one line, not the raw body", async () => {
    const error = await googleJson(`${base}/denied`, 'tok-1').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(403);
    expect((error as Error).message).toBe('PERMISSION_DENIED: no way');
  });

  it('shows a body that is not Google JSON as it came, on one line and bounded', () => {
    expect(googleMessage('plain\ntext')).toBe('plain text');
    expect(googleMessage('x'.repeat(500))).toHaveLength(300);
    expect(googleMessage(JSON.stringify({ error: { message: 'only message' } }))).toBe(
      'only message',
    );
  });
});
