import type { HttpRequest, HttpResult, SmokeClient } from '../http-client.ts';

export const PROTOCOL_NAMES = ['v2', 'tfserving', 'torchserve', 'openai', 'http'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

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
  client: SmokeClient;
  /** TorchServe's management API, when given. */
  management: SmokeClient | undefined;
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
}

/** Thrown when a protocol cannot build or read something; the message names what and why. */
export class ProtocolError extends Error {
  /** The HTTP status when the server refused, so a 5xx can be told from a wrong model. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'ProtocolError';
    this.status = status;
  }
}
