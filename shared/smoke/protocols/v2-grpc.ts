import { excerpt, type HttpRequest, type HttpResult } from '../http-client.ts';
import { decodeRaw, encodeRaw, flattenElements, numbersOf, type Element } from './tensor-bytes.ts';
import {
  ProtocolError,
  type GrpcContents,
  type ModelOutputs,
  type OutputTensor,
  type Protocol,
  type ProtocolContext,
  type ServedMetadata,
  type Readiness,
  type Target,
} from './types.ts';
import { sampleInputs, servedMetadata, servesVersion } from './open-inference.ts';

/**
 * The Open Inference Protocol over gRPC (`inference.GRPCInferenceService`):
 * readiness from ServerReady and ModelReady, the signature from
 * ModelMetadata, inference with ModelInfer. The request may be written as
 * for the REST protocol (`{"inputs": [{"name", "shape", "datatype",
 * "data"}]}`), and is sent with typed contents or raw bytes as asked; a
 * request written as the protobuf message itself (with `contents` or
 * `raw_input_contents`) is sent as it is.
 */
const SERVICE = '/inference.GRPCInferenceService';

/** The InferTensorContents field of each datatype. */
const CONTENTS_FIELD: Readonly<Record<string, string>> = {
  BOOL: 'bool_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

export function rpc(method: string, message: object): HttpRequest {
  return { method: 'POST', path: `${SERVICE}/${method}`, body: JSON.stringify(message) };
}

async function call(context: ProtocolContext, method: string, message: object) {
  const result = await context.client.send(rpc(method, message));
  context.record(result);
  return { result, body: result.status === 0 ? parse(result) : {} };
}

function parse(result: HttpResult): Record<string, unknown> {
  return JSON.parse(result.text) as Record<string, unknown>;
}

function refused(context: ProtocolContext, method: string, result: HttpResult): string {
  return `${method} answered ${context.client.describeStatus(result.status)}: ${excerpt(result.text, 120)}`;
}

/** A REST-style parameter value as an InferParameter. */
function inferParameter(value: unknown): Record<string, unknown> {
  if (typeof value === 'boolean') return { bool_param: value };
  if (typeof value === 'number' && Number.isInteger(value)) return { int64_param: value };
  return { string_param: typeof value === 'string' ? value : JSON.stringify(value) };
}

function parameters(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferParameter(v)]));
}

interface RestInput {
  name?: unknown;
  datatype?: unknown;
  shape?: unknown;
  data?: unknown;
  parameters?: unknown;
}

/** Whether a request is already the protobuf message's JSON rather than the REST form. */
function isProtobufForm(body: Record<string, unknown>): boolean {
  return (
    body.raw_input_contents !== undefined ||
    (Array.isArray(body.inputs) &&
      body.inputs.some((i: unknown) => i !== null && typeof i === 'object' && 'contents' in i))
  );
}

/**
 * A ModelInferRequest from the REST form of an inference request. FP16 has
 * no typed field, so a request with an FP16 input is sent raw.
 */
export function modelInferRequest(
  target: Target,
  body: unknown,
  contents: GrpcContents,
): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProtocolError('the request must be a JSON object with `inputs`');
  }
  const request = body as Record<string, unknown>;
  const head: Record<string, unknown> = {
    model_name: target.model ?? '',
    ...(target.version === undefined ? {} : { model_version: target.version }),
  };
  if (isProtobufForm(request)) return { ...head, ...request };
  if (!Array.isArray(request.inputs) || request.inputs.length === 0) {
    throw new ProtocolError('the request has no `inputs` array');
  }
  const inputs = (request.inputs as RestInput[]).map((input, index) => {
    const name = typeof input.name === 'string' ? input.name : '';
    const datatype = typeof input.datatype === 'string' ? input.datatype.toUpperCase() : '';
    if (name === '' || datatype === '' || !Array.isArray(input.shape)) {
      throw new ProtocolError(`input ${index} needs a name, a datatype and a shape`);
    }
    if (datatype !== 'FP16' && CONTENTS_FIELD[datatype] === undefined) {
      throw new ProtocolError(`input '${name}' has the unknown datatype '${datatype}'`);
    }
    return {
      name,
      datatype,
      shape: input.shape.map(Number),
      data: flattenElements(input.data ?? [], `the data of input '${name}'`),
      parameters: parameters(input.parameters),
    };
  });
  const raw = contents === 'raw' || inputs.some((i) => i.datatype === 'FP16');
  const message: Record<string, unknown> = {
    ...head,
    ...(typeof request.id === 'string' ? { id: request.id } : {}),
    inputs: inputs.map((input) => ({
      name: input.name,
      datatype: input.datatype,
      shape: input.shape,
      ...(input.parameters === undefined ? {} : { parameters: input.parameters }),
      ...(raw ? {} : { contents: typedContents(input.datatype, input.data) }),
    })),
  };
  if (raw) {
    message.raw_input_contents = inputs.map((input) =>
      encodeRaw(input.datatype, input.data).toString('base64'),
    );
  }
  const requestParameters = parameters(request.parameters);
  if (requestParameters !== undefined) message.parameters = requestParameters;
  if (Array.isArray(request.outputs)) {
    message.outputs = (request.outputs as Array<{ name?: unknown; parameters?: unknown }>).map(
      (output) => ({
        name: String(output.name ?? ''),
        ...(parameters(output.parameters) === undefined
          ? {}
          : { parameters: parameters(output.parameters) }),
      }),
    );
  }
  return message;
}

