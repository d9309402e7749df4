import { HttpStatusError, withRetry } from '../common/retry.ts';
import { assertSafeUrl, httpFetch, type HttpResponse } from '../common/http.ts';
import { oneLine, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Challenge } from './challenge.ts';
import type { RegistryCredential } from './credential.ts';
import { KiB, MiB, readText } from '../common/bounded-body.ts';

export type ScopeAction = 'pull' | 'push';

/** `repository:<name>:pull` or `repository:<name>:pull,push`. */
export function repositoryScope(repository: string, actions: readonly ScopeAction[]): string {
  return `repository:${repository}:${[...actions].sort().join(',')}`;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

export interface AuthenticatorOptions {
  registry: string;
  credential: RegistryCredential;
  logger: Logger;
  insecureHosts: readonly string[];
  /** Replaceable for tests. */
  now?: () => number;
  retry?: { attempts?: number; baseDelayMs?: number };
}

/** What the registry's 401 said; remembered so later requests authenticate up front. */
export class Authenticator {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly options: AuthenticatorOptions;
  /** Token endpoint calls made, for fault tests (no retry storm on bad credentials). */
  tokenRequests = 0;

  constructor(options: AuthenticatorOptions) {
    this.options = options;
    const { credential, logger } = options;
    if (credential.kind === 'basic') logger.secret(credential.password);
    if (credential.kind === 'bearer') logger.secret(credential.token);
    if (credential.kind === 'refresh-token') logger.secret(credential.refreshToken);
  }

  get knownChallenge(): Challenge | undefined {
    return this.challenge;
  }

  setChallenge(challenge: Challenge): void {
    this.challenge = challenge;
  }

  /** The Authorization header for these scopes, or undefined before any challenge is known. */
  async header(scopes: readonly string[]): Promise<string | undefined> {
    const { credential } = this.options;
    if (credential.kind === 'bearer') return `Bearer ${credential.token}`;
    const challenge = this.challenge;
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') {
      if (credential.kind !== 'basic') return undefined;
      return basicHeader(credential.username, credential.password);
    }
    const key = [...new Set(scopes)].sort().join(' ');
    const now = (this.options.now ?? Date.now)();
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > now) return cached.header;
    let inflight = this.pending.get(key);
    if (inflight === undefined) {
      inflight = this.fetchToken(challenge, key === '' ? [] : key.split(' ')).finally(() =>
        this.pending.delete(key),
      );
      this.pending.set(key, inflight);
    }
    const token = await inflight;
    this.tokens.set(key, token);
    return token.header;
  }

  /** Forget a token the registry refused so the next request fetches a fresh one. */
  invalidate(scopes: readonly string[]): void {
    this.tokens.delete([...new Set(scopes)].sort().join(' '));
  }

  private async fetchToken(challenge: Challenge, scopes: string[]): Promise<CachedToken> {
    const { registry, credential, logger, insecureHosts } = this.options;
    const realm = challenge.params.realm;
    if (!realm) {
      throw new UserError(`registry ${registry} asked for a Bearer token but named no realm`);
    }
    const url = assertSafeUrl(realm, insecureHosts);
    const service = challenge.params.service;
    const allScopes = [...scopes];
    for (const s of (challenge.params.scope ?? '').split(' ')) {
      if (s !== '' && !allScopes.includes(s)) allScopes.push(s);
    }
    const started = (this.options.now ?? Date.now)();
    const request: TokenRequest = { registry, url, service, scopes: allScopes, credential };
    const body = await withRetry(
      () => {
        this.tokenRequests++;
        return requestToken(request);
      },
      {
        attempts: this.options.retry?.attempts ?? 4,
        baseDelayMs: this.options.retry?.baseDelayMs ?? 500,
        onRetry: ({ delayMs, error }) =>
          logger.info(
            `retrying the token request to ${registry} in ${Math.round(delayMs)}ms (${(error as Error).message})`,
          ),
      },
    );
    const token = body.token ?? body.access_token;
    if (!token) throw new UserError(`the token endpoint of ${registry} returned no token`);
    logger.secret(token);
    // The token spec's default lifetime is 60 s; renew a little early.
    const lifetimeS = Math.max(10, body.expires_in ?? 60);
    return { header: `Bearer ${token}`, expiresAt: started + (lifetimeS - 5) * 1000 };
  }
}

/** A token request to a registry's token service, as its challenge described it. */
interface TokenRequest {
  registry: string;
  url: URL;
  service: string | undefined;
  scopes: string[];
  credential: RegistryCredential;
}

interface TokenAnswer {
  token?: string;
  access_token?: string;
  expires_in?: number;
}

const TOKEN_TIMEOUT_MS = 30_000;

/** OAuth2 refresh-token grant (POST) for a refresh token; otherwise the GET form, Basic when there is a login. */
function sendTokenRequest(request: TokenRequest): Promise<HttpResponse> {
  const { url, service, scopes, credential, registry } = request;
  const server = `token service of registry ${registry}`;
  if (credential.kind === 'refresh-token') {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credential.refreshToken,
      client_id: 'model-deploy',
    });
    if (service) form.set('service', service);
    if (scopes.length > 0) form.set('scope', scopes.join(' '));
    return httpFetch(url.toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      timeoutMs: TOKEN_TIMEOUT_MS,
      server,
    });
  }
  const query = new URL(url);
  if (service) query.searchParams.set('service', service);
  for (const s of scopes) query.searchParams.append('scope', s);
  const headers: Record<string, string> = {};
  if (credential.kind === 'basic') {
    headers.authorization = basicHeader(credential.username, credential.password);
  }
  return httpFetch(query.toString(), { headers, timeoutMs: TOKEN_TIMEOUT_MS, server });
}

/** One token request and its answer read: refused credentials and other failures in words. */
async function requestToken(request: TokenRequest): Promise<TokenAnswer> {
  const { registry, url, credential } = request;
  const response = await sendTokenRequest(request);
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new UserError(
      `registry ${registry} refused the credentials (HTTP ${response.status} from its token endpoint ${url.origin}${url.pathname})`,
      { hint: credentialHint(credential) },
    );
  }
  if (!response.ok) {
    const text = await readText(response.body, 64 * KiB, `the token endpoint of ${registry}`)
      .then(oneLine)
      .catch(() => '');
    throw new HttpStatusError(
      response.status,
      url.toString(),
      `token endpoint of ${registry} answered HTTP ${response.status}: ${oneLine(text).slice(0, 200)}`,
      response.headers.get('retry-after'),
    );
  }
  const answer = await readText(response.body, MiB, `the token endpoint of ${registry}`);
  try {
    return JSON.parse(answer) as TokenAnswer;
  } catch {
    throw new UserError(
      `the token endpoint of ${registry} (${url.origin}) answered HTTP ${response.status} without JSON`,
    );
  }
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function credentialHint(credential: RegistryCredential): string {
  switch (credential.kind) {
    case 'anonymous':
      return 'this registry needs credentials: give username/password, or log in before this step';
    case 'basic':
      return 'check the username and password (or the cloud login step) for this registry';
    default:
      return 'check the identity used to log in to this registry and its permissions';
  }
}
