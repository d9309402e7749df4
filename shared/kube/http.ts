import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ClusterConnection } from '../clouds/types.ts';

/**
 * The HTTP side of the Kubernetes client: one keep-alive connection pool per
 * cluster connection, JSON in and out, and the API server's refusals as
 * {@link KubeApiError}. It is Node's own http(s) module and nothing else, so
 * an action that talks to a cluster starts in milliseconds.
 */

/** A response with a status outside 2xx; `body` is the server's text (a Status object, usually). */
export class KubeApiError extends Error {
  readonly code: number;
  readonly body: string;
  readonly headers: Record<string, string>;

  constructor(
    code: number,
    method: string,
    path: string,
    body: string,
    headers: Record<string, string>,
  ) {
    super(`HTTP ${code} on ${method} ${path}`);
    this.name = 'KubeApiError';
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}

/** A response larger than any object or list deploy reads: the server is refused, not buffered. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** No byte from the API server for this long ends the request (and the retry may try again). */
const IDLE_TIMEOUT_MS = 120_000;

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
}

/** One event of a watch: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, and the object. */
export interface WatchEvent {
  type: string;
  object: unknown;
}

/** A watch of a collection: every event to `onEvent` until the server ends it or `signal` aborts. */
export type KubeWatch = (
  path: string,
  query: KubeRequest['query'],
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
) => Promise<void>;

export type KubeTransport = (<T>(request: KubeRequest) => Promise<T>) & { watch?: KubeWatch };

/** A transport for one connection and one token; the agent keeps its TLS sessions open. */
export function kubeTransport(connection: ClusterConnection): KubeTransport {
  const target = targetFor(connection);
  const transport = <T>(request: KubeRequest) => send<T>(request, target);
  const watch: KubeWatch = (path, query, onEvent, signal) =>
    watchStream(target, path, query, onEvent, signal);
  return Object.assign(transport, { watch });
}

function targetFor(connection: ClusterConnection): Target {
  const base = new URL(connection.server);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({
        keepAlive: true,
        ...(connection.caData ? { ca: connection.caData } : {}),
        ...(connection.clientCertData ? { cert: connection.clientCertData } : {}),
        ...(connection.clientKeyData ? { key: connection.clientKeyData } : {}),
        rejectUnauthorized: connection.skipTlsVerify !== true,
      })
    : new HttpAgent({ keepAlive: true });
  const prefix = base.pathname.replace(/\/+$/, '');
  return {
    url: (path) => new URL(prefix + path, base),
    secure,
    agent,
    authorization: connection.token ? `Bearer ${connection.token}` : undefined,
  };
}

interface Target {
  url: (path: string) => URL;
  secure: boolean;
  agent: HttpAgent;
  authorization: string | undefined;
}

function urlOf(target: Target, path: string, query: KubeRequest['query']): URL {
  const url = target.url(path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

function headersOf(target: Target): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.authorization) headers.authorization = target.authorization;
  return headers;
}

function send<T>(request: KubeRequest, target: Target): Promise<T> {
  const url = urlOf(target, request.path, request.query);
  const payload =
    request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  const headers = headersOf(target);
  if (payload) {
    headers['content-type'] = request.contentType ?? 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const open = target.secure ? httpsRequest : httpRequest;
  return new Promise<T>((resolve, reject) => {
    const req = open(url, { method: request.method, headers, agent: target.agent }, (res) => {
      readBody(res).then((text) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new KubeApiError(status, request.method, request.path, text, flatHeaders(res)));
          return;
        }
        // A body cut short parses as broken JSON: the caller's retry takes it again.
        try {
          resolve((text === '' ? {} : JSON.parse(text)) as T);
        } catch (err) {
          reject(err as Error);
        }
      }, reject);
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () =>
      req.destroy(
        Object.assign(new Error(`no answer from ${url.host} for ${IDLE_TIMEOUT_MS / 1000} s`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function watchStream(
  target: Target,
  path: string,
  query: KubeRequest['query'],
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const url = urlOf(target, path, { ...query, watch: true });
  const open = target.secure ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    const req = open(url, { headers: headersOf(target), agent: target.agent, signal }, (res) => {
      if (res.statusCode !== 200) {
        readBody(res).then(
          (text) =>
            reject(new KubeApiError(res.statusCode ?? 0, 'GET', path, text, flatHeaders(res))),
          reject,
        );
        return;
      }
      readLines(res, (line) => {
        // A line that is not an event is skipped: the watch only wakes the caller up.
        try {
          onEvent(JSON.parse(line) as WatchEvent);
        } catch {
          /* not an event */
        }
      });
      res.on('close', () => resolve());
    });
    req.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
    req.end();
  });
}

/** Calls `onLine` for each line of a streamed answer, refusing a line past the size bound. */
function readLines(res: IncomingMessage, onLine: (line: string) => void): void {
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line.trim() !== '') onLine(line);
    }
    if (buffer.length > MAX_RESPONSE_BYTES) res.destroy();
  });
  res.on('error', () => undefined);
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        res.destroy(
          new Error(
            `the API server's answer passed ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB, more than any object deploy reads`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) {
        reject(
          Object.assign(new Error('the API server closed the answer early'), {
            code: 'ECONNRESET',
          }),
        );
      }
    });
  });
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
