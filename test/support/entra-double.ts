import { execFile } from 'node:child_process';
import {
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Test doubles for Microsoft Entra ID and the GitHub Actions OIDC token
 * service, following their documented protocols:
 *
 * - Entra (HTTPS, as MSAL requires): instance discovery
 *   (`/common/discovery/instance`), OpenID configuration
 *   (`/{tenant}/v2.0/.well-known/openid-configuration`) and the v2 token
 *   endpoint (`/{tenant}/oauth2/v2.0/token`) for `client_credentials` with a
 *   client secret or a `client_assertion` (workload identity federation).
 *   Access tokens are RS256 JWTs for any requested `<resource>/.default` scope.
 * - GitHub OIDC: `GET ?audience=…` with the runner's bearer token → `{ value }`,
 *   an RS256 JWT with the repository's `sub`, which Entra accepts as a
 *   federated credential when issuer, subject and audience match.
 */

export interface Jwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwt(
  payload: Record<string, unknown>,
  key: KeyObject,
  kid = 'test-key',
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${body}`), key);
  return `${header}.${body}.${signature.toString('base64url')}`;
}

/** The claims of a JWT signed by `key`, or undefined when the signature or expiry is wrong. */
export function verifyJwt(token: string, key: KeyObject): Jwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, body, signature] = parts as [string, string, string];
  const ok = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${body}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) return undefined;
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return undefined;
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >,
    payload,
  };
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function listen(server: http.Server | https.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface GithubOidcDouble {
  /** ACTIONS_ID_TOKEN_REQUEST_URL */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string;
  issuer: string;
  subject: string;
  publicKey: KeyObject;
  /** Audiences asked for, in order. */
  audiences: string[];
  stop(): Promise<void>;
}

export async function startGithubOidcDouble(
  options: { subject?: string } = {},
): Promise<GithubOidcDouble> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requestToken = randomUUID();
  const subject = options.subject ?? 'repo:example-org/models:ref:refs/heads/main';
  const audiences: string[] = [];
  let issuer = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      sendJson(res, 401, { message: 'Bad credentials' });
      return;
    }
    const audience = url.searchParams.get('audience') ?? issuer;
    audiences.push(audience);
    const now = Math.floor(Date.now() / 1000);
    const value = signJwt(
      {
        iss: issuer,
        sub: subject,
        aud: audience,
        iat: now,
        nbf: now,
        exp: now + 300,
        repository: 'example-org/models',
      },
      privateKey,
    );
    sendJson(res, 200, { count: 1, value });
  });
  const port = await listen(server);
  issuer = `http://127.0.0.1:${port}`;
  return {
    requestUrl: `http://127.0.0.1:${port}/_apis/token?api-version=2.0`,
    requestToken,
    issuer,
    subject,
    publicKey,
    audiences,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface FederatedCredential {
  clientId: string;
  issuer: string;
  subject: string;
  /** The issuer's signing key (a real Entra fetches it from the issuer's JWKS). */
  issuerKey: KeyObject;
}

export interface EntraTokenRequest {
  tenant: string;
  clientId: string;
  scope: string;
  method: 'client_secret' | 'client_assertion';
  granted: boolean;
}

export interface EntraDouble {
  /** https://127.0.0.1:PORT — for AZURE_AUTHORITY_HOST / authorityHost. */
  authorityHost: string;
  /** PEM of the self-signed certificate: trust it with NODE_EXTRA_CA_CERTS. */
  caPath: string;
  tenantId: string;
  /** Verifies the access tokens it issued. */
  publicKey: KeyObject;
  requests: EntraTokenRequest[];
  /** Every request as `METHOD /path?query`, for failure messages. */
  paths: string[];
  /** Mints an access token directly, as if a client had asked for `scope`. */
  issueToken(clientId: string, scope: string): string;
  stop(): Promise<void>;
}

export async function startEntraDouble(options: {
  tenantId?: string;
  /** client id → secret, for client_secret flows (EnvironmentCredential). */
  secrets?: Record<string, string>;
  federated?: FederatedCredential[];
}): Promise<EntraDouble> {
  const tenantId = options.tenantId ?? randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'md-entra-'));
  const keyPath = join(dir, 'tls.key');
  const caPath = join(dir, 'tls.crt');
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    caPath,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  const requests: EntraTokenRequest[] = [];
  const paths: string[] = [];
  let base = '';

  const issueToken = (clientId: string, scope: string) => {
    const resource = scope.replace(/\/\.default$/, '');
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        aud: resource,
        // Entra's access tokens for v1 resources such as Azure Storage carry the
        // sts.windows.net issuer, which Azurite (--oauth basic) checks.
        iss: `https://sts.windows.net/${tenantId}/`,
        tid: tenantId,
        appid: clientId,
        azp: clientId,
        oid: randomUUID(),
        iat: now,
        nbf: now,
        exp: now + 3600,
      },
      privateKey,
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    paths.push(`${req.method} ${url.pathname}${url.search}`);
    if (path === '/common/discovery/instance') {
      const host = new URL(base).host;
      sendJson(res, 200, {
        tenant_discovery_endpoint: `${base}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
      return;
    }
    const openid = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (openid) {
      const tenant = openid[1]!;
      sendJson(res, 200, {
        issuer: `${base}/${tenant}/v2.0`,
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
      return;
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token && req.method === 'POST') {
      const tenant = token[1]!;
      const form = await readForm(req);
      const clientId = form.get('client_id') ?? '';
      const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? '';
      const record: EntraTokenRequest = {
        tenant,
        clientId,
        scope,
        method: form.has('client_assertion') ? 'client_assertion' : 'client_secret',
        granted: false,
      };
      requests.push(record);
      const deny = (code: string, description: string) =>
        sendJson(res, 401, { error: code, error_description: description, error_codes: [700000] });
      if (tenant !== tenantId) return deny('invalid_tenant', `tenant '${tenant}' not found`);
      if (form.get('grant_type') !== 'client_credentials')
        return sendJson(res, 400, { error: 'unsupported_grant_type' });
      if (scope === '')
        return sendJson(res, 400, {
          error: 'invalid_scope',
          error_description: 'scope must end in /.default',
        });
      if (record.method === 'client_assertion') {
        if (
          form.get('client_assertion_type') !==
          'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
        ) {
          return sendJson(res, 400, {
            error: 'invalid_request',
            error_description: 'bad client_assertion_type',
          });
        }
        const assertion = form.get('client_assertion') ?? '';
        const match = (options.federated ?? []).find((f) => {
          if (f.clientId !== clientId) return false;
          const jwt = verifyJwt(assertion, f.issuerKey);
          return (
            jwt !== undefined &&
            jwt.payload.iss === f.issuer &&
            jwt.payload.sub === f.subject &&
            jwt.payload.aud === 'api://AzureADTokenExchange'
          );
        });
        if (!match)
          return deny(
            'invalid_client',
            'AADSTS70021: No matching federated identity record found for presented assertion.',
          );
      } else if (
        !options.secrets ||
        options.secrets[clientId] === undefined ||
        options.secrets[clientId] !== form.get('client_secret')
      ) {
        return deny('invalid_client', 'AADSTS7000215: Invalid client secret provided.');
      }
      record.granted = true;
      sendJson(res, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: issueToken(clientId, scope),
      });
      return;
    }
    sendJson(res, 404, { error: 'not_found', path });
  };

  const server = https.createServer(
    { key: readFileSync(keyPath), cert: readFileSync(caPath) },
    (req, res) => {
      handle(req, res).catch((err: unknown) => sendJson(res, 500, { error: String(err) }));
    },
  );
  const port = await listen(server);
  base = `https://127.0.0.1:${port}`;
  return {
    authorityHost: base,
    caPath,
    tenantId,
    publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
    requests,
    paths,
    issueToken,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
