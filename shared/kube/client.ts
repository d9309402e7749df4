import { kubeApis, ResourceCache, type KubeApis } from './apis.ts';
import { KubeApiError, kubeTransport, type KubeTransport, type WatchEvent } from './http.ts';
import type { ClusterConnection } from '../clouds/types.ts';
import { isUserError, UserError } from '../common/errors.ts';
import {
  describeDenied,
  grantHint,
  parseDenied,
  PERMISSIONS_DOC,
} from '../common/kube-forbidden.ts';
import {
  hostOf,
  NetworkError,
  networkError,
  TLS_HINT,
  type NetworkPeer,
} from '../common/network.ts';
import { defaultClassify, parseRetryAfter, withRetry, type RetryVerdict } from '../common/retry.ts';

export type { KubeApis } from './apis.ts';

/**
 * The API clients for one cluster connection. Every Kubernetes call goes
 * through these; the token is refreshed (and the clients rebuilt) before it
 * expires, so a long rollout keeps its access.
 */
export class KubeClient {
  readonly connection: ClusterConnection;
  private token: string | undefined;
  private cached: KubeApis | undefined;
  private transport: KubeTransport | undefined;
  /** Discovery answers outlive a token refresh. */
  private readonly resources = new ResourceCache();

  constructor(connection: ClusterConnection) {
    this.connection = connection;
    this.token = connection.token;
  }

  /**
   * One Kubernetes call, retried on what passes (429, 5xx, resets, a body cut
   * short). Every call deploy makes is safe to repeat: reads, server-side
   * apply, deletes, and creates whose 409 the caller reads as "already there".
   * The raw error comes back so callers can act on 404 and 409.
   */
  async call<T>(body: (apis: KubeApis) => Promise<T>): Promise<T> {
    try {
      return await withRetry(async () => body(await this.apis()), {
        attempts: this.attempts,
        baseDelayMs: 250,
        maxDelayMs: 5000,
        classify: classifyKubeError,
      });
    } catch (err) {
      // An API server that cannot be reached is named, with the cause in words.
      throw networkError(err, clusterPeer(this.connection)) ?? err;
    }
  }

  /**
   * Watches a collection (`path` with selectors in `query`) until the server
   * ends the watch or `signal` aborts; not retried: a caller uses it only to
   * learn of a change sooner than its next read.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    await this.apis();
    await this.transport?.watch?.(path, query, onEvent, signal);
  }

  /** Attempts per call (tests lower it). */
  attempts = 5;

  async apis(): Promise<KubeApis> {
    if (this.connection.refresh) {
      const fresh = await this.connection.refresh();
      if (fresh !== this.token) {
        this.token = fresh;
        this.cached = undefined;
      }
    }
    if (this.cached === undefined) {
      this.transport = kubeTransport({ ...this.connection, token: this.token });
      this.cached = kubeApis(this.transport, this.resources);
    }
    return this.cached;
  }
}

const CLUSTER_TLS_HINT = `check the cluster's certificate-authority-data in the kubeconfig; ${TLS_HINT}`;

/** The cluster's API server, as a failure to reach it names it. */
export function clusterPeer(
  connection: Pick<ClusterConnection, 'server' | 'displayName'>,
): NetworkPeer {
  return {
    host: hostOf(connection.server),
    server: `API server of ${connection.displayName}`,
    input: 'cluster',
    hints: { tls: CLUSTER_TLS_HINT },
  };
}

export function classifyKubeError(err: unknown): RetryVerdict {
  if (err instanceof KubeApiError) {
    const status = err.code;
    if (status === 429 || status === 408 || status >= 500) {
      const afterMs = parseRetryAfter(err.headers['retry-after'] ?? null);
      return afterMs === undefined ? { retry: true } : { retry: true, afterMs };
    }
    return { retry: false };
  }
  // A response body cut short parses as broken JSON.
  if (err instanceof SyntaxError) return { retry: true };
  return defaultClassify(err);
}

/** The HTTP status of a failed Kubernetes call, or undefined for non-HTTP failures. */
export function statusOf(err: unknown): number | undefined {
  if (err instanceof KubeApiError) return err.code;
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The API server's own message (from its Status object) rather than the client's wrapper text. */
export function apiMessage(err: unknown): string {
  if (err instanceof KubeApiError) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(err.body);
    } catch {
      return err.body || err.message;
    }
    const message = (parsed as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string') return message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Wraps a denied or rejected call in an error the user can act on. */
export function kubeFailure(what: string, err: unknown, cluster: string): Error {
  const status = statusOf(err);
  if (status === 401) {
    return new UserError(`${what}: the cluster ${cluster} rejected the credentials (401)`, {
      hint: 'check that the identity this job runs as may sign in to the cluster',
      cause: err,
    });
  }
  if (status === 403) {
    const message = apiMessage(err);
    const denied = parseDenied(message);
    if (denied) {
      return new UserError(`${what}: forbidden by the cluster: ${describeDenied(denied)}`, {
        hint: grantHint(denied),
        cause: err,
      });
    }
    // Not an authorizer's denial in its usual words: most often an admission plugin's.
    return new UserError(`${what}: the cluster ${cluster} refused it (403): ${message}`, {
      hint: `the message says who refused: an admission policy of the cluster (a ResourceQuota, Pod Security, a validating webhook), or an authorizer that did not name the permission (${PERMISSIONS_DOC})`,
      cause: err,
    });
  }
  if (status === 422 || status === 400) {
    return new UserError(`${what}: the cluster refused it: ${apiMessage(err)}`, { cause: err });
  }
  if (status !== undefined) {
    return new UserError(`${what}: HTTP ${status} from ${cluster}: ${apiMessage(err)}`, {
      cause: err,
    });
  }
  const network =
    err instanceof NetworkError
      ? err
      : networkError(err, {
          host: cluster,
          server: 'cluster API server',
          input: 'cluster',
          hints: { tls: CLUSTER_TLS_HINT },
        });
  if (network !== undefined) {
    return new UserError(`${what}: ${network.message}`, { hint: network.hint, cause: err });
  }
  if (isUserError(err)) {
    return new UserError(`${what}: ${err.message}`, {
      ...(err.hint === undefined ? {} : { hint: err.hint }),
      cause: err,
    });
  }
  return new UserError(
    `${what}: could not reach ${cluster}: ${err instanceof Error ? err.message : String(err)}`,
    { hint: 'check the cluster endpoint and that this runner can reach it', cause: err },
  );
}
