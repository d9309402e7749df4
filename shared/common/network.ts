import { oneLine, UserError } from './errors.ts';

/**
 * Network failures in words. undici and Node report a failed connection as
 * `TypeError: fetch failed` and hide the reason (ECONNREFUSED, ENOTFOUND, a
 * refused certificate…) in `cause`; this finds it and says, for the server
 * the caller names, what went wrong and what to check. Every HTTP helper
 * (httpFetch, the smoke-test client, the Kubernetes client) goes through it,
 * so an unreachable server reads the same wherever it is met.
 */

export type NetworkFailureKind =
  'dns' | 'refused' | 'reset' | 'unreachable' | 'tls' | 'not-tls' | 'timeout' | 'bad-port';

export interface NetworkCause {
  kind: NetworkFailureKind;
  /** Node's or undici's code (ECONNREFUSED…); undefined for a deadline of our own. */
  code: string | undefined;
  /** The cause in plain words, code in brackets. */
  words: string;
  /** Whether another attempt may get through (a refused certificate will not). */
  transient: boolean;
}

/** Node's codes for a certificate that was presented and not accepted. */
const TLS_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isCertificateCode(code: string): boolean {
  return TLS_CERTIFICATE_CODES.has(code) || /^(CERT_|UNABLE_TO_)/.test(code);
}

const FIXED: Record<string, Omit<NetworkCause, 'code'>> = {
  ENOTFOUND: {
    kind: 'dns',
    words: 'the host name does not resolve (no such host in DNS,',
    transient: false,
  },
  EAI_AGAIN: {
    kind: 'dns',
    words: 'the host name could not be resolved just now (DNS failed for now,',
    transient: true,
  },
  EAI_FAIL: {
    kind: 'dns',
    words: 'the host name could not be resolved (DNS failure,',
    transient: true,
  },
  ECONNREFUSED: {
    kind: 'refused',
    words: 'the connection was refused: nothing listens on that port',
    transient: true,
  },
  ECONNRESET: {
    kind: 'reset',
    words: 'the connection was reset by the server or something in between',
    transient: true,
  },
  EPIPE: {
    kind: 'reset',
    words: 'the connection was closed while the request was being sent',
    transient: true,
  },
  UND_ERR_SOCKET: {
    kind: 'reset',
    words: 'the connection was closed by the server or something in between',
    transient: true,
  },
  UND_ERR_CLOSED: { kind: 'reset', words: 'the connection was closed', transient: true },
  EHOSTUNREACH: {
    kind: 'unreachable',
    words: 'there is no network route to the host from this runner',
    transient: true,
  },
  ENETUNREACH: {
    kind: 'unreachable',
    words: 'the network of the host is unreachable from this runner',
    transient: true,
  },
  ETIMEDOUT: { kind: 'timeout', words: 'connecting timed out', transient: true },
  UND_ERR_CONNECT_TIMEOUT: { kind: 'timeout', words: 'connecting timed out', transient: true },
  ERR_TLS_HANDSHAKE_TIMEOUT: {
    kind: 'timeout',
    words: 'the TLS handshake timed out',
    transient: true,
  },
  UND_ERR_HEADERS_TIMEOUT: {
    kind: 'timeout',
    words: 'it accepted the connection, then sent nothing',
    transient: true,
  },
  UND_ERR_BODY_TIMEOUT: {
    kind: 'timeout',
    words: 'the answer stopped part way',
    transient: true,
  },
};

/** undici's waits for an answer that keeps silent: how long is worth saying. */
const IDLE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

interface Deadlines {
  /** The whole request's deadline (an AbortSignal.timeout of ours). */
  timeoutMs?: number;
  /** How long undici waits for the answer's headers, or for the next bytes of its body. */
  idleTimeoutMs?: number;
}

