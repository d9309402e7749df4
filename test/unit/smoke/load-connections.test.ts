import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SmokeClient } from '../../../shared/smoke/http-client.ts';
import {
  LoadConnections,
  MAX_HEAD_BYTES,
  serializeRequest,
} from '../../../shared/smoke/load-connections.ts';
import { runLoad } from '../../../shared/smoke/load.ts';
import { makeLoopbackCertificates, type TestCertificates } from '../../support/certificates.ts';

/**
 * The load phase's own HTTP/1.1 connections against real servers on
 * 127.0.0.1: node:http and node:https for well-behaved answers, raw TCP
 * servers for answers split, joined, cut short or hostile.
 */

const servers: Array<HttpServer | Server> = [];
const clients: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    (server as HttpServer).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: HttpServer | Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Raw {
  origin: string;
  /** Connections accepted so far, and how many of them are closed. */
  connections: Socket[];
  closed: () => number;
}

/**
 * A raw TCP server: each complete request (head and content-length body) on a
 * connection is answered by `respond`, with the request's number across the
 * server and its bytes.
 */
async function rawServer(
  respond: (socket: Socket, n: number, request: string) => void | Promise<void>,
): Promise<Raw> {
  const connections: Socket[] = [];
  let closed = 0;
  let n = 0;
  const server = createNetServer((socket) => {
    connections.push(socket);
    socket.setNoDelay(true);
    socket.on('close', () => closed++);
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const request = pending.subarray(0, end + 4 + length).toString('latin1');
        pending = pending.subarray(end + 4 + length);
        void respond(socket, n++, request);
      }
    });
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, connections, closed: () => closed };
}

/** Writes each byte on its own, waiting between writes so each leaves in its own TCP segment. */
async function trickle(socket: Socket, text: string): Promise<void> {
  for (const byte of Buffer.from(text, 'latin1')) {
    if (socket.destroyed) return;
    socket.write(Buffer.of(byte));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function pool(origin: string, more: { connections?: number; timeoutMs?: number } = {}) {
  const connections = new LoadConnections({
    origin,
    server: 'model server',
    connections: more.connections ?? 1,
    timeoutMs: more.timeoutMs ?? 5_000,
  });
  clients.push(connections);
  return connections;
}

const get = (origin: string, method = 'GET') =>
  serializeRequest(origin, { method, path: '/v1/models/m', headers: {} });

function smokeClient(origin: string, options: { connections?: number; timeoutMs?: number } = {}) {
  const client = new SmokeClient(
    { baseUrl: origin, headers: { authorization: 'Bearer s3cret-token' }, displayName: origin },
    { timeoutMs: options.timeoutMs ?? 5_000, connections: options.connections ?? 4 },
  );
  clients.push(client);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the request to fail');
}

describe('serializeRequest', () => {
  it('writes the request line, host, headers, content-length and body once', () => {
    const request = serializeRequest('http://127.0.0.1:8080', {
      method: 'POST',
      path: '/v2/models/m/infer',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: Buffer.from('{"inputs":[]}'),
    });
    expect(request.bytes.toString('latin1')).toBe(
      'POST /v2/models/m/infer HTTP/1.1\r\nhost: 127.0.0.1:8080\r\n' +
        'authorization: Bearer t\r\ncontent-type: application/json\r\n' +
        'content-length: 13\r\n\r\n{"inputs":[]}',
    );
    expect(request.head).toBe(false);
  });

  it('refuses a header value that would split the request, without showing the value', () => {
    expect(() =>
      serializeRequest('http://127.0.0.1:1', {
        method: 'GET',
        path: '/',
        headers: { authorization: 'Bearer s3cret\r\nx-evil: 1' },
      }),
    ).toThrow(/^header authorization has a value with a character HTTP does not allow$/);
  });
});

describe('LoadConnections against node:http', () => {
  it('reads content-length bodies, small and spanning many reads, and keeps the connection', async () => {
    const big = 'x'.repeat(300_000);
    let accepted = 0;
    const server = createHttpServer((req, res) => {
      res.writeHead(req.url === '/big' ? 201 : 200, { 'content-type': 'text/plain' });
      res.end(req.url === '/big' ? big : '{"ok":true}');
    });
    server.on('connection', () => accepted++);
    const origin = `http://127.0.0.1:${await listen(server)}`;
    const connections = pool(origin);
    const small = get(origin);
    const large = serializeRequest(origin, { method: 'GET', path: '/big', headers: {} });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await connections.status(i % 2 ? large : small));
    expect(statuses).toEqual([200, 201, 200, 201, 200, 201]);
    expect(accepted).toBe(1);
  });

  it('opens exactly `concurrency` connections under load and reuses them', async () => {
    let accepted = 0;
    const seen: Array<string | undefined> = [];
    const server = createHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    server.on('connection', () => accepted++);
    const origin = `http://127.0.0.1:${await listen(server)}`;
    const client = smokeClient(origin, { connections: 4 });
    const result = await runLoad(client, {
      requests: 400,
      concurrency: 4,
      warmup: 20,
      request: { method: 'POST', path: '/v2/models/m/infer', body: '{"inputs":[]}' },
    });
    expect(result.failed).toBe(0);
    expect(result.statuses).toEqual({ 200: 400 });
    expect(accepted).toBe(4);
    expect(seen).toHaveLength(420);
    expect(new Set(seen)).toEqual(new Set(['Bearer s3cret-token']));
  });

  it('counts non-2xx statuses as failed requests', async () => {
    let n = 0;
    const server = createHttpServer((_req, res) => {
      res.statusCode = n++ % 4 === 3 ? 503 : 200;
      res.end('{}');
    });
    const origin = `http://127.0.0.1:${await listen(server)}`;
    const result = await runLoad(smokeClient(origin, { connections: 1 }), {
      requests: 40,
      concurrency: 1,
      warmup: 0,
      request: { method: 'GET', path: '/' },
    });
    expect(result.statuses).toEqual({ 200: 30, 503: 10 });
    expect(result.failed).toBe(10);
    expect(result.examples).toEqual(['HTTP 503']);
  });

  it('opens a new connection after an answer with connection: close', async () => {
    let accepted = 0;
    const server = createHttpServer((_req, res) => {
      res.setHeader('connection', 'close');
      res.end('{"bye":1}');
    });
    server.on('connection', () => accepted++);
    const origin = `http://127.0.0.1:${await listen(server)}`;
    const connections = pool(origin);
    for (let i = 0; i < 5; i++) expect(await connections.status(get(origin))).toBe(200);
    expect(accepted).toBe(5);
  });

  it('reads answers to HEAD as headers only, whatever their content-length says', async () => {
    let accepted = 0;
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.end();
    });
    server.on('connection', () => accepted++);
    const origin = `http://127.0.0.1:${await listen(server)}`;
    const connections = pool(origin, { timeoutMs: 1_000 });
    for (let i = 0; i < 3; i++) expect(await connections.status(get(origin, 'HEAD'))).toBe(200);
    expect(accepted).toBe(1);
  });
});

