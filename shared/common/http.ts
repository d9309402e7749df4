import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { UserError } from './errors.ts';

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
    const problem = tlsProblem(err);
    // A refused certificate does not get better on retry: a UserError is not retried.
    if (problem !== undefined) {
      throw new UserError(`${new URL(url).host}: ${problem}`, { hint: TLS_HINT, cause: err });
    }
    throw err;
  });
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(:\d+)?$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
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

/** Node's codes for a certificate that was presented and not accepted. */
const TLS_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export const TLS_HINT =
  'certificate checks are never turned off; if the server uses a private CA, give it to the job with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (insecure-registries allows plain http, not unverified https)';

/**
 * When an error (or the cause undici wraps it in) is a refused server
 * certificate, says so in words with Node's code; otherwise undefined.
 */
export function tlsProblem(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_CERTIFICATE_CODES.has(code)) {
      return `the server's TLS certificate was not accepted: ${(e as Error).message} (${code})`;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
