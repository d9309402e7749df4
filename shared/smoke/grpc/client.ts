import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { UserError } from '../../common/errors.ts';
import type { Endpoint } from '../endpoint.ts';
import type { HttpRequest, HttpResult, PreparedRequest } from '../http-client.ts';
import type { SmokeTransport } from '../transport.ts';
import {
  OPEN_INFERENCE_GRPC,
  PROTOBUF_WELL_KNOWN_PROTO,
  TENSORFLOW_SERVING_GRPC,
} from '../../model/grpc-api.ts';

/**
 * The gRPC side of the smoke test: one channel (one HTTP/2 connection,
 * multiplexed) to the server, the services' messages from our own `.proto`
 * text (shared/model/grpc-api.ts), and each call made as a unary request on the path
 * `/<package>.<Service>/<Method>`. Loaded only when a gRPC protocol is used.
 */

let parsedRoot: protobuf.Root | undefined;

/** Every service smoke-test speaks, parsed once: field names as the specifications write them. */
export function serviceRoot(): protobuf.Root {
  if (parsedRoot !== undefined) return parsedRoot;
  const root = new protobuf.Root();
  // Imports are not followed: every file is parsed into the one root.
  for (const text of [
    PROTOBUF_WELL_KNOWN_PROTO,
    ...OPEN_INFERENCE_GRPC.files.map((f) => f.text),
    ...TENSORFLOW_SERVING_GRPC.files.map((f) => f.text),
  ]) {
    protobuf.parse(text, root, { keepCase: true });
  }
  root.resolveAll();
  parsedRoot = root;
  return root;
}

/** How messages become JSON: proto field names, int64 as numbers, enums by name, bytes as base64, Any unpacked. */
const TO_JSON: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: String,
  arrays: true,
  json: true,
};

export interface GrpcTarget {
  /** host:port, as grpc-js takes it. */
  address: string;
  secure: boolean;
  /** grpc://host:port or grpcs://host:port. */
  origin: string;
}

/**
 * `grpc://host:port` (plaintext, h2c) or `grpcs://host:port` (TLS); the
 * `http`/`https` spellings mean the same. A gRPC endpoint has no path.
 */
export function parseGrpcUrl(url: string): GrpcTarget {
  const parsed = new URL(url);
  const scheme = parsed.protocol.slice(0, -1);
  const hint =
    'give the gRPC address itself (grpc://host:port or grpcs://host:port); the API server service proxy cannot carry gRPC';
  if (!['grpc', 'grpcs', 'http', 'https'].includes(scheme)) {
    throw new UserError(`${parsed.origin} is not a gRPC endpoint (${scheme}://)`, { hint });
  }
  if (parsed.pathname !== '' && parsed.pathname !== '/') {
    throw new UserError(
      `a gRPC endpoint has no path, but ${scheme}://${parsed.host} comes with '${parsed.pathname}': the protocol fixes the path of each call`,
      { hint },
    );
  }
  const secure = scheme === 'grpcs' || scheme === 'https';
  const port = parsed.port || (secure ? '443' : '80');
  const address = `${parsed.hostname}:${port}`;
  return { address, secure, origin: `${secure ? 'grpcs' : 'grpc'}://${address}` };
}

/**
 * grpc-js reads only `grpc_proxy`, `https_proxy`, `http_proxy` and `no_proxy`;
 * runners set either spelling, and the REST side honours both.
 */
function lowerCaseProxyVariables(): void {
  for (const name of ['https_proxy', 'http_proxy', 'no_proxy']) {
    const upper = process.env[name.toUpperCase()];
    if (process.env[name] === undefined && upper !== undefined) process.env[name] = upper;
  }
}

