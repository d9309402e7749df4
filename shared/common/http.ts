import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { addCloser } from './closers.ts';
import { UserError } from './errors.ts';
import { hostOf, isLoopbackHost, networkCause, networkError, TLS_HINT } from './network.ts';

/**
 * The one HTTP entry point for talking to registries and cloud endpoints:
 * a timeout on every request, HTTPS_PROXY / NO_PROXY honoured, TLS verified,
 * and plain http refused except for loopback or hosts the user listed.
 */

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** A Buffer, a string, or a stream of bytes (sent without buffering). */
  body?: Buffer | Uint8Array | string | AsyncIterable<Uint8Array> | null;
  /**
   * The whole request, headers and body, must finish within this time. Uploads
   * of large blobs pass `idleTimeoutMs` instead, so a slow link is not cut off
   * while it keeps moving.
   */
  timeoutMs?: number;
  /** Fails when no byte moves for this long (default 60 s). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  redirect?: 'follow' | 'manual';
  /**
   * What the server is (`MLflow tracking server`, `registry`…) and the input
   * that names it: a failure to reach it says so, with what to check.
   */
  server?: string;
  input?: string;
}

export type HttpResponse = Awaited<ReturnType<typeof undiciFetch>>;

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_MS = 60_000;

const dispatchers = new Map<number, Dispatcher>();

function dispatcherFor(idleMs: number): Dispatcher {
  let dispatcher = dispatchers.get(idleMs);
  if (dispatcher === undefined) {
    const options = {
      headersTimeout: idleMs,
      bodyTimeout: idleMs,
      connect: { timeout: Math.min(idleMs, 30_000) },
      keepAliveTimeout: 10_000,
    };
    const hasProxy =
      process.env.HTTPS_PROXY ||
      process.env.https_proxy ||
      process.env.HTTP_PROXY ||
      process.env.http_proxy;
    // EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY itself; plain Agent
    // avoids its per-request NO_PROXY matching when no proxy is configured.
    dispatcher = hasProxy ? new EnvHttpProxyAgent(options) : new Agent(options);
    if (dispatchers.size === 0) addCloser(closeHttpConnections);
    dispatchers.set(idleMs, dispatcher);
  }
  return dispatcher;
}

/**
 * Ends the kept-alive connections once an action's work is done, so the
 * process exits at once instead of waiting for idle sockets to time out.
 */
export async function closeHttpConnections(): Promise<void> {
  const open = [...dispatchers.values()];
  dispatchers.clear();
  // close() lets requests still in flight (another run in the same process) finish;
  // a body nobody reads must not hold the exit, hence the bound.
  const closed = Promise.all(open.map((d) => d.close().catch(() => undefined)));
  await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
}

/** Test hook: the proxy environment is read when a dispatcher is first made. */
export function resetHttpDispatchers(): void {
  for (const d of dispatchers.values()) void d.close();
  dispatchers.clear();
}

export async function httpFetch(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
  const signals: AbortSignal[] = [];
  if (init.signal) signals.push(init.signal);
  if (init.timeoutMs !== 0) signals.push(AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const body = init.body ?? undefined;
  const streaming =
    body !== undefined &&
    typeof body !== 'string' &&
    !(body instanceof Uint8Array) &&
    Symbol.asyncIterator in Object(body);
  return undiciFetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: body as never,
    ...(streaming ? { duplex: 'half' as const } : {}),
    redirect: init.redirect ?? 'follow',
    signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
    dispatcher: dispatcherFor(init.idleTimeoutMs ?? DEFAULT_IDLE_MS),
  }).catch((err: unknown) => {
    // The caller's own cancellation is not a network failure.
    if (init.signal?.aborted) throw err;
    // A NetworkError says which server, why and what to check; the retry helper
    // retries it only when another attempt may get through (not DNS "no such
    // host", not a refused certificate).
    throw (
      networkError(err, {
        host: hostOf(url),
        ...(init.server === undefined ? {} : { server: init.server }),
        ...(init.input === undefined ? {} : { input: init.input }),
        ...(init.timeoutMs !== 0 ? { timeoutMs: init.timeoutMs ?? DEFAULT_TIMEOUT_MS } : {}),
        idleTimeoutMs: init.idleTimeoutMs ?? DEFAULT_IDLE_MS,
      }) ?? err
    );
  });
}

/** `host` or `host:port`, lowercased, for comparing against the insecure list. */
function normaliseHost(host: string): string {
  return host.trim().toLowerCase();
}

/**
 * Plain http is allowed only for loopback or a host the user listed; a listed
 * entry without a port matches every port of that host.
 */
export function allowsPlainHttp(host: string, insecureHosts: readonly string[] = []): boolean {
  if (isLoopbackHost(host)) return true;
  const wanted = normaliseHost(host);
  const bare = wanted.replace(/:\d+$/, '');
  return insecureHosts.some((entry) => {
    const listed = normaliseHost(entry);
    return listed === wanted || listed === bare;
  });
}

/** The base URL of a host: https unless plain http is allowed for it. */
export function baseUrlFor(host: string, insecureHosts: readonly string[] = []): string {
  return `${allowsPlainHttp(host, insecureHosts) ? 'http' : 'https'}://${host}`;
}

/**
 * Refuses plain-http URLs a server points us to (a token realm, a redirect, an
 * upload Location) unless that host is allowed: credentials must not leak over
 * an unencrypted hop.
 */
export function assertSafeUrl(url: string, insecureHosts: readonly string[] = []): URL {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && allowsPlainHttp(parsed.host, insecureHosts)) return parsed;
  throw new UserError(`refusing to send a request to ${parsed.origin}: it is not https`, {
    hint: `if this registry really has no TLS, list '${parsed.host}' in the insecure-registries input`,
  });
}

export { TLS_HINT };

/**
 * When an error (or the cause undici wraps it in) is a refused server
 * certificate or a failed TLS handshake, says so in words with Node's code;
 * otherwise undefined.
 */
export function tlsProblem(err: unknown): string | undefined {
  const cause = networkCause(err);
  return cause?.kind === 'tls' || cause?.kind === 'not-tls' ? cause.words : undefined;
}
