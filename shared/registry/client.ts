import { Readable } from 'node:stream';
import { UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import { assertSafeUrl, baseUrlFor, httpFetch, type HttpResponse } from '../common/http.ts';
import { TLS_HINT, type NetworkPeer } from '../common/network.ts';
import { withRetry, type RetryOptions } from '../common/retry.ts';
import { sha256Digest, isDigest, type Digest } from '../oci/digest.ts';
import { MANIFEST_ACCEPT } from '../oci/media-types.ts';
import { Authenticator, repositoryScope, type ScopeAction } from './auth.ts';
import { parseChallenges, pickChallenge } from './challenge.ts';
import type { RegistryCredential } from './credential.ts';
import { DigestMismatchError, StaleTokenError, unexpectedStatus } from './errors.ts';
import { MiB, readBytes } from '../common/bounded-body.ts';

export interface RegistryClientOptions {
  /** `host[:port]` as it appears in image references. */
  registry: string;
  credential?: RegistryCredential;
  logger?: Logger;
  /** Hosts allowed over plain http besides loopback. */
  insecureHosts?: readonly string[];
  /** The input that names this registry, for messages when it cannot be reached. */
  input?: string;
  /** Per-request timeout for small requests (manifests, HEAD, tokens). */
  timeoutMs?: number;
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep'>;
}

export type RequestBody = Buffer | string | AsyncIterable<Uint8Array>;

export interface RegistryRequest {
  method: string;
  /** A path such as `/v2/<name>/manifests/<ref>`, or an absolute URL the registry gave (an upload Location). */
  url: string;
  scopes: readonly string[];
  headers?: Record<string, string>;
  /** A factory, so a retried request can send its body again. */
  body?: () => RequestBody | undefined;
  /** Statuses that count as an answer; anything else throws. */
  expect: readonly number[];
  /** Stream bodies cannot be replayed: their caller resumes instead of retrying. */
  retry?: boolean;
  what: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  redirect?: 'follow' | 'manual';
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

export interface ManifestHead {
  digest: Digest | undefined;
  mediaType: string;
  size: number;
}

/**
 * The OCI Distribution API for one registry host: auth challenges, manifests,
 * blobs. Retries with the one shared retry helper; a 401 gets one fresh token
 * and then becomes a UserError, never a retry storm.
 */
export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  readonly logger: Logger;
  readonly auth: Authenticator;
  readonly insecureHosts: readonly string[];
  private readonly timeoutMs: number;
  private readonly input: string | undefined;
  private readonly retryOptions: RegistryClientOptions['retry'];
  private pinged = false;
  /** Requests sent, for tests that check there is no retry storm. */
  requestCount = 0;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.insecureHosts = options.insecureHosts ?? [];
    this.baseUrl = baseUrlFor(options.registry, this.insecureHosts);
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.input = options.input;
    this.retryOptions = options.retry;
    this.auth = new Authenticator({
      registry: options.registry,
      credential: options.credential ?? { kind: 'anonymous' },
      logger: this.logger,
      insecureHosts: this.insecureHosts,
      retry: options.retry,
    });
  }

  /** How a failure to reach this registry names it, and what to check. */
  private get peer(): Pick<NetworkPeer, 'server' | 'input' | 'hints'> {
    return {
      server: 'registry',
      ...(this.input === undefined ? {} : { input: this.input }),
      hints: {
        tls: `${TLS_HINT} (insecure-registries allows plain http, not unverified https)`,
        'not-tls': `if the registry has no TLS, list '${this.registry}' in insecure-registries`,
      },
    };
  }

  resolve(url: string): string {
    if (url.startsWith('/')) return this.baseUrl + url;
    return assertSafeUrl(url, this.insecureHosts).toString();
  }

  /** Learns the auth challenge once, so the first real request carries credentials. */
  async ping(): Promise<void> {
    if (this.pinged) return;
    await this.send({
      method: 'GET',
      url: '/v2/',
      scopes: [],
      expect: [200],
      what: 'reaching /v2/',
    });
    this.pinged = true;
  }

  retrying<T>(what: string, task: (attempt: number) => Promise<T>): Promise<T> {
    return withRetry(task, {
      attempts: 5,
      ...this.retryOptions,
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.info(
          `${this.registry}: ${what} failed (${(error as Error).message}); retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s`,
        ),
    });
  }

  async send(request: RegistryRequest): Promise<HttpResponse> {
    const once = () => this.sendOnce(request);
    if (request.retry === false) return once();
    return this.retrying(request.what, once);
  }

  /** Whether a URL is the registry's own origin (scheme, host and port): the only one our credentials go to. */
  isRegistryOrigin(url: string): boolean {
    return new URL(url).origin === new URL(this.baseUrl).origin;
  }

  /**
   * One request, with the registry's credentials only while it goes to the
   * registry's own origin: an upload Location or a redirect on another host
   * gets no Authorization header. Redirects are followed here, not by fetch,
   * so each hop is checked (https unless allowed) and a downgrade is refused.
   */
  private async attempt(
    request: RegistryRequest,
    url: string,
    authorization: string | undefined,
  ): Promise<HttpResponse> {
    let target = url;
    for (let hops = 0; ; hops++) {
      this.requestCount++;
      const headers: Record<string, string> = { ...request.headers };
      if (authorization && this.isRegistryOrigin(target)) headers.authorization = authorization;
      const response = await httpFetch(target, {
        method: request.method,
        headers,
        body: hops === 0 ? (request.body?.() ?? undefined) : undefined,
        timeoutMs: request.timeoutMs ?? this.timeoutMs,
        idleTimeoutMs: request.idleTimeoutMs,
        redirect: 'manual',
        ...this.peer,
      });
      const redirected = [301, 302, 303, 307, 308].includes(response.status);
      if (!redirected || request.redirect === 'manual') return response;
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (request.body !== undefined) {
        throw new UserError(
          `registry ${this.registry} redirected ${request.what} (HTTP ${response.status}); a request with a body is not sent again elsewhere`,
        );
      }
      if (!location || hops >= 5) {
        throw new UserError(
          `registry ${this.registry} redirected ${request.what} ${location ? 'more than 5 times' : 'without a Location'}`,
        );
      }
      target = assertSafeUrl(new URL(location, target).toString(), this.insecureHosts).toString();
    }
  }

  private async sendOnce(request: RegistryRequest): Promise<HttpResponse> {
    const url = this.resolve(request.url);
    const attempt = (authorization: string | undefined) =>
      this.attempt(request, url, authorization);
    let response = await attempt(await this.auth.header(request.scopes));
    if (response.status === 401 && !this.isRegistryOrigin(response.url || url)) {
      await response.body?.cancel();
      throw new UserError(
        `registry ${this.registry} sent ${request.what} to ${new URL(response.url || url).origin}, which asked for credentials; the registry's credentials are only sent to ${new URL(this.baseUrl).origin}`,
        {
          hint: 'a registry whose uploads or downloads live on another host must give that host a URL that needs no credentials (e.g. a presigned one)',
        },
      );
    }
    if (response.status === 401) {
      const challenge = pickChallenge(parseChallenges(response.headers.get('www-authenticate')));
      await response.body?.cancel();
      if (challenge === undefined) {
        throw new UserError(
          `registry ${this.registry} answered 401 to ${request.what} without a usable challenge`,
        );
      }
      const hadCredentials = this.auth.knownChallenge !== undefined;
      this.auth.setChallenge(challenge);
      this.auth.invalidate(request.scopes);
      const scopes = [...request.scopes];
      // A registry may ask for more than we guessed (e.g. the source repo of a mount).
      for (const s of (challenge.params.scope ?? '').split(' ')) {
        if (s !== '' && !scopes.includes(s)) scopes.push(s);
      }
      const authorization = await this.auth.header(scopes);
      if (authorization === undefined) {
        throw new UserError(`registry ${this.registry} needs credentials for ${request.what}`, {
          hint: 'give username and password, or log in to this registry before this step',
        });
      }
      if (request.body !== undefined && request.retry === false) {
        // A stream already consumed cannot be sent again; the caller resumes.
        throw new StaleTokenError(
          `registry ${this.registry} asked for a fresh token during ${request.what}`,
        );
      }
      response = await attempt(authorization);
      if (response.status === 401) {
        await response.body?.cancel();
        throw new UserError(
          `registry ${this.registry} refused the credentials for ${request.what} (HTTP 401${hadCredentials ? ' after a fresh token' : ''})`,
          {
            hint: 'check the credentials for this registry and that they may push to this repository',
          },
        );
      }
    }
    if (response.status === 403) {
      const detail = (await unexpectedStatus(this.registry, request.what, response)).message;
      throw new UserError(`access denied: ${detail}`, {
        hint: 'the identity may log in but lacks permission for this repository (pull/push)',
      });
    }
    if (!request.expect.includes(response.status)) {
      throw await unexpectedStatus(this.registry, request.what, response);
    }
    return response;
  }

  scope(repository: string, actions: readonly ScopeAction[]): string {
    return repositoryScope(repository, actions);
  }

  /** HEAD a manifest: its digest, media type and size, or undefined when absent. */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    const response = await this.send({
      method: 'HEAD',
      url: `/v2/${repository}/manifests/${reference}`,
      scopes: [this.scope(repository, ['pull'])],
      headers: { accept: MANIFEST_ACCEPT },
      expect: [200, 404],
      what: `checking manifest ${repository}:${reference}`,
    });
    if (response.status === 404) return undefined;
    const digest = response.headers.get('docker-content-digest') ?? undefined;
    return {
      digest: digest !== undefined && isDigest(digest) ? digest : undefined,
      mediaType: response.headers.get('content-type') ?? '',
      size: Number(response.headers.get('content-length') ?? '0'),
    };
  }

  /**
   * GET a manifest or index. When fetched by digest the bytes are re-hashed
   * and must match; by tag the registry's digest header is checked instead.
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest | undefined> {
    return this.retrying(`fetching manifest ${repository}:${reference}`, async () => {
      const response = await this.send({
        method: 'GET',
        url: `/v2/${repository}/manifests/${reference}`,
        scopes: [this.scope(repository, ['pull'])],
        headers: { accept: MANIFEST_ACCEPT },
        expect: [200, 404],
        retry: false,
        what: `fetching manifest ${repository}:${reference}`,
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      // OCI registries take manifests of up to 4 MiB; anything larger is not one.
      const bytes = await readBytes(response.body, 4 * MiB, `registry ${this.registry}`);
      const digest = sha256Digest(bytes);
      const claimed = response.headers.get('docker-content-digest');
      const expected = isDigest(reference) ? reference : (claimed ?? digest);
      if (digest !== expected) {
        throw new DigestMismatchError(
          `manifest ${repository}@${reference} from ${this.registry} hashes to ${digest}, not ${expected}`,
        );
      }
      let mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      try {
        const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: string };
        if (parsed.mediaType) mediaType = parsed.mediaType;
      } catch {
        throw new UserError(
          `manifest ${repository}@${reference} from ${this.registry} is not JSON`,
        );
      }
      return { bytes, mediaType, digest };
    });
  }

  /** The size of a blob when the repository has it, undefined when not. */
  async blobSize(repository: string, digest: Digest): Promise<number | undefined> {
    const response = await this.send({
      method: 'HEAD',
      url: `/v2/${repository}/blobs/${digest}`,
      scopes: [this.scope(repository, ['pull'])],
      expect: [200, 404],
      what: `checking blob ${digest.slice(0, 19)} in ${repository}`,
    });
    if (response.status === 404) return undefined;
    return Number(response.headers.get('content-length') ?? '0');
  }

  /**
   * A blob as a stream, from `offset` on. Registries often redirect blob reads
   * to storage (S3, GCS); the redirect is followed without our Authorization
   * header, which belongs to the registry only.
   */
  async getBlob(
    repository: string,
    digest: Digest,
    options: { offset?: number } = {},
  ): Promise<{ size: number; stream: Readable }> {
    return this.retrying(`downloading blob ${digest.slice(0, 19)}`, async () => {
      const offset = options.offset ?? 0;
      const headers: Record<string, string> = {};
      if (offset > 0) headers.range = `bytes=${offset}-`;
      let response = await this.send({
        method: 'GET',
        url: `/v2/${repository}/blobs/${digest}`,
        scopes: [this.scope(repository, ['pull'])],
        headers,
        expect: [200, 206, 307, 302, 303, 301, 308],
        retry: false,
        what: `downloading blob ${digest.slice(0, 19)} from ${repository}`,
        timeoutMs: 0,
        redirect: 'manual',
      });
      for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location || hops > 5) {
          throw new UserError(
            `blob ${digest} at ${this.registry}: redirect without a usable Location`,
          );
        }
        const target = assertSafeUrl(
          new URL(location, response.url).toString(),
          this.insecureHosts,
        );
        // A blob store the registry redirects to (S3, GCS…) is another server.
        response = await httpFetch(target.toString(), {
          headers,
          timeoutMs: 0,
          redirect: 'manual',
          server: `blob storage of registry ${this.registry}`,
        });
        if (!(response.status < 400)) {
          throw await unexpectedStatus(
            this.registry,
            `downloading blob ${digest.slice(0, 19)}`,
            response,
          );
        }
      }
      if (offset > 0 && response.status !== 206) {
        await response.body?.cancel();
        throw new UserError(`registry ${this.registry} ignored a range request for blob ${digest}`);
      }
      if (response.body === null)
        throw new UserError(`blob ${digest} at ${this.registry} has no body`);
      const length = Number(response.headers.get('content-length') ?? '-1');
      return {
        size: length >= 0 ? offset + length : -1,
        stream: Readable.fromWeb(response.body as never, { highWaterMark: 1 << 20 }),
      };
    });
  }

  /**
   * PUT a manifest or index under a digest or tag. The registry's
   * Docker-Content-Digest must equal the hash of the bytes we sent.
   */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<Digest> {
    const digest = sha256Digest(bytes);
    const response = await this.send({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      scopes: [this.scope(repository, ['pull', 'push'])],
      headers: { 'content-type': mediaType },
      body: () => bytes,
      expect: [201, 200],
      what: `writing manifest ${repository}:${reference}`,
    });
    await response.body?.cancel();
    const claimed = response.headers.get('docker-content-digest');
    if (claimed !== null && claimed !== digest) {
      throw new DigestMismatchError(
        `registry ${this.registry} stored manifest ${repository}:${reference} as ${claimed}, but its bytes hash to ${digest}`,
      );
    }
    return digest;
  }
}