/** Headers that are HTTP/2 or gRPC machinery: grpc-js sets them itself. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'te',
  'host',
  'user-agent',
  'content-length',
  'connection',
]);

function metadataOf(headers: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (RESERVED_HEADERS.has(key) || key.startsWith('grpc-')) continue;
    try {
      if (key.endsWith('-bin')) metadata.add(key, Buffer.from(value, 'base64'));
      else metadata.add(key, value);
    } catch (err) {
      throw new UserError(
        `the header '${name}' cannot be sent as gRPC metadata: ${(err as Error).message}`,
        {
          hint: 'gRPC metadata keys are lower-case letters, digits, `-`, `_` and `.`, and values printable ASCII',
          cause: err,
        },
      );
    }
  }
  return metadata;
}

/** Status codes by number, as gRPC names them. */
const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(grpc.status)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => [value as number, name]),
);

export function grpcStatusName(code: number): string {
  return CODE_NAMES[code] ?? `code ${code}`;
}

/** Node's codes for a refused certificate, as grpc-js reports them only in words. */
const TLS_WORDS: Array<[RegExp, string]> = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/does not match certificate's altnames|altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
];

/**
 * A call that got no answer from the server: the connection failed or the
 * deadline passed before anything came back. Carries a Node-style `code`
 * (ECONNREFUSED, a TLS certificate code, DEADLINE_EXCEEDED) so it is told
 * and retried like an HTTP network failure.
 */
export class GrpcNoAnswer extends Error {
  readonly code: string;

  constructor(origin: string, status: grpc.StatusObject, timeoutMs: number) {
    const details = status.details.replace(/\s+/g, ' ').trim();
    const tls = TLS_WORDS.find(([words]) => words.test(details))?.[1];
    const deadline = status.code === grpc.status.DEADLINE_EXCEEDED;
    const code =
      tls ??
      (deadline
        ? 'DEADLINE_EXCEEDED'
        : (/\b(E[A-Z]{3,})\b/.exec(details)?.[1] ?? grpcStatusName(status.code)));
    // grpc-js words a failed connection "No connection established. Last error: Error: <reason>".
    const reason = (/Last error: (?:Error: )?(.*)$/.exec(details)?.[1] ?? details)
      .replace(/; if the root CA is installed locally.*$/, '')
      .trim();
    super(
      deadline
        ? `${origin} gave no answer within the timeout (${timeoutMs} ms)`
        : // A refused certificate is reported with the server's name by whoever catches it.
          tls !== undefined
          ? reason
          : `${origin}: ${reason || grpcStatusName(status.code)}`,
    );
    this.name = 'GrpcNoAnswer';
    this.code = code;
  }
}

interface Prepared {
  path: string;
  payload: Buffer;
}

interface CallOutcome {
  status: grpc.StatusObject;
  /** The response message, undecoded; undefined when the call failed. */
  payload: Buffer | undefined;
}

export class GrpcClient implements SmokeTransport {
  readonly kind = 'grpc';
  readonly origin: string;
  private readonly client: grpc.Client;
  private readonly metadata: grpc.Metadata;
  private readonly timeoutMs: number;
  private readonly root = serviceRoot();

  constructor(endpoint: Endpoint, options: { timeoutMs: number }) {
    const target = parseGrpcUrl(endpoint.baseUrl);
    lowerCaseProxyVariables();
    this.origin = target.origin;
    this.timeoutMs = options.timeoutMs;
    this.metadata = metadataOf(endpoint.headers);
    const tls = endpoint.tls ?? {};
    const credentials = target.secure
      ? grpc.credentials.createSsl(
          tls.ca === undefined ? null : Buffer.from(tls.ca),
          tls.key === undefined ? null : Buffer.from(tls.key),
          tls.cert === undefined ? null : Buffer.from(tls.cert),
          tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {},
        )
      : grpc.credentials.createInsecure();
    this.client = new grpc.Client(target.address, credentials, {
      // A server that is starting is probed again soon: grpc-js would otherwise
      // back off to two minutes between connection attempts.
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': 5000,
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
      'grpc.max_send_message_length': 256 * 1024 * 1024,
    });
  }

  isSuccess(status: number): boolean {
    return status === grpc.status.OK;
  }

  describeStatus(status: number): string {
    return grpcStatusName(status);
  }

