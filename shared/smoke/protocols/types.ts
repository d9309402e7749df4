import type { HttpRequest, HttpResult } from '../http-client.ts';
import type { SmokeTransport } from '../transport.ts';

export const PROTOCOL_NAMES = [
  'v2',
  'v2-grpc',
  'tfserving',
  'tfserving-grpc',
  'torchserve',
  'openai',
  'http',
] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** The protocols spoken over gRPC rather than HTTP/1.1. */
export const GRPC_PROTOCOLS: readonly ProtocolName[] = ['v2-grpc', 'tfserving-grpc'];

export function isGrpcProtocol(name: ProtocolName): boolean {
  return GRPC_PROTOCOLS.includes(name);
}

/**
 * How a gRPC request carries tensor data: `typed` in the datatype's repeated
 * field (InferTensorContents, TensorProto's float_val…), or `raw` bytes
 * (raw_input_contents, tensor_content).
 */
export const GRPC_CONTENTS = ['typed', 'raw'] as const;
export type GrpcContents = (typeof GRPC_CONTENTS)[number];

/** A declared input or output: `-1` in a shape is a dimension of any size. */
export interface TensorSpec {
  name: string;
  datatype: string;
  shape: number[];
}

/** What the server says it serves. */
export interface ServedMetadata {
  name: string | undefined;
  versions: string[];
  inputs: TensorSpec[] | undefined;
  outputs: TensorSpec[] | undefined;
  /**
   * True when the server answered for the requested version itself (a
   * versioned metadata request): the version is served even when `versions`
   * does not list it (MLServer lists its dependencies' versions there).
   */
  versionServed?: boolean;
}

/** One output of the model, flattened, with class labels when the server names them. */
export interface OutputTensor {
  name: string;
  data: number[];
  shape?: number[];
  labels?: string[];
}

/** An inference response read into a protocol-neutral form. */
export interface ModelOutputs {
  tensors: OutputTensor[];
  /** Generated text (OpenAI-compatible) or a plain-text body. */
  text?: string;
  /** The model (and version) the response says answered, when the protocol reports it. */
  model?: string;
  version?: string;
}

export interface Target {
  model: string | undefined;
  version: string | undefined;
}

export interface ProtocolContext {
  client: SmokeTransport;
  /** TorchServe's management API, when given. */
  management: SmokeTransport | undefined;
  /** Every response, for validation against an OpenAPI document. */
  record(result: HttpResult): void;
}

export type Readiness = { ready: true; detail: string } | { ready: false; detail: string };

export interface PlainHttpSettings {
  method: HttpRequest['method'];
  path: string;
  readyPath: string | undefined;
}

export interface Protocol {
  readonly name: ProtocolName;
  /** What `ProtocolContext.client` speaks for this protocol. */
  readonly transport: SmokeTransport['kind'];
  /** Whether `model` must be given for this protocol. */
  readonly needsModel: boolean;
  /** One readiness probe. Network failures throw; a server that answers "not yet" resolves ready: false. */
  probe(context: ProtocolContext, target: Target): Promise<Readiness>;
  /** The served metadata, or undefined when the protocol (or its configuration) has none to offer. */
  metadata(context: ProtocolContext, target: Target): Promise<ServedMetadata | undefined>;
  /** The inference request: the user's body when given, else a default built from the metadata. */
  inferenceRequest(
    target: Target,
    body: unknown,
    metadata: ServedMetadata | undefined,
  ): HttpRequest;
  readOutputs(body: unknown): ModelOutputs;
  /**
   * Another request to try when the default one was refused in a way that
   * says the model cannot take that kind of request (a base LLM without a
   * chat template): the request and why, or undefined to keep the failure.
   */
  fallback?(
    refused: { request: HttpRequest; status: number; text: string },
    target: Target,
    body: unknown,
    metadata: ServedMetadata | undefined,
  ): { request: HttpRequest; why: string } | undefined;
}

/** Thrown when a protocol cannot build or read something; the message names what and why. */
export class ProtocolError extends Error {
  /** The status (HTTP, or gRPC) when the server refused, so a server fault can be told from a wrong model. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'ProtocolError';
    this.status = status;
  }
}
