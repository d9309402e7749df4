import type { HttpRequest, HttpResult, PreparedRequest } from './http-client.ts';

/**
 * How the smoke test reaches the model server: HTTP/1.1 for the REST
 * protocols, gRPC for the others. A gRPC call is an HTTP/2 POST to
 * `/<package>.<Service>/<Method>`, so both speak in `HttpRequest`s: for gRPC
 * the body is the request message as JSON (proto field names, bytes as
 * base64) and the result's text is the response message the same way, or
 * the status details when the call failed. Network failures throw; any
 * answer of the server resolves, with its status.
 */
export interface SmokeTransport {
  readonly kind: 'http' | 'grpc';
  /** scheme://host:port, to name the server in messages (never carries a token). */
  readonly origin: string;
  send(request: HttpRequest): Promise<HttpResult>;
  /** Builds a request once for the load phase, where it is sent many times. */
  prepare(request: HttpRequest): PreparedRequest;
  /** The load phase's request: the status only, the answer discarded. */
  status(prepared: PreparedRequest): Promise<number>;
  /** Whether a status is success when `expect` names none: 2xx, or gRPC OK. */
  isSuccess(status: number): boolean;
  /** A status in words for messages: `404`, or `NOT_FOUND`. */
  describeStatus(status: number): string;
  /** A call in words for messages: `POST /v2/models/m/infer`, or `inference.GRPCInferenceService/ModelInfer`. */
  describeCall(request: { method: string; path: string }): string;
  /** Whether a refusal is worth another try (5xx and 429, or UNAVAILABLE…). */
  isTransient(status: number): boolean;
  /** Whether a refusal is the server failing rather than judging the request (5xx, or INTERNAL…). */
  isServerFault(status: number): boolean;
  close(): Promise<void>;
}

/** The status words of HTTP, as the REST protocols have always been reported. */
export const HTTP_STATUS = {
  isSuccess: (status: number) => status >= 200 && status < 300,
  describeStatus: (status: number) => String(status),
  describeCall: (request: { method: string; path: string }) => `${request.method} ${request.path}`,
  isTransient: (status: number) => status >= 500 || status === 429,
  isServerFault: (status: number) => status >= 500,
} as const;

/** A status with its kind, for counts and examples: `HTTP 503`, or `gRPC UNAVAILABLE`. */
export function statusLabel(transport: SmokeTransport, status: number): string {
  return `${transport.kind === 'grpc' ? 'gRPC' : 'HTTP'} ${transport.describeStatus(status)}`;
}