  describeCall(request: { path: string }): string {
    return request.path.replace(/^\//, '');
  }

  isTransient(status: number): boolean {
    return [
      grpc.status.UNAVAILABLE,
      grpc.status.RESOURCE_EXHAUSTED,
      grpc.status.ABORTED,
      grpc.status.DEADLINE_EXCEEDED,
    ].includes(status);
  }

  isServerFault(status: number): boolean {
    return [
      grpc.status.UNKNOWN,
      grpc.status.INTERNAL,
      grpc.status.UNAVAILABLE,
      grpc.status.DATA_LOSS,
      grpc.status.DEADLINE_EXCEEDED,
      grpc.status.UNIMPLEMENTED,
    ].includes(status);
  }

  private method(path: string): protobuf.Method {
    const match = /^\/([\w.]+)\/(\w+)$/.exec(path);
    const service = match ? this.root.lookup(match[1]!) : null;
    const method = service instanceof protobuf.Service ? service.methods[match![2]!] : undefined;
    if (method === undefined) throw new Error(`no gRPC method ${path} is declared`);
    return method;
  }

  private encode(request: HttpRequest): Prepared {
    const type = this.method(request.path).resolvedRequestType!;
    const object: unknown = request.body === undefined ? {} : JSON.parse(request.body);
    try {
      const message = type.fromObject(object as Record<string, unknown>);
      return { path: request.path, payload: Buffer.from(type.encode(message).finish()) };
    } catch (err) {
      // Only a request given as the message itself can be malformed here.
      throw new UserError(
        `the request is not a valid ${type.fullName.replace(/^\./, '')}: ${(err as Error).message}`,
        {
          hint: 'write `request` in the REST form of the protocol, or as the message with its .proto field names (bytes as base64)',
          cause: err,
        },
      );
    }
  }

  private call(prepared: Prepared): Promise<CallOutcome> {
    return new Promise((resolve, reject) => {
      let answered = false;
      let payload: Buffer | undefined;
      const call = this.client.makeUnaryRequest<Buffer, Buffer>(
        prepared.path,
        (message) => message,
        (bytes) => bytes,
        prepared.payload,
        this.metadata.clone(),
        { deadline: Date.now() + this.timeoutMs },
        (err, value) => {
          if (err === null) payload = value;
        },
      );
      call.on('metadata', () => (answered = true));
      call.on('status', (status: grpc.StatusObject) => {
        // A server that refuses a call may answer with trailers alone (which
        // carry at least its content-type), so only a status grpc-js made up
        // itself, for a missing connection or a passed deadline, is no answer.
        const noAnswer =
          !answered &&
          (status.code === grpc.status.UNAVAILABLE ||
            status.code === grpc.status.DEADLINE_EXCEEDED) &&
          Object.keys(status.metadata.getMap()).length === 0;
        if (noAnswer) reject(new GrpcNoAnswer(this.origin, status, this.timeoutMs));
        else resolve({ status, payload });
      });
    });
  }

  async send(request: HttpRequest): Promise<HttpResult> {
    const method = this.method(request.path);
    const prepared = this.encode(request);
    const started = performance.now();
    const outcome = await this.call(prepared);
    const durationMs = performance.now() - started;
    let text: string;
    if (outcome.status.code === grpc.status.OK && outcome.payload !== undefined) {
      const type = method.resolvedResponseType!;
      text = JSON.stringify(type.toObject(type.decode(outcome.payload), TO_JSON));
    } else {
      text = outcome.status.details;
    }
    return {
      method: request.method,
      path: request.path,
      status: outcome.status.code,
      contentType: outcome.status.code === grpc.status.OK ? 'application/json' : 'text/plain',
      text,
      durationMs,
    };
  }

  prepare(request: HttpRequest): PreparedRequest {
    return this.encode(request) as unknown as PreparedRequest;
  }

  async status(prepared: PreparedRequest): Promise<number> {
    const outcome = await this.call(prepared as unknown as Prepared);
    return outcome.status.code;
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