function typedContents(datatype: string, data: Element[]): Record<string, unknown> {
  const field = CONTENTS_FIELD[datatype]!;
  if (datatype === 'BYTES') {
    return { [field]: data.map((d) => Buffer.from(String(d), 'utf8').toString('base64')) };
  }
  if (datatype === 'BOOL') return { [field]: data.map(Boolean) };
  return {
    [field]: data.map((d) => {
      if (typeof d === 'boolean') return d ? 1 : 0;
      if (typeof d !== 'number') {
        throw new ProtocolError(`a ${datatype} input holds the non-number ${JSON.stringify(d)}`);
      }
      return d;
    }),
  };
}

function outputTensor(
  output: { name?: unknown; datatype?: unknown; shape?: unknown; contents?: unknown },
  raw: string | undefined,
  index: number,
): OutputTensor {
  const name = typeof output.name === 'string' ? output.name : `output ${index}`;
  const datatype = typeof output.datatype === 'string' ? output.datatype.toUpperCase() : '';
  const shape = Array.isArray(output.shape) ? output.shape.map(Number) : [];
  let values: unknown[] = [];
  if (raw !== undefined) {
    values = decodeRaw(datatype, Buffer.from(raw, 'base64'));
  } else if (output.contents !== null && typeof output.contents === 'object') {
    const field = CONTENTS_FIELD[datatype];
    const typed =
      field === undefined ? undefined : (output.contents as Record<string, unknown>)[field];
    values = Array.isArray(typed) ? typed : [];
  }
  return { name, data: numbersOf(values) ?? [], shape };
}

async function probe(context: ProtocolContext, target: Target): Promise<Readiness> {
  const server = await call(context, 'ServerReady', {});
  if (server.result.status !== 0) {
    return { ready: false, detail: refused(context, 'ServerReady', server.result) };
  }
  if (server.body.ready !== true)
    return { ready: false, detail: 'ServerReady answered ready: false' };
  const name = target.model ?? '';
  const asked = { name, ...(target.version === undefined ? {} : { version: target.version }) };
  let model = await call(context, 'ModelReady', asked);
  // A wrong version must not look like "never ready": fall back to the model itself.
  if (target.version !== undefined && (model.result.status !== 0 || model.body.ready !== true)) {
    const any = await call(context, 'ModelReady', { name });
    if (any.result.status === 0 && any.body.ready === true) model = any;
  }
  if (model.result.status !== 0) {
    return { ready: false, detail: refused(context, 'ModelReady', model.result) };
  }
  const which = `'${name}'${target.version === undefined ? '' : ` version ${target.version}`}`;
  return model.body.ready === true
    ? { ready: true, detail: `ModelReady ${which} answered ready: true` }
    : { ready: false, detail: `ModelReady ${which} answered ready: false` };
}

async function metadata(context: ProtocolContext, target: Target): Promise<ServedMetadata> {
  const name = target.model ?? '';
  // Asking for the version itself says whether it is served (see the REST protocol).
  if (target.version !== undefined) {
    const versioned = await call(context, 'ModelMetadata', { name, version: target.version });
    if (versioned.result.status === 0) {
      return { ...servedMetadata(versioned.body, []), versionServed: true };
    }
    if (context.client.isTransient(versioned.result.status)) {
      throw new ProtocolError(
        `model metadata: ${refused(context, 'ModelMetadata', versioned.result)}`,
        versioned.result.status,
      );
    }
  }
  const { result, body } = await call(context, 'ModelMetadata', { name });
  if (result.status !== 0) {
    throw new ProtocolError(
      `model metadata: ${refused(context, 'ModelMetadata', result)}`,
      result.status,
    );
  }
  return servedMetadata(body, []);
}

function readOutputs(body: unknown): ModelOutputs {
  const response = body as {
    model_name?: unknown;
    model_version?: unknown;
    outputs?: unknown;
    raw_output_contents?: unknown;
  };
  if (response === null || typeof response !== 'object' || !Array.isArray(response.outputs)) {
    throw new ProtocolError('the ModelInfer response has no outputs');
  }
  const raw = Array.isArray(response.raw_output_contents)
    ? (response.raw_output_contents as string[])
    : [];
  const tensors = response.outputs.map((output, index) =>
    outputTensor(output as Record<string, unknown>, raw.length > 0 ? raw[index] : undefined, index),
  );
  const outputs: ModelOutputs = { tensors };
  if (typeof response.model_name === 'string') outputs.model = response.model_name;
  if (typeof response.model_version === 'string' && response.model_version !== '') {
    outputs.version = response.model_version;
  }
  return outputs;
}

export function grpcOpenInference(contents: GrpcContents): Protocol {
  return {
    name: 'v2-grpc',
    transport: 'grpc',
    needsModel: true,
    probe,
    metadata,
    inferenceRequest(target, body, served) {
      const asked = {
        model: target.model,
        version: servesVersion(target, served) ? target.version : undefined,
      };
      const message = body ?? sampleInputs(served);
      return rpc('ModelInfer', modelInferRequest(asked, message, contents));
    },
    readOutputs,
  };
}
