import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { sendJson } from './entra-double.ts';

/**
 * A test double for Google Artifact Registry, on one port:
 *
 * - the REST API (`artifactregistry.googleapis.com/v1`): `GET` and `POST`
 *   `projects/{p}/locations/{l}/repositories[?repositoryId=]`, which returns a
 *   long-running Operation, and `GET projects/{p}/locations/{l}/operations/{id}`;
 *   every call needs `Authorization: Bearer <Google access token>`;
 * - the Docker endpoint (`<location>-docker.pkg.dev`) in front of a real
 *   distribution registry: a Bearer challenge whose realm `/v2/token` takes
 *   Basic `oauth2accesstoken:<Google access token>`; uploads must be
 *   monolithic (PATCH is refused); repositories must exist before a push.
 */
export interface ArtifactRegistryDoubleRepository {
  name: string;
  format: string;
  dockerConfig?: { immutableTags?: boolean };
  createTime: string;
}

export interface ArtifactRegistryDouble {
  url: string;
  host: string;
  repositories: Map<string, ArtifactRegistryDoubleRepository>;
  stats: { restCalls: string[]; patchesRefused: number; unauthorized: number };
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

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function googleError(res: ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message, status } });
}

export async function startArtifactRegistryDouble(options: {
  upstream: string;
  /** Accepts only Google access tokens the OAuth double issued. */
  isValidGoogleToken(token: string): boolean;
}): Promise<ArtifactRegistryDouble> {
  const target = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true });
  const repositories = new Map<string, ArtifactRegistryDoubleRepository>();
  const operations = new Map<string, ArtifactRegistryDoubleRepository>();
  const registryTokens = new Set<string>();
  const stats = { restCalls: [] as string[], patchesRefused: 0, unauthorized: 0 };
  let host = '';

  const rest = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    stats.restCalls.push(`${req.method} ${url.pathname}${url.search}`);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !options.isValidGoogleToken(bearer)) {
      return googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials.',
      );
    }
    const repo = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+)$/.exec(
      url.pathname,
    );
    if (repo && req.method === 'GET') {
      const found = repositories.get(repo[1]!);
      return found
        ? sendJson(res, 200, found)
        : googleError(res, 404, 'NOT_FOUND', `Requested entity was not found.`);
    }
    const parent = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/repositories$/.exec(url.pathname);
    if (parent && req.method === 'POST') {
      const id = url.searchParams.get('repositoryId');
      if (!id) return googleError(res, 400, 'INVALID_ARGUMENT', 'repositoryId is required');
      const body = await readJson(req);
      const name = `${parent[1]}/repositories/${id}`;
      if (repositories.has(name))
        return googleError(res, 409, 'ALREADY_EXISTS', 'the repository already exists');
      // Clients send enums by name or, with `$alt=json;enum-encoding=int`, by number (DOCKER = 1).
      if (body.format !== 'DOCKER' && body.format !== 1) {
        return googleError(res, 400, 'INVALID_ARGUMENT', 'format must be DOCKER');
      }
      const created: ArtifactRegistryDoubleRepository = {
        name,
        format: 'DOCKER',
        dockerConfig: body.dockerConfig as { immutableTags?: boolean },
        createTime: new Date().toISOString(),
      };
      repositories.set(name, created);
      const operation = `${parent[1]}/operations/${randomUUID()}`;
      operations.set(operation, created);
      return sendJson(res, 200, {
        name: operation,
        done: false,
        metadata: {
          '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.OperationMetadata',
        },
      });
    }
    const op = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+)$/.exec(url.pathname);
    if (op && req.method === 'GET') {
      const done = operations.get(op[1]!);
      if (!done) return googleError(res, 404, 'NOT_FOUND', 'operation not found');
      return sendJson(res, 200, {
        name: op[1],
        done: true,
        response: {
          '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.Repository',
          ...done,
        },
      });
    }
    return googleError(res, 404, 'NOT_FOUND', `no such method ${req.method} ${url.pathname}`);
  };

  const docker = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? 'GET';
    if (url.pathname === '/v2/token') {
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [user, password] = basic
        ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s)
        : [];
      if (user !== 'oauth2accesstoken' || !password || !options.isValidGoogleToken(password)) {
        stats.unauthorized++;
        return sendJson(res, 401, {
          errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }],
        });
      }
      const token = randomBytes(24).toString('hex');
      registryTokens.add(token);
      return sendJson(res, 200, { token, expires_in: 3600 });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !registryTokens.has(bearer)) {
      stats.unauthorized++;
      req.resume();
      const name = /^\/v2\/(.+?)\/(?:blobs|manifests|tags)\//.exec(url.pathname)?.[1];
      const scope = name
        ? `,scope="repository:${name}:${method === 'GET' || method === 'HEAD' ? 'pull' : 'pull,push'}"`
        : '';
      return sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        {
          'www-authenticate': `Bearer realm="http://${host}/v2/token",service="${host}"${scope}`,
        },
      );
    }
    const name = /^\/v2\/(.+?)\/(?:blobs|manifests|tags)\//.exec(url.pathname)?.[1];
    if (name) {
      const [project, repository] = name.split('/');
      const exists = [...repositories.keys()].some(
        (k) => k.startsWith(`projects/${project}/`) && k.endsWith(`/repositories/${repository}`),
      );
      if (!exists) {
        req.resume();
        return sendJson(res, 404, {
          errors: [{ code: 'NAME_UNKNOWN', message: `Repository "${repository}" not found` }],
        });
      }
    }
    if (method === 'PATCH') {
      stats.patchesRefused++;
      req.resume();
      return sendJson(res, 405, {
        errors: [{ code: 'UNSUPPORTED', message: 'chunked uploads are not supported' }],
      });
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'authorization') headers[k] = v;
    const forward = http.request(
      { host: target.hostname, port: target.port, method, path: req.url, headers, agent },
      (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(answer.headers))
          if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        res.writeHead(answer.statusCode ?? 502, out);
        pipeline(answer, res, () => {});
      },
    );
    forward.on('error', () => res.destroy());
    pipeline(req, forward, () => {});
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const work = url.pathname.startsWith('/v1/')
      ? rest(req, res, url)
      : Promise.resolve(docker(req, res, url));
    work.catch((err: unknown) => googleError(res, 500, 'INTERNAL', String(err)));
  });
  server.requestTimeout = 0;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  host = `127.0.0.1:${address.port}`;
  return {
    url: `http://${host}`,
    host,
    repositories,
    stats,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
