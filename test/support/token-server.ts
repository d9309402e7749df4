import { createPrivateKey, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small token server for the distribution registry's `auth.token` mode: the
 * Bearer flow that ACR, Artifact Registry and GHCR use. The client is sent here
 * by the registry's `WWW-Authenticate: Bearer realm=...,service=...,scope=...`
 * challenge, authenticates with Basic credentials, and gets an RS256 JWT whose
 * `access` claim lists what it may do. Follows the documented token
 * authentication specification of the distribution project.
 *
 * It runs as its own process (see registry.ts) so a test that calls
 * skopeo synchronously cannot deadlock against it.
 */
export interface TokenServerConfig {
  port: number;
  /** The registry's `auth.token.service`; becomes the token's `aud`. */
  service: string;
  /** The registry's `auth.token.issuer`; becomes the token's `iss`. */
  issuer: string;
  privateKeyPath: string;
  /** The signing certificate (PEM), sent in the `x5c` header so the registry can check it against its rootcertbundle. */
  certificatePath: string;
  users: Record<string, string>;
  /** Limits what a user may do (e.g. ['pull'] for a read-only user); users not listed may do anything they ask. */
  userActions?: Record<string, string[]>;
  /** Actions granted without credentials, e.g. ['pull'] for public reads. Default none. */
  anonymousActions?: string[];
  /** JSON lines, one per token request, for tests to assert what clients asked for. */
  requestLogPath?: string;
  tokenLifetimeSeconds?: number;
}

export interface TokenRequestRecord {
  method: string;
  account?: string;
  user?: string;
  scopes: string[];
  granted: AccessEntry[];
  status: number;
}

export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** Parses `repository:<name>:pull,push` (names may contain `:` only in the registry:catalog:* form). */
export function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter((a) => a !== ''),
  };
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function pemToDerBase64(pem: string): string {
  return pem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .trim();
}

export function signJwt(
  claims: Record<string, unknown>,
  key: KeyObject,
  certificatePem: string,
): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [pemToDerBase64(certificatePem)] };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), key);
  return `${signingInput}.${base64url(signature)}`;
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createTokenServer(config: TokenServerConfig): Server {
  const key = createPrivateKey(readFileSync(config.privateKeyPath));
  const certificate = readFileSync(config.certificatePath, 'utf8');
  const lifetime = config.tokenLifetimeSeconds ?? 300;

  // Written before the response, so a client that got its answer finds its request in the log.
  const log = (record: TokenRequestRecord) => {
    if (config.requestLogPath) appendFileSync(config.requestLogPath, `${JSON.stringify(record)}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${config.port}`);
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    // GET with Basic auth is the docker/containers-image flow; POST form is the OAuth2 password grant.
    let params = url.searchParams;
    let credentials = parseBasic(req.headers.authorization);
    if (req.method === 'POST') {
      params = new URLSearchParams(await readBody(req));
      if (!credentials && params.get('grant_type') === 'password') {
        credentials = {
          user: params.get('username') ?? '',
          password: params.get('password') ?? '',
        };
      }
    }
    const scopes = params.getAll('scope').flatMap((s) => s.split(' ').filter((x) => x !== ''));
    const account = params.get('account') ?? undefined;

    if (params.get('service') && params.get('service') !== config.service) {
      log({ method: req.method ?? '', account, scopes, granted: [], status: 400 });
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'unknown service' }] }));
      return;
    }

    let subject = '';
    let allowed: (action: string) => boolean;
    if (credentials) {
      const expected = config.users[credentials.user];
      if (expected === undefined || !sameSecret(expected, credentials.password)) {
        log({
          method: req.method ?? '',
          account,
          user: credentials.user,
          scopes,
          granted: [],
          status: 401,
        });
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Basic realm="${config.service}"`,
        });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
        return;
      }
      subject = credentials.user;
      const limited = config.userActions?.[credentials.user];
      allowed = limited ? (action) => limited.includes(action) : () => true;
    } else {
      const anonymous = new Set(config.anonymousActions ?? []);
      allowed = (action) => anonymous.has(action);
    }

    const granted: AccessEntry[] = [];
    for (const scope of scopes) {
      const entry = parseScope(scope);
      if (!entry) continue;
      const actions = entry.actions.filter(allowed);
      if (actions.length > 0) granted.push({ ...entry, actions });
    }

    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        iss: config.issuer,
        sub: subject,
        aud: config.service,
        exp: now + lifetime,
        // The registry rejects tokens from the future; tolerate small clock differences.
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access: granted,
      },
      key,
      certificate,
    );
    log({
      method: req.method ?? '',
      account,
      user: credentials?.user,
      scopes,
      granted,
      status: 200,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: lifetime,
        issued_at: new Date(now * 1000).toISOString(),
      }),
    );
  };

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
}

// Run as a process: the configuration comes through the environment so the
// passwords never appear in argv.
if (import.meta.main) {
  const raw = process.env.MD_TOKEN_SERVER_CONFIG;
  if (!raw) {
    console.error('MD_TOKEN_SERVER_CONFIG is not set');
    process.exit(2);
  }
  const config = JSON.parse(raw) as TokenServerConfig;
  const server = createTokenServer(config);
  server.listen(config.port, '127.0.0.1', () => {
    console.log(`token server listening on 127.0.0.1:${config.port}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
