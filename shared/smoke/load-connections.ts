import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TlsOptions } from './endpoint.ts';

/**
 * The load phase's HTTP/1.1 client: a fixed set of keep-alive connections
 * that send one request, serialized once, over and over, and read back only
 * the status. A general client (undici) spends most of a request's cost on
 * what the load phase throws away: header objects, body chunks, handler
 * calls. Here a response is parsed in place, byte by byte, from the socket's
 * read buffer, and only its framing (status, content-length, chunked,
 * connection) is looked at. One request in flight per connection, as the
 * closed-loop generator needs.
 *
 * Failures keep the codes undici gives the same failures (UND_ERR_SOCKET,
 * UND_ERR_HEADERS_TIMEOUT, HPE_…), so the load report reads as it always has.
 * Nothing the server sent is ever put in a message.
 */

/** The most a response's status line and headers (or its trailers) may take. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** A chunk-size line, with any extensions. */
const MAX_CHUNK_LINE_BYTES = 4 * 1024;
/** Bytes read from a plain TCP socket at a time, into one buffer reused for every read. */
const READ_BUFFER_BYTES = 64 * 1024;

export class LoadRequestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'LoadRequestError';
    this.code = code;
  }
}

/** A request serialized once: request line, headers and body in one buffer. */
export interface SerializedRequest {
  readonly bytes: Buffer;
  /** A HEAD request: its answer has headers only, whatever they say. */
  readonly head: boolean;
}

export interface LoadConnectionsOptions {
  /** http: or https: URL of the server; only its origin is used. */
  origin: string;
  /** What answers there, for messages: `model server`. */
  server: string;
  connections: number;
  /** How long an answer may keep silent (connecting, its headers, or between body bytes). */
  timeoutMs: number;
  tls?: TlsOptions & { servername?: string };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: visible latin-1 and tabs, no CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Set from the request itself, never copied from the caller's headers. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'host']);

/**
 * Serializes a request once. Header values are checked, never echoed: they
 * may carry a token.
 */
export function serializeRequest(
  origin: string,
  request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer | undefined;
  },
): SerializedRequest {
  const url = new URL(origin);
  if (!TOKEN.test(request.method)) throw new Error(`method ${request.method} is not an HTTP token`);
  if (!/^\/[\x21-\xff]*$/.test(request.path)) {
    throw new Error(`path ${JSON.stringify(request.path)} must start with / and hold no spaces`);
  }
  let host = url.host;
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  let fields = '';
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TOKEN.test(name)) throw new Error(`header name ${JSON.stringify(name)} is not allowed`);
    if (!FIELD_VALUE.test(value)) {
      throw new Error(`header ${name} has a value with a character HTTP does not allow`);
    }
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    if (FRAMING_HEADERS.has(lower)) continue;
    fields += `${name}: ${value}\r\n`;
  }
  head += `host: ${host}\r\n${fields}`;
  const body = request.body;
  if (body !== undefined || /^(POST|PUT|PATCH)$/.test(request.method)) {
    head += `content-length: ${body?.length ?? 0}\r\n`;
  }
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return {
    bytes: body === undefined ? headBytes : Buffer.concat([headBytes, body]),
    head: request.method === 'HEAD',
  };
}

type Resolve = (status: number) => void;
type Reject = (error: Error) => void;

interface Waiting {
  request: SerializedRequest;
  resolve: Resolve;
  reject: Reject;
}

/** A fixed number of keep-alive connections to one origin; requests beyond them wait their turn. */
export class LoadConnections {
  readonly origin: string;
  readonly server: string;
  readonly timeoutMs: number;
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  readonly tls: (TlsOptions & { servername?: string }) | undefined;
  /** Shared by every plain TCP read: each read is parsed before the next one lands. */
  readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** Advanced by the sweep; a connection notes it whenever bytes arrive. */
  tick = 0;
  private readonly period: number;
  private readonly connections: Connection[] = [];
  private readonly idle: Connection[] = [];
  private waiting: Waiting[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: LoadConnectionsOptions) {
    const url = new URL(options.origin);
    this.origin = url.origin;
    this.server = options.server;
    this.timeoutMs = options.timeoutMs;
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port === '' ? (this.secure ? 443 : 80) : Number(url.port);
    this.tls = this.secure ? { ...options.tls } : undefined;
    if (this.tls && this.tls.servername === undefined && isIP(this.host) === 0) {
      this.tls.servername = this.host;
    }
    // Deadlines are checked by one coarse sweep rather than a timer per
    // request: a timeout fires between timeoutMs and timeoutMs + 2 periods.
    this.period = Math.min(1000, Math.max(5, Math.floor(options.timeoutMs / 8)));
    for (let i = 0; i < Math.max(1, options.connections); i++) {
      const connection = new Connection(this);
      this.connections.push(connection);
      this.idle.push(connection);
    }
  }