function causeFor(e: unknown, deadlines: Deadlines): NetworkCause | undefined {
  const { timeoutMs, idleTimeoutMs } = deadlines;
  const code = codeOf(e);
  if (code !== undefined) {
    const fixed = FIXED[code];
    if (fixed !== undefined) {
      // An entry that opens a bracket of its own ends it with the code.
      const waited =
        idleTimeoutMs !== undefined && IDLE_CODES.has(code)
          ? ` after ${formatSeconds(idleTimeoutMs)}`
          : '';
      const words = fixed.words.endsWith(',')
        ? `${fixed.words} ${code}${waited})`
        : `${fixed.words} (${code}${waited})`;
      return { ...fixed, words, code };
    }
    if (isCertificateCode(code)) {
      return {
        kind: 'tls',
        code,
        words: `the server's TLS certificate was not accepted: ${nodeTlsMessage(e)} (${code})`,
        transient: false,
      };
    }
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
      const plain = /WRONG_VERSION_NUMBER|wrong version number|packet length too long/i.test(
        `${code} ${messageOf(e)}`,
      );
      return plain
        ? {
            kind: 'not-tls',
            code,
            words: `the TLS handshake failed: the server does not speak TLS on that port, perhaps plain http (${code})`,
            transient: false,
          }
        : {
            kind: 'tls',
            code,
            words: `the TLS handshake failed: ${nodeTlsMessage(e)} (${code})`,
            transient: false,
          };
    }
  }
  // fetch never connects to ports that other protocols own (9, 25, 6000…): the
  // WHATWG "bad port" list. undici says so in a bare Error with no code.
  if (code === undefined && messageOf(e) === 'bad port') {
    return {
      kind: 'bad-port',
      code: undefined,
      words:
        'the port is on the list that HTTP clients never connect to (the fetch standard\'s "bad ports", such as 1, 9, 25 or 6000)',
      transient: false,
    };
  }
  const name = (e as { name?: unknown } | null | undefined)?.name;
  if (name === 'TimeoutError' || name === 'ConnectTimeoutError') {
    return {
      kind: 'timeout',
      code: undefined,
      words:
        timeoutMs === undefined
          ? 'the request took too long'
          : `the request took longer than ${formatSeconds(timeoutMs)}`,
      transient: true,
    };
  }
  return undefined;
}

/**
 * Node's words for a TLS failure, on one line and without its advice to start
 * Node with --use-system-ca, which an action's user cannot do.
 */
function nodeTlsMessage(e: unknown): string {
  return oneLine(messageOf(e)).replace(/;\s*if the root CA is installed locally.*$/i, '');
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The network reason for a failure, looked for along `cause` (and the
 * `errors` of an AggregateError, which is what a host with several addresses
 * gives); undefined when the failure is not a network one.
 */
export function networkCause(err: unknown, options: Deadlines = {}): NetworkCause | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 12) {
    const e = queue.shift();
    if (e === undefined || e === null || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof NetworkError) return e.networkCause;
    const found = causeFor(e, options);
    if (found !== undefined) return found;
    queue.push((e as { cause?: unknown }).cause);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}

export const TLS_HINT =
  'certificate checks are never turned off; if the server uses a private CA, give it to the job with NODE_EXTRA_CA_CERTS=/path/to/ca.pem';

/** Who the caller was talking to: it knows what the server is and which input named it. */
export interface NetworkPeer {
  /** `host[:port]`. */
  host: string;
  /** What the server is, for the user: `MLflow tracking server`, `registry`, `model server`… */
  server?: string;
  /** The input that names this server, so the hint says where to look. */
  input?: string;
  /** The request's deadline, to say how long was waited. */
  timeoutMs?: number;
  /** How long an answer may keep silent, to say how long was waited. */
  idleTimeoutMs?: number;
  /** Hints that know more than the general ones (where a cluster's CA is set…). */
  hints?: Partial<Record<NetworkFailureKind, string>>;
}