describe('LoadConnections against raw servers', () => {
  it('reads chunked answers that arrive one byte per TCP segment, trailers included', async () => {
    const raw = await rawServer((socket, n) =>
      trickle(
        socket,
        `HTTP/1.1 ${200 + n} OK\r\nTransfer-Encoding: chunked\r\n\r\n` +
          `5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nx-checksum: abc\r\n\r\n`,
      ),
    );
    const connections = pool(raw.origin);
    expect(await connections.status(get(raw.origin))).toBe(200);
    // The same connection carries the next answer: the first one was framed exactly.
    expect(await connections.status(get(raw.origin))).toBe(201);
    expect(raw.connections).toHaveLength(1);
  });

  it('reads an interim 100 answer and the real one joined in one TCP write', async () => {
    const raw = await rawServer((socket) => {
      socket.write(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n' +
          'HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}',
      );
    });
    const connections = pool(raw.origin);
    expect(await connections.status(get(raw.origin))).toBe(202);
    expect(await connections.status(get(raw.origin))).toBe(202);
    expect(raw.connections).toHaveLength(1);
  });

  it('reads a body that runs until the server closes when no length is given', async () => {
    const raw = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\nsome');
      setTimeout(() => socket.end('thing'), 20);
    });
    const connections = pool(raw.origin);
    expect(await connections.status(get(raw.origin))).toBe(200);
    expect(await connections.status(get(raw.origin))).toBe(200);
    expect(raw.connections).toHaveLength(2);
  });

  it('fails the request in flight when the server closes mid-body, then reconnects', async () => {
    const raw = await rawServer((socket, n) => {
      if (n === 0) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789');
        setTimeout(() => socket.destroy(), 20);
      } else socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}');
    });
    const client = smokeClient(raw.origin, { connections: 1 });
    const result = await runLoad(client, {
      requests: 3,
      concurrency: 1,
      warmup: 0,
      request: { method: 'GET', path: '/' },
    });
    expect(result.failed).toBe(1);
    expect(result.errors).toEqual({ UND_ERR_SOCKET: 1 });
    expect(result.statuses).toEqual({ 200: 2 });
    expect(result.examples[0]).toBe(
      `UND_ERR_SOCKET: the model server at ${raw.origin} closed the connection part way through its answer`,
    );
    expect(raw.connections).toHaveLength(2);
  });

  it('fails a header section over the limit, naming the server and closing the connection', async () => {
    const raw = await rawServer((socket, n) => {
      if (n > 0) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\n');
      const line = `x-remote: REMOTE-TEXT-${'a'.repeat(1000)}\r\n`;
      for (let i = 0; i * line.length <= MAX_HEAD_BYTES; i++) socket.write(line);
      socket.write('content-length: 0\r\n\r\n');
    });
    const connections = pool(raw.origin);
    const error = await failure(connections.status(get(raw.origin)));
    expect(error.code).toBe('HPE_HEADER_OVERFLOW');
    expect(error.message).toBe(
      `the model server at ${raw.origin} sent a header section over 64 KiB`,
    );
    await expect.poll(() => raw.closed()).toBe(1);
    expect(await connections.status(get(raw.origin))).toBe(200);
  });

  it('fails a malformed status line without repeating what the server sent', async () => {
    const raw = await rawServer((socket) => {
      socket.write('HTTP/1.1 2x0 <script>REMOTE-TEXT</script>\r\ncontent-length: 0\r\n\r\n');
    });
    const error = await failure(pool(raw.origin).status(get(raw.origin)));
    expect(error.code).toBe('HPE_INVALID_STATUS');
    expect(error.message).toBe(
      `the model server at ${raw.origin} answered with a malformed status line; the connection was closed`,
    );
    await expect.poll(() => raw.closed()).toBe(1);
  });

  it.each([
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n'],
    [
      'a chunk longer than its size',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n',
    ],
  ])('fails %s', async (_what, answer) => {
    const raw = await rawServer((socket) => void socket.write(answer));
    const error = await failure(pool(raw.origin).status(get(raw.origin)));
    expect(error.code).toBe('HPE_INVALID_CHUNK_SIZE');
    expect(error.message).toContain(`the model server at ${raw.origin} answered with a`);
    await expect.poll(() => raw.closed()).toBe(1);
  });

  it('fails conflicting content-lengths', async () => {
    const raw = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nContent-Length: 3\r\n\r\n{}');
    });
    const error = await failure(pool(raw.origin).status(get(raw.origin)));
    expect(error.code).toBe('HPE_INVALID_CONTENT_LENGTH');
  });

  it('times out a server that never answers, and one that stops part way', async () => {
    const raw = await rawServer((socket, n) => {
      if (n === 1) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n01234');
    });
    const connections = pool(raw.origin, { timeoutMs: 300 });
    const started = performance.now();
    const silent = await failure(connections.status(get(raw.origin)));
    const waited = performance.now() - started;
    expect(silent.code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(silent.message).toBe(`the model server at ${raw.origin} sent no answer within 0.3 s`);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2_000);
    const stalled = await failure(connections.status(get(raw.origin)));
    expect(stalled.code).toBe('UND_ERR_BODY_TIMEOUT');
    expect(raw.connections).toHaveLength(2);
  });

  it('counts a refused connection by its code', async () => {
    const raw = await rawServer(() => {});
    const port = Number(new URL(raw.origin).port);
    const [server] = servers.splice(0);
    await new Promise((resolve) => server!.close(resolve));
    const error = await failure(pool(`http://127.0.0.1:${port}`).status(get(raw.origin)));
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('LoadConnections over TLS', () => {
  let certificates: TestCertificates;
  beforeAll(async () => {
    certificates = await makeLoopbackCertificates();
  });

  async function httpsServer(): Promise<{ origin: string; accepted: () => number }> {
    let accepted = 0;
    const server = createHttpsServer(
      { key: certificates.key, cert: certificates.cert },
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('{"ok":true}'));
      },
    );
    server.on('secureConnection', () => accepted++);
    return { origin: `https://127.0.0.1:${await listen(server)}`, accepted: () => accepted };
  }

  it('verifies the server against the endpoint CA and keeps its connections', async () => {
    const { origin, accepted } = await httpsServer();
    const client = new SmokeClient(
      { baseUrl: origin, headers: {}, displayName: origin, tls: { ca: certificates.ca } },
      { timeoutMs: 5_000, connections: 2 },
    );
    clients.push(client);
    const result = await runLoad(client, {
      requests: 50,
      concurrency: 2,
      warmup: 0,
      request: { method: 'POST', path: '/v2/models/m/infer', body: '{}' },
    });
    expect(result.failed).toBe(0);
    expect(result.statuses).toEqual({ 200: 50 });
    expect(accepted()).toBe(2);
  });

  it('refuses a server its CA did not sign', async () => {
    const { origin } = await httpsServer();
    const client = new SmokeClient(
      { baseUrl: origin, headers: {}, displayName: origin },
      { timeoutMs: 5_000, connections: 1 },
    );
    clients.push(client);
    const error = await failure(client.status(client.prepare({ method: 'GET', path: '/' })));
    expect(error.code).toMatch(/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)$/);
  });
});

describe('SmokeClient load requests behind a proxy', () => {
  it('go through the proxy the environment names, as the checks do', async () => {
    const target = await rawServer((socket) => {
      socket.write('HTTP/1.1 500 Direct\r\ncontent-length: 0\r\n\r\n');
    });
    const proxied: Array<string | undefined> = [];
    const proxy = createHttpServer((req, res) => {
      proxied.push(req.url);
      res.statusCode = 207;
      res.end();
    });
    const proxyPort = await listen(proxy);
    for (const name of ['HTTP_PROXY', 'http_proxy']) {
      vi.stubEnv(name, `http://127.0.0.1:${proxyPort}`);
    }
    for (const name of ['NO_PROXY', 'no_proxy']) vi.stubEnv(name, '');
    const client = smokeClient(target.origin, { connections: 1 });
    const prepared = client.prepare({ method: 'GET', path: '/v1/models/m' });
    expect(await client.status(prepared)).toBe(207);
    expect(proxied).toEqual([`${target.origin}/v1/models/m`]);
    expect(target.connections).toHaveLength(0);
  });
});