  /** Sends the request on a free connection (or the next one to free up); resolves with the status. */
  status(request: SerializedRequest): Promise<number> {
    return new Promise((resolve, reject) => this.dispatch(request, resolve, reject));
  }

  dispatch(request: SerializedRequest, resolve: Resolve, reject: Reject): void {
    if (this.closed) {
      reject(new LoadRequestError('UND_ERR_CLOSED', `the client to ${this.origin} is closed`));
      return;
    }
    if (this.sweeper === undefined) {
      this.sweeper = setInterval(() => this.sweep(), this.period);
      this.sweeper.unref();
    }
    const connection = this.idle.pop();
    if (connection === undefined) this.waiting.push({ request, resolve, reject });
    else connection.start(request, resolve, reject);
  }

  /** A connection is free again: it takes the next waiting request, or waits itself. */
  release(connection: Connection): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next === undefined) this.idle.push(connection);
    else connection.start(next.request, next.resolve, next.reject);
  }

  private sweep(): void {
    this.tick++;
    const limit = this.timeoutMs;
    for (const connection of this.connections) {
      // `seen` was noted some time during its tick: a full tick less is a lower bound.
      if (connection.busy && (this.tick - connection.seen - 1) * this.period >= limit) {
        connection.timeOut();
      }
    }
  }

  describeWait(): string {
    const ms = this.timeoutMs;
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    const closing = new LoadRequestError('UND_ERR_CLOSED', `the client to ${this.origin} closed`);
    for (const connection of this.connections) connection.close(closing);
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(closing);
  }
}

