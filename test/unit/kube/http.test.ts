import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterConnection } from '../../../shared/clouds/types.ts';
import { KubeApiError, kubeTransport, MAX_RESPONSE_BYTES } from '../../../shared/kube/http.ts';
import { issueClientCert, writeClusterPki, type ClusterPki } from '../../support/kube/pki.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  clientCn?: string;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const close = (server: Server | undefined) =>
  new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));

describe('kubeTransport over TLS', () => {
  let dir: string;
  let pki: ClusterPki;
  let server: Server;
  let port: number;
  const seen: Seen[] = [];
  let client: { cert: string; key: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-kube-http-'));
    pki = await writeClusterPki(dir, '10.0.0.1');
    client = await issueClientCert(pki, dir, 'deployer', 'ci');
    server = createHttpsServer(
      {
        cert: readFileSync(pki.servingCert),
        key: readFileSync(pki.servingKey),
        ca: pki.caPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      async (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const entry: Seen = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: await read(req),
        };
        if (peer?.subject?.CN) entry.clientCn = String(peer.subject.CN);
        seen.push(entry);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ kind: 'Namespace', metadata: { name: 'models' } }));
      },
    );
    port = await listen(server);
  }, 60_000);
  afterAll(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const connection = (extra: Partial<ClusterConnection> = {}): ClusterConnection => ({
    server: `https://127.0.0.1:${port}`,
    cloud: 'generic',
    displayName: 'kubeconfig:test',
    caData: pki.caPem,
    ...extra,
  });

  it('checks the server against the CA, sends the bearer token and JSON, and parses the answer', async () => {
    const send = kubeTransport(connection({ token: 'tok-1' }));
    const answer = await send<{ metadata: { name: string } }>({
      method: 'PATCH',
      path: '/api/v1/namespaces/models',
      query: { fieldManager: 'model-deploy', force: true, dryRun: undefined },
      body: { metadata: { name: 'models' } },
      contentType: 'application/apply-patch+yaml',
    });
    expect(answer.metadata.name).toBe('models');
    const last = seen.at(-1)!;
    expect(last.method).toBe('PATCH');
    expect(last.url).toBe('/api/v1/namespaces/models?fieldManager=model-deploy&force=true');
    expect(last.headers.authorization).toBe('Bearer tok-1');
    expect(last.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(JSON.parse(last.body)).toEqual({ metadata: { name: 'models' } });
  });

  it('presents the client certificate of the connection', async () => {
    const send = kubeTransport(
      connection({
        clientCertData: readFileSync(client.cert, 'utf8'),
        clientKeyData: readFileSync(client.key, 'utf8'),
      }),
    );
    await send({ method: 'GET', path: '/api/v1/namespaces/models' });
    expect(seen.at(-1)!.clientCn).toBe('deployer');
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('refuses a server the CA does not vouch for, unless TLS checks are off', async () => {
    const other = await writeClusterPki(mkdtempSync(join(dir, 'other-')), '10.0.0.1');
    const refused = await kubeTransport(connection({ caData: other.caPem }))({
      method: 'GET',
      path: '/api/v1/namespaces/models',
    }).catch((err: unknown) => err as NodeJS.ErrnoException);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as NodeJS.ErrnoException).code).toMatch(/CERT|UNABLE_TO|SELF_SIGNED/);
    const insecure = kubeTransport(connection({ caData: other.caPem, skipTlsVerify: true }));
    await expect(insecure({ method: 'GET', path: '/api/v1/namespaces/models' })).resolves.toEqual({
      kind: 'Namespace',
      metadata: { name: 'models' },
    });
  });
});

describe('kubeTransport answers', () => {
  let server: Server;
  let port: number;
  let handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createHttpServer((req, res) => handler(req, res));
    port = await listen(server);
  });
  afterAll(() => close(server));

  const send = () =>
    kubeTransport({
      server: `http://127.0.0.1:${port}/prefix/`,
      cloud: 'generic',
      displayName: 'x',
    });

  it('keeps a path prefix of the server address', async () => {
    let url = '';
    handler = (req, res) => {
      url = req.url ?? '';
      res.end('{}');
    };
    await send()({ method: 'GET', path: '/apis' });
    expect(url).toBe('/prefix/apis');
  });

  it('turns a status outside 2xx into a KubeApiError with the body and lower-case headers', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'Retry-After': '3', 'content-type': 'application/json' });
      res.end('{"kind":"Status","message":"slow down"}');
    };
    const err = (await send()({ method: 'DELETE', path: '/api/v1/x' }).catch(
      (e) => e,
    )) as KubeApiError;
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.code).toBe(429);
    expect(err.body).toBe('{"kind":"Status","message":"slow down"}');
    expect(err.headers['retry-after']).toBe('3');
    expect(err.message).toBe('HTTP 429 on DELETE /api/v1/x');
  });

  it('reads an empty success as an empty object and a cut body as broken JSON', async () => {
    handler = (_req, res) => res.end('');
    await expect(send()({ method: 'DELETE', path: '/a' })).resolves.toEqual({});
    handler = (_req, res) => res.end('{"items": [');
    await expect(send()({ method: 'GET', path: '/a' })).rejects.toBeInstanceOf(SyntaxError);
  });

  it('says so when the server closes the answer early', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"items":');
      setImmediate(() => res.socket?.destroy());
    };
    const err = (await send()({ method: 'GET', path: '/a' }).catch(
      (e) => e,
    )) as NodeJS.ErrnoException;
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ECONNRESET');
  });

  it('refuses an answer larger than any object deploy reads, without buffering it', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    handler = (_req, res) => {
      let sent = 0;
      const more = () => {
        while (sent <= MAX_RESPONSE_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      more();
    };
    await expect(send()({ method: 'GET', path: '/huge' })).rejects.toThrow(/answer passed 64 MiB/);
  });

  it('streams the events of a watch, one per line, until aborted', async () => {
    let url = '';
    handler = (req, res) => {
      url = req.url ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODI');
      setImmediate(() => res.write('FIED","object":{}}\nnot json\n'));
    };
    const events: string[] = [];
    const controller = new AbortController();
    const watching = send().watch!(
      '/apis/apps/v1/namespaces/m/deployments',
      { fieldSelector: 'metadata.name=a' },
      (event) => {
        events.push(event.type);
        if (events.length === 2) controller.abort();
      },
      controller.signal,
    );
    await watching;
    expect(events).toEqual(['ADDED', 'MODIFIED']);
    expect(url).toBe(
      '/prefix/apis/apps/v1/namespaces/m/deployments?fieldSelector=metadata.name%3Da&watch=true',
    );
  });

  it('refuses a watch the server refuses, with its status', async () => {
    handler = (_req, res) => {
      res.writeHead(403);
      res.end('{"message":"no watch"}');
    };
    const err = (await send().watch!(
      '/api/v1/pods',
      {},
      () => undefined,
      new AbortController().signal,
    ).catch((e) => e)) as KubeApiError;
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.code).toBe(403);
  });
});
