import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream';

/**
 * Registry stand-ins: small HTTP proxies in front of the real distribution
 * registry that enforce the upload rules real registries have and the local
 * one lacks. Everything they let through is stored by the real registry.
 *
 * - `monolithicOnly`: PATCH is answered 405 (like registries that only take one PUT).
 * - `maxBodyBytes`: a request body above this is answered 413 (ACR's ~20 MB cap).
 * - `minChunkBytes`: a PATCH chunk below this that is not the last is answered
 *   400 (ECR's 5 MiB rule); the stand-in cannot know "last", so it only checks
 *   chunks followed by another PATCH: a PATCH arriving after a short one is refused.
 * - `patchStatus`: the status a successful PATCH is answered with (ECR: 201).
 * - `wrongManifestDigest`: manifest PUTs are answered with a different Docker-Content-Digest.
 * - `basicAuth`: every request must carry these Basic credentials (a registry
 *   that accepts a login from elsewhere, e.g. the ECR token moto hands out).
 */
export interface StandInRules {
  monolithicOnly?: boolean;
  maxBodyBytes?: number;
  minChunkBytes?: number;
  patchStatus?: number;
  wrongManifestDigest?: boolean;
  basicAuth?: { username: string; password: string };
}

export interface StandInStats {
  patches: number;
  puts: number;
  /** Requests refused by a rule, with the status given. */
  refused: Array<{ method: string; path: string; status: number; reason: string }>;
  /** The largest request body forwarded upstream. */
  largestBody: number;
}

export interface RegistryStandIn {
  url: string;
  host: string;
  stats: StandInStats;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

export async function startRegistryStandIn(
  upstream: string,
  rules: StandInRules,
): Promise<RegistryStandIn> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const stats: StandInStats = { patches: 0, puts: 0, refused: [], largestBody: 0 };
  /** Upload sessions whose previous chunk was short: another PATCH means it was not the last. */
  const shortChunkSessions = new Set<string>();
  const sockets = new Set<Socket>();

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string) => {
    stats.refused.push({ method: req.method ?? '', path: req.url ?? '', status, reason });
    // Read the body first so the client sees the answer, not a broken pipe.
    req.resume();
    req.once('end', () => {
      const body = JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: reason }] });
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const isUpload = /\/blobs\/uploads\//.test(path);
    const session = path.split('?')[0] ?? path;
    const length = Number(req.headers['content-length'] ?? '0');
    if (rules.basicAuth) {
      const expected = `Basic ${Buffer.from(`${rules.basicAuth.username}:${rules.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        stats.refused.push({ method, path, status: 401, reason: 'no or wrong Basic credentials' });
        req.resume();
        res.writeHead(401, {
          'www-authenticate': 'Basic realm="registry stand-in"',
          'content-type': 'application/json',
        });
        res.end(
          JSON.stringify({
            errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
          }),
        );
        return;
      }
    }
    if (method === 'PATCH' && isUpload) {
      stats.patches++;
      if (rules.monolithicOnly) return refuse(req, res, 405, 'chunked uploads are not supported');
      if (rules.minChunkBytes !== undefined && shortChunkSessions.has(session)) {
        return refuse(
          req,
          res,
          400,
          `a chunk before this one was below ${rules.minChunkBytes} bytes`,
        );
      }
    }
    if (method === 'PUT' && isUpload) stats.puts++;
    if (rules.maxBodyBytes !== undefined && length > rules.maxBodyBytes) {
      return refuse(req, res, 413, `request body of ${length} bytes is over ${rules.maxBodyBytes}`);
    }
    stats.largestBody = Math.max(stats.largestBody, length);

    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    // The registry behind has no auth of its own.
    if (rules.basicAuth) delete headers.authorization;
    const forward = http.request(
      { host: target.hostname, port: target.port, method, path, headers, agent },
      (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(answer.headers))
          if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        let status = answer.statusCode ?? 502;
        if (method === 'PATCH' && isUpload && status === 202) {
          if (rules.minChunkBytes !== undefined && length < rules.minChunkBytes)
            shortChunkSessions.add(session);
          if (rules.patchStatus !== undefined) status = rules.patchStatus;
        }
        if (
          rules.wrongManifestDigest &&
          method === 'PUT' &&
          /\/manifests\//.test(path) &&
          status === 201
        ) {
          out['docker-content-digest'] = `sha256:${'0'.repeat(64)}`;
        }
        res.writeHead(status, out);
        pipeline(answer, res, () => {});
      },
    );
    forward.on('error', () => res.destroy());
    pipeline(req, forward, () => {});
  };

  const server = http.createServer(handle);
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stand-in: no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    host: `127.0.0.1:${address.port}`,
    stats,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
