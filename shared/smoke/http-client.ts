import { EnvHttpProxyAgent, Pool, type Dispatcher } from 'undici';
import { apiServerDenial, ProxyAccessDenied } from '../common/kube-forbidden.ts';
import { networkError, type NetworkPeer } from '../common/network.ts';
import type { Endpoint } from './endpoint.ts';
import { MiB, readText } from '../common/bounded-body.ts';
import { HTTP_STATUS, type SmokeTransport } from './transport.ts';
import { LoadConnections, serializeRequest, type SerializedRequest } from './load-connections.ts';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  /** Relative to the endpoint's base URL, starting with `/`. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** The largest answer a check reads into memory (a model's outputs, as JSON). */
const MAX_ANSWER_BYTES = 64 * MiB;

/** A request built once for the load phase (opaque to callers). */
export type PreparedRequest = { readonly prepared: unique symbol };

export interface HttpResult {
  method: string;
  path: string;
  status: number;
  contentType: string;
  text: string;
  durationMs: number;
}

/**
 * One keep-alive connection pool to the model server, shared by the checks
 * and the load phase. undici's dispatcher API is used directly rather than
 * fetch: it skips the WHATWG stream and Headers machinery, which is most of a
 * request's cost when the server answers in microseconds.
 */
export class SmokeClient implements SmokeTransport {
  readonly kind = 'http';
  readonly isSuccess = HTTP_STATUS.isSuccess;
  readonly describeStatus = HTTP_STATUS.describeStatus;
  readonly describeCall = HTTP_STATUS.describeCall;
  readonly isTransient = HTTP_STATUS.isTransient;
  readonly isServerFault = HTTP_STATUS.isServerFault;
  private readonly dispatcher: Dispatcher;
  /** The load phase's own connections, straight to the origin; undefined behind a proxy or the API server's. */
  private readonly load: LoadConnections | undefined;
  /** scheme://host:port, to name the server in messages. */
  readonly origin: string;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  /** Who answers at the origin, for a message when it cannot be reached. */
  readonly peer: NetworkPeer;
  private readonly viaApiServer: boolean;

  constructor(endpoint: Endpoint, options: { timeoutMs: number; connections: number }) {
    const url = new URL(endpoint.baseUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.headers = { ...endpoint.headers };
    this.timeoutMs = options.timeoutMs;
    this.viaApiServer = endpoint.viaApiServer === true;
    this.peer = {
      host: url.host,
      server: endpoint.server ?? 'model server',
      ...(endpoint.input === undefined ? {} : { input: endpoint.input }),
      idleTimeoutMs: options.timeoutMs,
    };
    const tls = endpoint.tls ?? {};
    const common = {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { ...tls, timeout: options.timeoutMs },
    };
    // With a proxy configured, EnvHttpProxyAgent honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
    // Without one, a Pool straight to the origin: the agent would parse the origin URL on
    // every request, a measurable share of the load generator's ceiling.
    const proxied = proxyConfigured();
    this.dispatcher = proxied
      ? new EnvHttpProxyAgent({ ...common, requestTls: { ...tls } })
      : new Pool(this.origin, common);
    // Through the API server's service proxy (kube-apiserver v1.35.4) the
    // load connections saw 1 to 3 answers in 1,000 cut off after their
    // headers: the API server's proxy dropped its connection to the pod
    // part way ("ReverseProxy read error during body copy: use of closed
    // network connection" in its log). undici's connections saw none in
    // 11,000 of the same requests, nor did the load connections straight to
    // the pod or behind a plain Go reverse proxy. Until the cause is known,
    // the load phase through the API server goes over undici.
    this.load =
      proxied || this.viaApiServer
        ? undefined
        : new LoadConnections({
            origin: this.origin,
            server: this.peer.server ?? 'model server',
            connections: options.connections,
            timeoutMs: options.timeoutMs,
            tls,
          });
  }

  url(path: string): string {
    return this.origin + this.prefix + path;
  }

  private options(request: HttpRequest): Dispatcher.RequestOptions {
    const headers: Record<string, string> = { ...this.headers, ...request.headers };
    if (request.body !== undefined && !hasHeader(headers, 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    return {
      origin: this.origin,
      path: this.prefix + request.path,
      method: request.method,
      headers,
      body: request.body,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    };
  }

  /**
   * Sends one request and reads the whole answer. Network failures throw a
   * NetworkError naming the server and the cause.
   */
  async send(request: HttpRequest): Promise<HttpResult> {
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await this.dispatcher.request(this.options(request));
      text = await readText(response.body, MAX_ANSWER_BYTES, `the model server at ${this.origin}`);
    } catch (err) {
      throw networkError(err, this.peer) ?? err;
    }
    if (this.viaApiServer && response.statusCode === 403) {
      // The API server's own refusal, before anything reached the model server.
      const denied = apiServerDenial(text);
      if (denied) {
        throw new ProxyAccessDenied(
          `${request.method} ${request.path} through the API server's service proxy`,
          denied,
        );
      }
    }
    const contentType = response.headers['content-type'];
    return {
      method: request.method,
      path: request.path,
      status: response.statusCode,
      contentType: Array.isArray(contentType) ? (contentType[0] ?? '') : (contentType ?? ''),
      text,
      durationMs: performance.now() - started,
    };
  }

  /**
   * Builds the load phase's request once; every request of the phase reuses
   * it. Without a proxy it is serialized to bytes for the load connections.
   */
  prepare(request: HttpRequest): PreparedRequest {
    const options = this.options(request);
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : undefined;
    if (this.load !== undefined) {
      return serializeRequest(this.origin, {
        method: options.method,
        path: options.path,
        headers: options.headers as Record<string, string>,
        body,
      }) as unknown as PreparedRequest;
    }
    return { ...options, body } as unknown as PreparedRequest;
  }

  /**
   * The load phase's request: the status only, the body discarded as it
   * arrives. Without a proxy it goes over the load connections (see
   * load-connections.ts), which parse only the answer's framing: the
   * generator measures the server, not itself. Behind a proxy it goes through
   * undici's dispatch handler interface, with no body stream or promise
   * chain per response.
   */
  status(prepared: PreparedRequest): Promise<number> {
    if (this.load !== undefined) {
      return this.load.status(prepared as unknown as SerializedRequest);
    }
    return new Promise((resolve, reject) => {
      let status = 0;
      this.dispatcher.dispatch(prepared as unknown as Dispatcher.DispatchOptions, {
        onRequestStart: () => {},
        onResponseStart: (_controller, statusCode) => {
          status = statusCode;
        },
        onResponseData: () => {},
        onResponseEnd: () => resolve(status),
        onResponseError: (_controller, error) => reject(error),
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.dispatcher.close(), this.load?.close()]);
  }
}

function proxyConfigured(): boolean {
  const env = process.env;
  return Boolean(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Parses a JSON body, or says what the server answered instead. */
export function parseJsonBody(result: HttpResult): unknown {
  try {
    return JSON.parse(result.text);
  } catch {
    throw new Error(
      `${result.method} ${result.path} answered ${result.status} with a body that is not JSON: ${excerpt(result.text)}`,
    );
  }
}

export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty)';
}
