import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { Transform, type TransformCallback, pipeline } from 'node:stream';

/**
 * A fault-injecting reverse proxy for tests: it sits between model-deploy and
 * a registry, a cluster API or a model server on 127.0.0.1 and, when a rule
 * matches a request, answers with the fault instead of (or in the middle of)
 * the upstream's answer. Bodies are streamed both ways with backpressure, so
 * multi-hundred-MB blobs pass through without being held in memory.
 */

export type Fault =
  /** Answer with this status instead of asking upstream (a burst is `times: N`). */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** 429 (or `status`) with a Retry-After header. */
  | { kind: 'rate-limit'; retryAfter: string; status?: number }
  /** Forward K bytes of the upstream response body, then reset the client connection (RST). */
  | { kind: 'reset-response'; afterBytes: number }
  /** Forward K bytes of the request body upstream, then reset both connections. */
  | { kind: 'reset-request'; afterBytes: number }
  /** A slow answer: wait before the headers and/or before the body. */
  | { kind: 'delay'; headersMs?: number; bodyMs?: number }
  /** Send the upstream headers (and `afterBytes` of body), then nothing until the client gives up. */
  | { kind: 'stall'; afterBytes?: number }
  /** Keep the upstream Content-Length but send only `bytes` of the body, then close cleanly (FIN). */
  | { kind: 'truncate'; bytes: number }
  /**
   * 401 as if the token expired: the challenge is the one upstream gives an
   * unauthenticated request to the same path, or `challenge` when upstream has none.
   */
  | { kind: 'expire-token'; challenge?: string }
  /** Close the connection without any answer. */
  | { kind: 'close' }
  /** Stop listening for `forMs`: new connections are refused, open ones are dropped. */
  | { kind: 'refuse'; forMs: number };

export interface FaultRule {
  /** Shown in stats; defaults to `rule-<n>`. */
  name?: string;
  /** HTTP method, case-insensitive; any when absent. */
  method?: string;
  /** Tested against the path and query; any when absent. */
  path?: RegExp | string;
  /** 1-based occurrences among the matching requests that get the fault, e.g. `[2, 3]`. */
  nth?: number | number[];
  /** Let this many matching requests through before the fault starts. */
  skip?: number;
  /** Fire at most this many times (a burst of N is `times: N`). */
  times?: number;
  /** Fire with this probability (0..1), drawn from the proxy's seeded generator. */
  probability?: number;
  fault: Fault;
}

export interface RuleStats {
  name: string;
  /** Requests that matched method and path. */
  matched: number;
  /** Of those, how many got the fault. */
  fired: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** The rule whose fault this request got, if any. */
  fault?: string;
  /** The status the client was sent, when a response started. */
  status?: number;
  /** The request's Authorization header, when `recordAuthorization` is on (to scan logs for tokens). */
  authorization?: string;
}

export interface ProxyStats {
  requests: number;
  rules: RuleStats[];
  log: RequestRecord[];
  /** Requests whose method and path match, e.g. to assert that there was no retry storm. */
  count(method: string | undefined, path: RegExp | string): number;
}

export interface FaultProxyOptions {
  /** http(s)://host:port of the real component. */
  upstream: string;
  /** PEM CA that signs an HTTPS upstream's certificate. */
  upstreamCa?: string | Buffer;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Seed for probability rules, so a run can be repeated exactly. */
  seed?: number;
  /** Forward the client's Host header (default) so upstream-built URLs point back at the proxy. */
  preserveHost?: boolean;
  /** Keep each request's Authorization header in the log, so tests can look for those tokens in output. */
  recordAuthorization?: boolean;
}

export interface FaultProxy {
  /** Base URL of the proxy, e.g. http://127.0.0.1:40123 */
  url: string;
  /** host:port of the proxy, the form registries and image references use. */
  host: string;
  port: number;
  rules: {
    add(rule: FaultRule): string;
    clear(): void;
  };
  stats(): ProxyStats;
  /** Refuse connections for a window without a request triggering it. */
  refuseFor(ms: number): Promise<void>;
  stop(): Promise<void>;
}

