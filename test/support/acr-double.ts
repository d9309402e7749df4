import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { pipeline } from 'node:stream';
import { readForm, sendJson, verifyJwt } from './entra-double.ts';

/**
 * A test double for Azure Container Registry's authentication, in front of a
 * real distribution registry (which stores everything). It follows ACR's
 * documented token flow:
 *
 * - `POST /oauth2/exchange` (grant_type=access_token, service, tenant?,
 *   access_token=<Entra token for the registry>) → `{ refresh_token }`;
 * - `POST /oauth2/token` (grant_type=refresh_token, service, scope,
 *   refresh_token) → `{ access_token }` for that repository scope;
 * - `/v2/…` requires `Authorization: Bearer <access token>` whose scope covers
 *   the repository and action, else 401 with
 *   `Bearer realm="…/oauth2/token",service="<host>",scope="repository:<name>:<actions>"`.
 */
export interface AcrDoubleStats {
  exchanges: number;
  tokens: number;
  /** Scopes granted by /oauth2/token, in order. */
  grantedScopes: string[];
  unauthorized: number;
}

export interface AcrDouble {
  url: string;
  host: string;
  stats: AcrDoubleStats;
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
const ACR_AUDIENCES = new Set([
  'https://containerregistry.azure.net',
  'https://management.azure.com',
]);

export async function startAcrDouble(options: {
  upstream: string;
  /** Verifies Entra access tokens (the Entra double's public key). */
  entraKey: KeyObject;
  tenantId: string;
}): Promise<AcrDouble> {
  const target = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true });
  const refreshTokens = new Set<string>();
  const accessTokens = new Map<string, Set<string>>();
  const stats: AcrDoubleStats = { exchanges: 0, tokens: 0, grantedScopes: [], unauthorized: 0 };
  let host = '';

  const needed = (method: string, path: string): string | undefined => {
    const match = /^\/v2\/(.+?)\/(blobs|manifests|tags)\//.exec(path);
    if (!match) return undefined;
    const actions = method === 'GET' || method === 'HEAD' ? 'pull' : 'pull,push';
    return `repository:${match[1]}:${actions}`;
  };

  const allowed = (granted: Set<string>, scope: string): boolean => {
    const [, name, actions] = /^repository:(.+):([a-z,]+)$/.exec(scope) ?? [];
    return (actions ?? '').split(',').every((action) =>
      [...granted].some((g) => {
        const [, gName, gActions] = /^repository:(.+):([a-z,*]+)$/.exec(g) ?? [];
        return gName === name && ((gActions ?? '').split(',').includes(action) || gActions === '*');
      }),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/oauth2/exchange' && method === 'POST') {
      const form = await readForm(req);
      stats.exchanges++;
      const aad = verifyJwt(form.get('access_token') ?? '', options.entraKey);
      const tenant = form.get('tenant');
      if (form.get('grant_type') !== 'access_token' || form.get('service') !== host) {
        return sendJson(res, 400, {
          errors: [
            {
              code: 'BAD_REQUEST',
              message: 'grant_type must be access_token and service this registry',
            },
          ],
        });
      }
      if (
        !aad ||
        !ACR_AUDIENCES.has(String(aad.payload.aud)) ||
        aad.payload.tid !== options.tenantId ||
        (tenant !== null && tenant !== options.tenantId)
      ) {
        return sendJson(res, 401, {
          errors: [
            { code: 'UNAUTHORIZED', message: 'the access token is not valid for this registry' },
          ],
        });
      }
      const refresh = randomBytes(24).toString('hex');
      refreshTokens.add(refresh);
      return sendJson(res, 200, { refresh_token: refresh });
    }
    if (url.pathname === '/oauth2/token') {
      const form = method === 'POST' ? await readForm(req) : url.searchParams;
      stats.tokens++;
      if (
        form.get('grant_type') !== 'refresh_token' ||
        !refreshTokens.has(form.get('refresh_token') ?? '')
      ) {
        return sendJson(res, 401, {
          errors: [{ code: 'UNAUTHORIZED', message: 'invalid refresh token' }],
        });
      }
      const scopes = (form.getAll('scope').join(' ') || '').split(' ').filter((s) => s !== '');
      const access = randomBytes(24).toString('hex');
      accessTokens.set(access, new Set(scopes));
      stats.grantedScopes.push(...scopes);
      return sendJson(res, 200, { access_token: access });
    }
    if (!url.pathname.startsWith('/v2/'))
      return sendJson(res, 404, { errors: [{ code: 'NOT_FOUND' }] });

    const scope = needed(method, url.pathname);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const granted = bearer === undefined ? undefined : accessTokens.get(bearer);
    if (granted === undefined || (scope !== undefined && !allowed(granted, scope))) {
      stats.unauthorized++;
      req.resume();
      const challenge = `Bearer realm="http://${host}/oauth2/token",service="${host}"${scope ? `,scope="${scope}"` : ''}`;
      return sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        { 'www-authenticate': challenge },
      );
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
    handle(req, res).catch((err: unknown) =>
      sendJson(res, 500, { errors: [{ code: 'INTERNAL', message: String(err) }] }),
    );
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
    stats,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
