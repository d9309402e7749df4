import { createHash } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A small origin server that the fault proxy is tested against: it serves
 * bodies of known bytes, hashes what it is sent, and challenges requests
 * without credentials the way a registry does.
 */
export interface Upstream {
  url: string;
  /** Bytes of /generate bodies written so far (those the socket accepted). */
  produced(): number;
  /** Uploads that ended before their body was complete. */
  abortedUploads(): number;
  /** Requests seen per path, to tell what reached upstream. */
  hits(path: string): number;
  stop(): Promise<void>;
}

export const CHALLENGE =
  'Bearer realm="http://127.0.0.1:1/token",service="upstream-test",scope="repository:demo:pull"';

/** The byte at `offset` of every generated body: cheap, and not all zeros. */
export function patternByte(offset: number): number {
  return (offset * 31 + (offset >>> 11)) & 0xff;
}

export function patternChunk(offset: number, length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) chunk[i] = patternByte(offset + i);
  return chunk;
}

export function patternSha256(total: number): string {
  const hash = createHash('sha256');
  const step = 1 << 20;
  for (let offset = 0; offset < total; offset += step) {
    hash.update(patternChunk(offset, Math.min(step, total - offset)));
  }
  return hash.digest('hex');
}

export async function startUpstream(tls?: { key: string; cert: string }): Promise<Upstream> {
  let produced = 0;
  let aborted = 0;
  const hits = new Map<string, number>();

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const size = Number(url.searchParams.get('size') ?? '0');

    if (url.pathname === '/hello') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello from upstream\n');
      return;
    }
    if (url.pathname === '/generate') {
      // chunked=1 streams without Content-Length, like a registry blob redirect target might.
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/octet-stream' };
      if (url.searchParams.get('chunked') !== '1') headers['content-length'] = String(size);
      res.writeHead(200, headers);
      let offset = 0;
      const writeMore = () => {
        while (offset < size) {
          const length = Math.min(64 * 1024, size - offset);
          const chunk = patternChunk(offset, length);
          offset += length;
          produced += length;
          if (!res.write(chunk)) {
            res.once('drain', writeMore);
            return;
          }
        }
        res.end();
      };
      res.once('close', () => res.removeAllListeners('drain'));
      writeMore();
      return;
    }
    if (url.pathname === '/upload') {
      const hash = createHash('sha256');
      let length = 0;
      req.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        length += chunk.length;
      });
      req.on('aborted', () => aborted++);
      req.on('error', () => undefined);
      req.on('end', () => {
        res.writeHead(201, {
          'content-type': 'application/json',
          location: `${origin()}/uploaded/${length}`,
        });
        res.end(JSON.stringify({ sha256: hash.digest('hex'), length }));
      });
      return;
    }
    if (url.pathname === '/protected') {
      req.resume();
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'www-authenticate': CHALLENGE, 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('authorized\n');
      return;
    }
    if (url.pathname === '/open') {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('no auth here\n');
      return;
    }
    res.writeHead(404);
    res.end();
  };

  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = () => `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url: origin(),
    produced: () => produced,
    abortedUploads: () => aborted,
    hits: (path) => hits.get(path) ?? 0,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