function hintFor(cause: NetworkCause, peer: NetworkPeer): string {
  const special = peer.hints?.[cause.kind];
  if (special !== undefined) return special;
  const server = peer.server ?? 'server';
  const where = peer.input === undefined ? '' : ` in '${peer.input}'`;
  switch (cause.kind) {
    case 'dns':
      return cause.transient
        ? `the runner's DNS failed for now; if it keeps failing, check the host name${where} and the runner's DNS settings`
        : `check the host name${where} for a typo; a name in a private DNS zone resolves only on a runner inside that network (a self-hosted runner, or a VPN step before this one)`;
    case 'refused':
      return `check the port${where}, and that the ${server} is running and listening on ${peer.host}`;
    case 'reset':
      return `something closed the connection: check HTTPS_PROXY/NO_PROXY and any proxy or firewall between the runner and ${peer.host}; if the ${server} restarted, run the job again`;
    case 'unreachable':
      return `a private address is reachable only from a runner inside that network; check the address${where}`;
    case 'bad-port':
      return `serve the ${server} on another port, and give that port${where}`;
    case 'timeout':
      return `check that this runner may reach ${peer.host} (firewall, security group, private endpoint, HTTPS_PROXY/NO_PROXY); a ${server} that is up but slow needs a longer timeout`;
    case 'tls':
      return TLS_HINT;
    case 'not-tls':
      return `if the ${server} has no TLS, use an http:// address${where}`;
  }
}

/** What happened to the exchange, in front of the server's name. */
function leadFor(cause: NetworkCause): string {
  switch (cause.kind) {
    case 'tls':
    case 'not-tls':
      return 'cannot trust';
    case 'reset':
      return 'lost the connection to';
    case 'timeout':
      if (cause.code === 'UND_ERR_BODY_TIMEOUT') return 'no complete answer from';
      return cause.code === undefined || IDLE_CODES.has(cause.code)
        ? 'no answer from'
        : 'cannot reach';
    default:
      return 'cannot reach';
  }
}

/**
 * A network failure the user can act on: names the host, the server, the
 * cause in plain words and what to check. Retried when `transient`.
 */
export class NetworkError extends UserError {
  readonly host: string;
  readonly kind: NetworkFailureKind;
  /** The underlying code, so code-based retry decisions still see it. */
  readonly code: string | undefined;
  readonly transient: boolean;
  readonly networkCause: NetworkCause;

  constructor(cause: NetworkCause, peer: NetworkPeer, options: { cause?: unknown } = {}) {
    const who = `${peer.server === undefined ? '' : `the ${peer.server} at `}${peer.host}`;
    super(`${leadFor(cause)} ${who}: ${cause.words}`, {
      hint: hintFor(cause, peer),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'NetworkError';
    this.host = peer.host;
    this.kind = cause.kind;
    this.code = cause.code;
    this.transient = cause.transient;
    this.networkCause = cause;
  }
}

/** A NetworkError for `err` when it is a network failure, else undefined. */
export function networkError(err: unknown, peer: NetworkPeer): NetworkError | undefined {
  if (err instanceof NetworkError) return err;
  const cause = networkCause(err, peer);
  return cause === undefined ? undefined : new NetworkError(cause, peer, { cause: err });
}

/**
 * The host a failed connection was for, as Node records it on the error
 * (`hostname` for a DNS failure, `address` and `port` for a refused or reset
 * connection), for callers such as an SDK that do not say which URL they used.
 */
export function hostInError(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== null && typeof e === 'object' && !seen.has(e);) {
    seen.add(e);
    const { hostname, address, port } = e as {
      hostname?: unknown;
      address?: unknown;
      port?: unknown;
    };
    if (typeof hostname === 'string' && hostname !== '') return hostname;
    if (typeof address === 'string' && address !== '') {
      return typeof port === 'number' ? `${address}:${port}` : address;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `host[:port]` of a URL, or the text itself when it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** localhost, 127.x.x.x or ::1, with or without a port. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(:\d+)?$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