// Where a connection is in the answer it reads.
const IDLE = 0;
const STATUS_LINE = 1;
const HEADER_LINE = 2;
const BODY = 3;
const CHUNK_SIZE = 4;
const CHUNK_DATA = 5;
const CHUNK_END = 6;
const TRAILER_LINE = 7;
const UNTIL_CLOSE = 8;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const HTTP_1_ = Buffer.from('HTTP/1.', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding', 'latin1');
const CONNECTION = Buffer.from('connection', 'latin1');

function sameName(b: Buffer, start: number, name: Buffer): boolean {
  for (let i = 0; i < name.length; i++) {
    let c = b[start + i] as number;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== name[i]) return false;
  }
  return true;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

class Connection {
  busy = false;
  seen = 0;
  private readonly pool: LoadConnections;
  private socket: Socket | undefined;
  private connected = false;
  private resolve: Resolve | undefined;
  private reject: Reject | undefined;
  private head = false;
  private state = IDLE;
  private received = false;
  private statusCode = 0;
  private http11 = true;
  private contentLength = -1;
  private chunked = false;
  private otherCoding = false;
  private closeHeader = false;
  private keepAliveHeader = false;
  /** Bytes of the current head (or trailer section), against MAX_HEAD_BYTES. */
  private headBytes = 0;
  private remaining = 0;
  /** A line that arrived in pieces, copied out of the read buffer. */
  private partial = Buffer.allocUnsafe(256);
  private partialLength = 0;

  constructor(pool: LoadConnections) {
    this.pool = pool;
  }

  start(request: SerializedRequest, resolve: Resolve, reject: Reject): void {
    this.busy = true;
    this.resolve = resolve;
    this.reject = reject;
    this.head = request.head;
    this.received = false;
    this.seen = this.pool.tick;
    this.headBytes = 0;
    this.beginResponse();
    (this.socket ?? this.open()).write(request.bytes);
  }

  private beginResponse(): void {
    this.state = STATUS_LINE;
    this.statusCode = 0;
    this.contentLength = -1;
    this.chunked = false;
    this.otherCoding = false;
    this.closeHeader = false;
    this.keepAliveHeader = false;
    this.partialLength = 0;
  }

  private open(): Socket {
    const pool = this.pool;
    this.connected = false;
    let socket: Socket;
    if (pool.tls !== undefined) {
      socket = tlsConnect({
        ...pool.tls,
        host: pool.host,
        port: pool.port,
        ALPNProtocols: ['http/1.1'],
      });
      socket.on('secureConnect', () => {
        if (socket === this.socket) this.connected = true;
      });
      socket.on('data', (chunk: Buffer) => {
        if (socket === this.socket) this.read(chunk, 0, chunk.length);
      });
    } else {
      socket = netConnect({
        host: pool.host,
        port: pool.port,
        onread: {
          buffer: pool.readBuffer,
          callback: (length: number, buffer: Uint8Array) => {
            if (socket === this.socket) this.read(buffer as Buffer, 0, length);
            return true;
          },
        },
      });
      socket.on('connect', () => {
        if (socket === this.socket) this.connected = true;
      });
    }
    socket.setNoDelay(true);
    socket.on('error', (error: Error) => {
      if (socket !== this.socket) return;
      if (this.busy) this.fail(error);
      else this.drop();
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      if (!this.busy) return;
      if (this.state === UNTIL_CLOSE) this.complete();
      else {
        this.fail(
          new LoadRequestError(
            'UND_ERR_SOCKET',
            this.received
              ? `the ${pool.server} at ${pool.origin} closed the connection part way through its answer`
              : `the ${pool.server} at ${pool.origin} closed the connection before answering`,
          ),
        );
      }
    });
    this.socket = socket;
    return socket;
  }

  /** Bytes from the server: buffer[start, end). The buffer may be reused once this returns. */
  private read(buffer: Buffer, start: number, end: number): void {
    this.seen = this.pool.tick;
    if (!this.busy) {
      // An answer nobody asked for: this connection can no longer be trusted.
      this.drop();
      return;
    }
    this.received = true;
    let at = start;
    while (at < end) {
      const state = this.state;
      if (state === BODY || state === CHUNK_DATA) {
        const n = Math.min(end - at, this.remaining);
        this.remaining -= n;
        at += n;
        if (this.remaining > 0) return;
        if (state === CHUNK_DATA) this.state = CHUNK_END;
        else {
          this.complete(at < end);
          return;
        }
        continue;
      }
      if (state === UNTIL_CLOSE) return;
      // A line: find its end, in this read or after the piece kept from earlier ones.
      // Bounded by hand: past `end`, the shared read buffer holds older reads.
      let lf = at;
      while (lf < end && buffer[lf] !== LF) lf++;
      if (lf === end) {
        this.keep(buffer, at, end);
        return;
      }
      let line = buffer;
      let lineStart = at;
      let lineEnd = lf;
      if (this.partialLength > 0) {
        this.keep(buffer, at, lf);
        if (this.state === IDLE) return; // the piece was too long and failed the request
        line = this.partial;
        lineStart = 0;
        lineEnd = this.partialLength;
        this.partialLength = 0;
      } else if (!this.count(lf + 1 - at)) return;
      at = lf + 1;
      if (lineEnd > lineStart && line[lineEnd - 1] === CR) lineEnd--;
      if (!this.line(line, lineStart, lineEnd)) return;
      if (this.state === IDLE) {
        // The answer ended with this line.
        this.complete(at < end);
        return;
      }
    }
  }

  /** Counts bytes of a line against its section's limit; false when the request failed. */
  private count(bytes: number): boolean {
    const state = this.state;
    if (state === CHUNK_SIZE || state === CHUNK_END) {
      if (this.partialLength + bytes <= MAX_CHUNK_LINE_BYTES) return true;
      this.fail(this.malformed('HPE_INVALID_CHUNK_SIZE', 'a chunk-size line that is too long'));
      return false;
    }
    this.headBytes += bytes;
    if (this.headBytes <= MAX_HEAD_BYTES) return true;
    this.fail(
      new LoadRequestError(
        'HPE_HEADER_OVERFLOW',
        `the ${this.pool.server} at ${this.pool.origin} sent ${state === TRAILER_LINE ? 'trailers' : 'a header section'} over ${MAX_HEAD_BYTES / 1024} KiB`,
      ),
    );
    return false;
  }

  /** Keeps the start of a line that ends in a later read. */
  private keep(buffer: Buffer, start: number, end: number): void {
    const n = end - start;
    if (!this.count(n)) return;
    const needed = this.partialLength + n;
    if (needed > this.partial.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.partial.length * 2));
      this.partial.copy(grown, 0, 0, this.partialLength);
      this.partial = grown;
    }
    buffer.copy(this.partial, this.partialLength, start, end);
    this.partialLength = needed;
  }

  /** One line of the answer, without its CRLF; false when the request failed. */
  private line(b: Buffer, start: number, end: number): boolean {
    switch (this.state) {
      case STATUS_LINE:
        return this.statusLine(b, start, end);
      case HEADER_LINE:
        return start === end ? this.endOfHead() : this.headerLine(b, start, end);
      case CHUNK_SIZE:
        return this.chunkSize(b, start, end);
      case CHUNK_END:
        if (start !== end) {
          this.fail(this.malformed('HPE_INVALID_CHUNK_SIZE', 'a chunk not ended by CRLF'));
          return false;
        }
        this.state = CHUNK_SIZE;
        return true;
      case TRAILER_LINE:
        if (start === end) this.state = IDLE;
        return true;
      default:
        return true;
    }
  }

  private statusLine(b: Buffer, start: number, end: number): boolean {
    // HTTP/1.x SSS[ reason]
    const minor = b[start + 7];
    const valid =
      end - start >= 12 &&
      b.compare(HTTP_1_, 0, 7, start, start + 7) === 0 &&
      (minor === 0x30 || minor === 0x31) &&
      b[start + 8] === SP &&
      isDigit(b[start + 9]) &&
      isDigit(b[start + 10]) &&
      isDigit(b[start + 11]) &&
      (end - start === 12 || b[start + 12] === SP) &&
      b[start + 9] !== 0x30;
    if (!valid) {
      this.fail(this.malformed('HPE_INVALID_STATUS', 'a malformed status line'));
      return false;
    }
    this.http11 = minor === 0x31;
    this.statusCode =
      ((b[start + 9] as number) - 0x30) * 100 +
      ((b[start + 10] as number) - 0x30) * 10 +
      ((b[start + 11] as number) - 0x30);
    this.state = HEADER_LINE;
    return true;
  }

  private headerLine(b: Buffer, start: number, end: number): boolean {
    const colon = b.indexOf(COLON, start);
    const first = b[start];
    if (
      colon <= start ||
      colon >= end ||
      first === SP ||
      first === HT ||
      b[colon - 1] === SP ||
      b[colon - 1] === HT
    ) {
      this.fail(this.malformed('HPE_INVALID_HEADER_TOKEN', 'a malformed header line'));
      return false;
    }
    const nameLength = colon - start;
    if (
      nameLength !== CONTENT_LENGTH.length &&
      nameLength !== TRANSFER_ENCODING.length &&
      nameLength !== CONNECTION.length
    ) {
      return true;
    }
    let valueStart = colon + 1;
    let valueEnd = end;
    while (valueStart < valueEnd && (b[valueStart] === SP || b[valueStart] === HT)) valueStart++;
    while (valueEnd > valueStart && (b[valueEnd - 1] === SP || b[valueEnd - 1] === HT)) valueEnd--;
    if (nameLength === CONTENT_LENGTH.length && sameName(b, start, CONTENT_LENGTH)) {
      let length = 0;
      for (let i = valueStart; i < valueEnd; i++) {
        const c = b[i] as number;
        if (!isDigit(c) || i - valueStart >= 15) {
          length = -1;
          break;
        }
        length = length * 10 + (c - 0x30);
      }
      if (
        valueStart === valueEnd ||
        length < 0 ||
        (this.contentLength >= 0 && this.contentLength !== length)
      ) {
        this.fail(this.malformed('HPE_INVALID_CONTENT_LENGTH', 'an invalid content-length'));
        return false;
      }
      this.contentLength = length;
    } else if (nameLength === TRANSFER_ENCODING.length && sameName(b, start, TRANSFER_ENCODING)) {
      const codings = b.toString('latin1', valueStart, valueEnd).toLowerCase().split(',');
      const last = codings[codings.length - 1]?.trim();
      this.chunked = last === 'chunked';
      this.otherCoding = !this.chunked;
    } else if (nameLength === CONNECTION.length && sameName(b, start, CONNECTION)) {
      for (const option of b.toString('latin1', valueStart, valueEnd).toLowerCase().split(',')) {
        const token = option.trim();
        if (token === 'close') this.closeHeader = true;
        else if (token === 'keep-alive') this.keepAliveHeader = true;
      }
    }
    return true;
  }

  private endOfHead(): boolean {
    const status = this.statusCode;
    if (status < 200) {
      if (status === 101) {
        this.fail(this.malformed('HPE_UNEXPECTED_UPGRADE', 'a protocol switch (101)'));
        return false;
      }
      // An interim answer (100 Continue, 103 Early Hints): the real one follows.
      // Its bytes still count, so endless interim answers end in an overflow.
      this.beginResponse();
      return true;
    }
    if (this.head || status === 204 || status === 304) this.state = IDLE;
    else if (this.chunked) {
      this.state = CHUNK_SIZE;
    } else if (this.otherCoding || this.contentLength < 0) {
      // No length: the body runs until the server closes the connection.
      this.state = UNTIL_CLOSE;
    } else if (this.contentLength === 0) this.state = IDLE;
    else {
      this.remaining = this.contentLength;
      this.state = BODY;
    }
    return true;
  }

  private chunkSize(b: Buffer, start: number, end: number): boolean {
    let size = 0;
    let i = start;
    for (; i < end; i++) {
      const v = hexValue(b[i] as number);
      if (v < 0) break;
      if (i - start >= 13) i = end + 1; // over 2^52: no such chunk
      size = size * 16 + v;
    }
    const next = b[i];
    if (i === start || i > end || (i < end && next !== 0x3b && next !== SP && next !== HT)) {
      this.fail(this.malformed('HPE_INVALID_CHUNK_SIZE', 'a malformed chunk size'));
      return false;
    }
    if (size === 0) {
      this.headBytes = 0;
      this.state = TRAILER_LINE;
    } else {
      this.remaining = size;
      this.state = CHUNK_DATA;
    }
    return true;
  }

  private malformed(code: string, what: string): LoadRequestError {
    return new LoadRequestError(
      code,
      `the ${this.pool.server} at ${this.pool.origin} answered with ${what}; the connection was closed`,
    );
  }

  /** The answer is complete: the status goes to the caller, the connection to the next request. */
  private complete(extra = false): void {
    const resolve = this.resolve as Resolve;
    const status = this.statusCode;
    const keepAlive = this.http11 ? !this.closeHeader : this.keepAliveHeader && !this.closeHeader;
    this.settle();
    // Bytes past the answer, with one request in flight, are bytes nobody asked for.
    if (!keepAlive || extra || this.state === UNTIL_CLOSE) this.drop();
    this.state = IDLE;
    this.pool.release(this);
    resolve(status);
  }

  private fail(error: Error): void {
    const reject = this.reject as Reject;
    this.settle();
    this.state = IDLE;
    this.drop();
    this.pool.release(this);
    reject(error);
  }

  private settle(): void {
    this.busy = false;
    this.resolve = undefined;
    this.reject = undefined;
    this.partialLength = 0;
  }

  timeOut(): void {
    const { server, origin } = this.pool;
    const wait = this.pool.describeWait();
    if (!this.connected) {
      this.fail(
        new LoadRequestError(
          'UND_ERR_CONNECT_TIMEOUT',
          `connecting to the ${server} at ${origin} took longer than ${wait}`,
        ),
      );
    } else if (this.state === STATUS_LINE || this.state === HEADER_LINE) {
      this.fail(
        new LoadRequestError(
          'UND_ERR_HEADERS_TIMEOUT',
          `the ${server} at ${origin} sent no answer within ${wait}`,
        ),
      );
    } else {
      this.fail(
        new LoadRequestError(
          'UND_ERR_BODY_TIMEOUT',
          `the ${server} at ${origin} stopped part way through its answer for ${wait}`,
        ),
      );
    }
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.connected = false;
    socket?.destroy();
  }

  close(error: Error): void {
    if (this.busy) this.fail(error);
    else this.drop();
  }
}