interface ActiveRule {
  name: string;
  rule: FaultRule;
  nth: Set<number> | undefined;
  stats: RuleStats;
}

/** mulberry32: tiny, seedable, good enough to pick which requests fail. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets `limit` bytes through, then calls `onLimit` once and swallows the rest. */
class ByteLimit extends Transform {
  private passed = 0;
  private reached = false;
  private readonly limit: number;
  private readonly onLimit: () => void;

  constructor(limit: number, onLimit: () => void) {
    super();
    this.limit = limit;
    this.onLimit = onLimit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.reached) {
      done();
      return;
    }
    const room = this.limit - this.passed;
    if (chunk.length < room) {
      this.passed += chunk.length;
      done(null, chunk);
      return;
    }
    this.passed = this.limit;
    this.reached = true;
    if (room > 0) this.push(chunk.subarray(0, room));
    done();
    // After the bytes above have been handed on.
    setImmediate(this.onLimit);
  }

  override _flush(done: TransformCallback): void {
    if (!this.reached) {
      // The body was shorter than the limit: the fault still happens at its end.
      this.reached = true;
      setImmediate(this.onLimit);
    }
    done();
  }
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

function forwardableHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(key)) out[key] = value;
  }
  return out;
}

function matches(
  wanted: { method?: string | undefined; path?: RegExp | string | undefined },
  method: string,
  path: string,
): boolean {
  if (wanted.method !== undefined && wanted.method.toUpperCase() !== method) return false;
  if (wanted.path === undefined) return true;
  return typeof wanted.path === 'string' ? path.includes(wanted.path) : wanted.path.test(path);
}

/** RST where the transport allows it (plain TCP); TLS sockets can only be destroyed. */
function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** The upstream's response, or undefined when the request failed or was torn down first. */
function responseOf(request: http.ClientRequest): Promise<IncomingMessage | undefined> {
  return new Promise((resolve) => {
    request.once('response', resolve);
    request.once('error', () => resolve(undefined));
    request.once('close', () => resolve(undefined));
  });
}

