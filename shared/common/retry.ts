import { errorMessage } from './errors.ts';
import { NetworkError } from './network.ts';

/** Why a failed attempt may be retried; `undefined` means it may not. */
export type RetryVerdict = { retry: true; afterMs?: number } | { retry: false };

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The first backoff; it doubles each time, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Decide per error; the default retries transient network failures only. */
  classify?: (err: unknown) => RetryVerdict;
  /** Told before each wait, e.g. to print "retrying in 2s (HTTP 503)". */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  signal?: AbortSignal;
  /** Replaceable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** An HTTP failure that carries what retry decisions need. */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly url: string;

  constructor(status: number, url: string, message: string, retryAfter?: string | null) {
    super(message);
    this.name = 'HttpStatusError';
    this.status = status;
    this.url = url;
    this.retryAfterMs = parseRetryAfter(retryAfter ?? null);
  }
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Retries 429, 5xx, resets and timeouts; never 4xx such as 401/403/404, a
 * host name that does not resolve, or a refused certificate.
 */
export function defaultClassify(err: unknown): RetryVerdict {
  if (err instanceof HttpStatusError) {
    if (err.status === 429 || err.status === 408 || err.status >= 500) {
      return err.retryAfterMs === undefined
        ? { retry: true }
        : { retry: true, afterMs: err.retryAfterMs };
    }
    return { retry: false };
  }
  if (err instanceof NetworkError) return err.transient ? { retry: true } : { retry: false };
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return { retry: true };
  }
  const code = errorCode(err);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return { retry: true };
  if (
    err instanceof TypeError &&
    /fetch failed|terminated|other side closed/i.test(errorMessage(err))
  ) {
    return { retry: true };
  }
  return { retry: false };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `task` until it succeeds, a failure is not retryable, or attempts run out.
 * Backoff is exponential with full jitter; a server's Retry-After wins when it is
 * longer (capped at maxDelayMs so a hostile header cannot stall a job for hours).
 */
export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const classify = options.classify ?? defaultClassify;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry || attempt >= attempts || options.signal?.aborted) throw error;
      const backoff = Math.min(max, base * 2 ** (attempt - 1)) * random();
      const delayMs = Math.min(max, Math.max(backoff, verdict.afterMs ?? 0));
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}
