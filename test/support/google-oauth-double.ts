import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { readForm, sendJson } from './entra-double.ts';

/**
 * A test double for Google's token sources, as google-auth-library uses them:
 *
 * - the Compute Engine metadata server (`GCE_METADATA_HOST`):
 *   `GET /computeMetadata/v1/instance/service-accounts/default/token` with
 *   `Metadata-Flavor: Google` → `{ access_token, expires_in, token_type }`,
 *   plus `project/project-id` and the `instance` probe; every answer carries
 *   `Metadata-Flavor: Google`, which the library checks;
 * - the OAuth 2.0 token endpoint (`POST /token`) for `refresh_token`
 *   (authorized_user files), JWT bearer (service account keys) and STS token
 *   exchange (workload identity federation files), each giving an access token.
 *
 * `isValid(token)` lets other doubles accept only tokens issued here.
 */
export interface GoogleOAuthDouble {
  /** host:port, for GCE_METADATA_HOST. */
  metadataHost: string;
  /** http://127.0.0.1:PORT/token, for token_uri / token_url in credential files. */
  tokenUrl: string;
  projectId: string;
  serviceAccount: string;
  isValid(token: string): boolean;
  /** Tokens issued so far, by how they were obtained. */
  issued: Array<{ via: string; token: string }>;
  stop(): Promise<void>;
}

export async function startGoogleOAuthDouble(
  options: {
    projectId?: string;
    serviceAccount?: string;
    /**
     * Every token issued is this one: for a Kubernetes API server stand-in
     * that accepts a single bearer token, as a GKE control plane accepts the
     * Google access tokens of an authorised identity.
     */
    accessToken?: string;
  } = {},
): Promise<GoogleOAuthDouble> {
  const projectId = options.projectId ?? 'md-test-project';
  const serviceAccount =
    options.serviceAccount ?? `model-deploy@${projectId}.iam.gserviceaccount.com`;
  const issued: Array<{ via: string; token: string }> = [];
  const valid = new Set<string>();
  const mint = (via: string) => {
    const token = options.accessToken ?? `ya29.${randomBytes(32).toString('base64url')}`;
    valid.add(token);
    issued.push({ via, token });
    return token;
  };
  const flavor = { 'metadata-flavor': 'Google' };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      if (url.pathname.startsWith('/computeMetadata/v1')) {
        if (req.headers['metadata-flavor'] !== 'Google') {
          res.writeHead(403, flavor);
          res.end('Missing Metadata-Flavor:Google header.');
          return;
        }
        const path = url.pathname.replace(/\/+$/, '');
        if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
          return sendJson(
            res,
            200,
            { access_token: mint('metadata'), expires_in: 3599, token_type: 'Bearer' },
            flavor,
          );
        }
        if (path === '/computeMetadata/v1/instance/service-accounts/default/email') {
          res.writeHead(200, { ...flavor, 'content-type': 'application/text' });
          res.end(serviceAccount);
          return;
        }
        if (path === '/computeMetadata/v1/project/project-id') {
          res.writeHead(200, { ...flavor, 'content-type': 'application/text' });
          res.end(projectId);
          return;
        }
        if (path === '/computeMetadata/v1/instance' || path === '/computeMetadata/v1') {
          res.writeHead(200, { ...flavor, 'content-type': 'application/text' });
          res.end('attributes/\nid\nservice-accounts/\n');
          return;
        }
        res.writeHead(404, flavor);
        res.end('Not found');
        return;
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        const form = req.headers['content-type']?.includes('json')
          ? new URLSearchParams(
              Object.entries(
                JSON.parse(
                  await new Promise<string>((resolve) => {
                    let body = '';
                    req.on('data', (c: Buffer) => (body += c.toString()));
                    req.on('end', () => resolve(body));
                  }),
                ) as Record<string, string>,
              ),
            )
          : await readForm(req);
        const grant = form.get('grant_type') ?? '';
        const known = new Set([
          'refresh_token',
          'urn:ietf:params:oauth:grant-type:jwt-bearer',
          'urn:ietf:params:oauth:grant-type:token-exchange',
        ]);
        if (!known.has(grant)) return sendJson(res, 400, { error: 'unsupported_grant_type' });
        const token = mint(grant);
        return sendJson(res, 200, {
          access_token: token,
          expires_in: 3599,
          token_type: 'Bearer',
          ...(grant.endsWith('token-exchange')
            ? { issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' }
            : {}),
        });
      }
      sendJson(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
    })().catch((err: unknown) => sendJson(res, 500, { error: String(err) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const host = `127.0.0.1:${address.port}`;
  return {
    metadataHost: host,
    tokenUrl: `http://${host}/token`,
    projectId,
    serviceAccount,
    isValid: (token) => valid.has(token),
    issued,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