const ignore = () => {};

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const upstreamIsTls = upstream.protocol === 'https:';
  const upstreamAgent = upstreamIsTls
    ? new https.Agent({ keepAlive: true, ca: options.upstreamCa })
    : new http.Agent({ keepAlive: true });
  const random = seededRandom(options.seed ?? 1);
  const preserveHost = options.preserveHost ?? true;
  const active: ActiveRule[] = [];
  const log: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  let requests = 0;
  let ruleCounter = 0;
  let port = 0;
  let refusing: Promise<void> | undefined;
  let stopped = false;
  // Waits end early when the proxy stops, so no handler outlives it.
  const pendingWaits = new Map<NodeJS.Timeout, () => void>();

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        pendingWaits.delete(timer);
        resolve();
      }, ms);
      pendingWaits.set(timer, resolve);
    });

  function pickRule(method: string, path: string): ActiveRule | undefined {
    let chosen: ActiveRule | undefined;
    for (const entry of active) {
      if (!matches(entry.rule, method, path)) continue;
      entry.stats.matched++;
      if (chosen !== undefined) continue;
      const { rule, stats } = entry;
      const occurrence = stats.matched;
      if (rule.skip !== undefined && occurrence <= rule.skip) continue;
      if (entry.nth !== undefined && !entry.nth.has(occurrence)) continue;
      if (rule.times !== undefined && stats.fired >= rule.times) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      stats.fired++;
      chosen = entry;
    }
    return chosen;
  }

  function upstreamRequest(
    req: IncomingMessage,
    overrides: { headers?: http.OutgoingHttpHeaders; method?: string } = {},
  ): http.ClientRequest {
    const headers = overrides.headers ?? forwardableHeaders(req.headers);
    if (!preserveHost) headers.host = upstream.host;
    const requestOptions: https.RequestOptions = {
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port,
      method: overrides.method ?? req.method,
      path: req.url,
      headers,
      agent: upstreamAgent,
      // SNI and certificate checks are against the upstream's name, not the Host we forward.
      // (RFC 6066 forbids an IP address as the TLS server name, so none is sent for one.)
      servername: upstreamIsTls && isIP(upstream.hostname) === 0 ? upstream.hostname : undefined,
    };
    return upstreamIsTls ? https.request(requestOptions) : http.request(requestOptions);
  }

  /** Absolute Location headers that name the upstream are rewritten to the proxy. */
  function rewriteLocation(headers: http.OutgoingHttpHeaders): void {
    const location = headers.location;
    if (typeof location === 'string' && location.startsWith(upstream.origin)) {
      headers.location = proxyOrigin() + location.slice(upstream.origin.length);
    }
  }

  function proxyOrigin(): string {
    return `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  function fail(res: ServerResponse, record: RequestRecord, status: number, message: string) {
    if (!res.headersSent) {
      record.status = status;
      res.writeHead(status, { 'content-type': 'text/plain' });
    }
    res.end(message);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const record: RequestRecord = { method, path };
    if (options.recordAuthorization && req.headers.authorization !== undefined) {
      record.authorization = req.headers.authorization;
    }
    log.push(record);
    req.on('error', ignore);
    res.on('error', ignore);
    const chosen = pickRule(method, path);
    if (chosen !== undefined) record.fault = chosen.name;
    const fault = chosen?.rule.fault;
    const socket = req.socket;

    switch (fault?.kind) {
      case 'status': {
        req.resume();
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
        res.end(fault.body ?? `injected ${fault.status}\n`);
        return;
      }
      case 'rate-limit': {
        req.resume();
        record.status = fault.status ?? 429;
        res.writeHead(record.status, {
          'retry-after': fault.retryAfter,
          'content-type': 'text/plain',
        });
        res.end('too many requests (injected)\n');
        return;
      }
      case 'close': {
        socket.destroy();
        return;
      }
      case 'refuse': {
        socket.destroy();
        void refuseFor(fault.forMs);
        return;
      }
      case 'expire-token': {
        req.resume();
        const challenge = (await probeChallenge(req)) ?? fault.challenge;
        record.status = 401;
        res.writeHead(401, {
          'content-type': 'application/json',
          connection: 'close',
          ...(challenge === undefined ? {} : { 'www-authenticate': challenge }),
        });
        res.end(
          JSON.stringify({
            errors: [{ code: 'UNAUTHORIZED', message: 'authentication required (token expired)' }],
          }),
        );
        return;
      }
      default:
        break;
    }

    if (fault?.kind === 'delay' && fault.headersMs) await later(fault.headersMs);

    const outgoing = upstreamRequest(req);
    let requestBody: NodeJS.ReadableStream = req;
    if (fault?.kind === 'reset-request') {
      requestBody = req.pipe(
        new ByteLimit(fault.afterBytes, () => {
          outgoing.destroy();
          resetSocket(socket);
        }),
      );
    }
    pipeline(requestBody, outgoing, () => {
      // Errors surface on the response side or as the injected reset.
    });

    let upstreamError: unknown;
    outgoing.once('error', (error) => (upstreamError = error));
    const upstreamResponse = await responseOf(outgoing);
    if (upstreamResponse === undefined) {
      if (fault?.kind === 'reset-request' || socket.destroyed) return;
      fail(res, record, 502, `fault proxy: upstream failed: ${String(upstreamError)}\n`);
      return;
    }
    upstreamResponse.on('error', ignore);
    if (socket.destroyed) {
      upstreamResponse.destroy();
      return;
    }

    const headers = forwardableHeaders(upstreamResponse.headers);
    rewriteLocation(headers);
    const status = upstreamResponse.statusCode ?? 502;
    record.status = status;
    res.writeHead(status, upstreamResponse.statusMessage, headers);

    if (fault?.kind === 'stall') {
      res.flushHeaders();
      const stallAfter = fault.afterBytes ?? 0;
      // Holds the connection open until the client gives up or the proxy stops.
      upstreamResponse
        .pipe(new ByteLimit(stallAfter, () => upstreamResponse.destroy()))
        .pipe(res, { end: false });
      res.once('close', () => upstreamResponse.destroy());
      return;
    }
    if (fault?.kind === 'delay' && fault.bodyMs) {
      res.flushHeaders();
      upstreamResponse.pause();
      await later(fault.bodyMs);
    }

    let body: NodeJS.ReadableStream = upstreamResponse;
    if (fault?.kind === 'reset-response') {
      body = upstreamResponse.pipe(
        new ByteLimit(fault.afterBytes, () => {
          upstreamResponse.destroy();
          // Let the bytes already written reach the client before the RST.
          setTimeout(() => resetSocket(socket), 20);
        }),
      );
    } else if (fault?.kind === 'truncate') {
      body = upstreamResponse.pipe(
        new ByteLimit(fault.bytes, () => {
          upstreamResponse.destroy();
          // end() of the socket is a clean FIN after what was written; the
          // Content-Length promised more, which is what the client must notice.
          socket.end();
        }),
      );
    }
    if (body === upstreamResponse) {
      pipeline(body, res, () => {
        // A client that went away is not a proxy failure.
      });
    } else {
      // Never end the response normally: a chunked body would get its final
      // chunk and look complete. The fault callback closes the connection.
      body.pipe(res, { end: false });
    }
  }

  /** The challenge upstream gives this path without credentials, or undefined. */
  async function probeChallenge(req: IncomingMessage): Promise<string | undefined> {
    const headers = forwardableHeaders(req.headers);
    delete headers.authorization;
    delete headers['content-length'];
    delete headers['content-type'];
    headers['content-length'] = '0';
    // GET/HEAD are probed as they are; anything with a body is probed with HEAD
    // so that no upload is started by the probe itself.
    const method = req.method === 'GET' || req.method === 'HEAD' ? req.method : 'HEAD';
    const probe = upstreamRequest(req, { headers, method });
    probe.on('error', ignore);
    probe.end();
    const response = await responseOf(probe);
    if (response === undefined) return undefined;
    response.on('error', ignore);
    response.resume();
    const value = response.headers['www-authenticate'];
    return response.statusCode === 401 && typeof value === 'string' ? value : undefined;
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      const record: RequestRecord = { method: req.method ?? 'GET', path: req.url ?? '/' };
      fail(res, record, 500, `fault proxy error: ${String(error)}\n`);
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer(onRequest);
  // Large uploads must not be cut by Node's own request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5000;
  // The raw TCP socket, also for TLS: one still in its handshake must be
  // droppable too, or close() would wait for it and a refusal window never end.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function listen(onPort: number): Promise<void> {
    server.listen(onPort, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fault proxy: no port');
    port = address.port;
  }

  function dropConnections(): void {
    for (const socket of sockets) socket.destroy();
  }

  function refuseFor(ms: number): Promise<void> {
    if (refusing !== undefined) return refusing;
    refusing = (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      dropConnections();
      await later(ms);
      // The same port, so clients that cached the address reconnect to it.
      if (!stopped) await listen(port);
      refusing = undefined;
    })();
    // close() waits for open connections; they were just dropped, so this settles.
    dropConnections();
    return refusing;
  }

  await listen(0);

  return {
    get url() {
      return proxyOrigin();
    },
    get host() {
      return `127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    rules: {
      add(rule: FaultRule): string {
        ruleCounter++;
        const name = rule.name ?? `rule-${ruleCounter}`;
        const nth =
          rule.nth === undefined
            ? undefined
            : new Set(Array.isArray(rule.nth) ? rule.nth : [rule.nth]);
        active.push({ name, rule, nth, stats: { name, matched: 0, fired: 0 } });
        return name;
      },
      clear(): void {
        active.length = 0;
      },
    },
    stats(): ProxyStats {
      const snapshot = log.map((entry) => ({ ...entry }));
      return {
        requests,
        rules: active.map((entry) => ({ ...entry.stats })),
        log: snapshot,
        count(method, path) {
          return snapshot.filter((entry) => matches({ method, path }, entry.method, entry.path))
            .length;
        },
      };
    },
    refuseFor,
    async stop(): Promise<void> {
      stopped = true;
      for (const [timer, resolve] of pendingWaits) {
        clearTimeout(timer);
        resolve();
      }
      pendingWaits.clear();
      await refusing?.catch(() => undefined);
      dropConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      upstreamAgent.destroy();
    },
  };
}
