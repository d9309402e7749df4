import { excerpt, type HttpRequest, type HttpResult } from '../http-client.ts';
import { shapeOf } from './json-outputs.ts';
import {
  decodeRaw,
  encodeRaw,
  flattenElements,
  fromHalfBits,
  numbersOf,
  toHalfBits,
  type Element,
} from './tensor-bytes.ts';
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
import {
  askedVersion,
  readiness,
  sampleColumns,
  servedVersions,
  signatureSpecs,
  SIGNATURE,
  type VersionStatus,
} from './tfserving-model.ts';

/**
 * TensorFlow Serving over gRPC: readiness from ModelService.GetModelStatus
 * (a version AVAILABLE), the serving_default signature from
 * PredictionService.GetModelMetadata, inference with
 * PredictionService.Predict. The request may be written as for the REST API
 * (`{"instances": …}` rows or `{"inputs": …}` columns), and each input goes
 * as a TensorProto of the signature's dtype, in the typed field or as raw
 * `tensor_content`; a request whose inputs are TensorProtos already is sent
 * as it is. Outputs are named by their signature aliases.
 */
const PREDICTION = '/tensorflow.serving.PredictionService';
const MODEL = '/tensorflow.serving.ModelService';

interface DtypeInfo {
  /** The Open Inference Protocol name, for raw bytes. */
  datatype: string;
  /** The TensorProto field of the typed representation. */
  field: string;
}

const DTYPES: Readonly<Record<string, DtypeInfo>> = {
  DT_FLOAT: { datatype: 'FP32', field: 'float_val' },
  DT_DOUBLE: { datatype: 'FP64', field: 'double_val' },
  DT_INT32: { datatype: 'INT32', field: 'int_val' },
  DT_UINT8: { datatype: 'UINT8', field: 'int_val' },
  DT_INT16: { datatype: 'INT16', field: 'int_val' },
  DT_INT8: { datatype: 'INT8', field: 'int_val' },
  DT_UINT16: { datatype: 'UINT16', field: 'int_val' },
  DT_STRING: { datatype: 'BYTES', field: 'string_val' },
  DT_INT64: { datatype: 'INT64', field: 'int64_val' },
  DT_BOOL: { datatype: 'BOOL', field: 'bool_val' },
  DT_HALF: { datatype: 'FP16', field: 'half_val' },
  DT_UINT32: { datatype: 'UINT32', field: 'uint32_val' },
  DT_UINT64: { datatype: 'UINT64', field: 'uint64_val' },
};

function request(path: string, message: object): HttpRequest {
  return { method: 'POST', path, body: JSON.stringify(message) };
}

async function call(context: ProtocolContext, path: string, message: object) {
  const result = await context.client.send(request(path, message));
  context.record(result);
  return {
    result,
    body: result.status === 0 ? (JSON.parse(result.text) as Record<string, unknown>) : {},
  };
}

function refused(context: ProtocolContext, result: HttpResult): string {
  return `${context.client.describeCall(result)} answered ${context.client.describeStatus(result.status)}: ${excerpt(result.text, 120)}`;
}

/** TF Serving versions are numbers; anything else cannot be asked for. */
function versionSpec(version: string | undefined): Record<string, unknown> {
  return version !== undefined && /^\d+$/.test(version)
    ? { version: { value: Number(version) } }
    : {};
}

/** Whether a value is a TensorProto already (protobuf JSON) rather than nested numbers. */
function isTensorProto(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'dtype' in value;
}

function inferDtype(values: Element[]): string {
  if (values.every((v) => typeof v === 'boolean')) return 'DT_BOOL';
  if (values.every((v) => typeof v === 'string')) return 'DT_STRING';
  return 'DT_FLOAT';
}

/** One input as a TensorProto, typed or raw. Strings have no raw form in TensorFlow's encoding. */
export function tensorProto(
  alias: string,
  value: unknown,
  shape: number[],
  dtype: string | undefined,
  contents: GrpcContents,
): Record<string, unknown> {
  const values = flattenElements(value, `the input '${alias}'`);
  const type = dtype ?? inferDtype(values);
  const info = DTYPES[type];
  if (info === undefined) {
    throw new ProtocolError(
      `the input '${alias}' has the dtype ${type}, which smoke-test cannot encode (${Object.keys(DTYPES).join(', ')})`,
    );
  }
  const head = { dtype: type, tensor_shape: { dim: shape.map((size) => ({ size })) } };
  if (contents === 'raw' && type !== 'DT_STRING') {
    return { ...head, tensor_content: encodeRaw(info.datatype, values).toString('base64') };
  }
  const typed = values.map((v): unknown => {
    if (type === 'DT_STRING') return Buffer.from(String(v), 'utf8').toString('base64');
    if (type === 'DT_BOOL') return Boolean(v);
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ProtocolError(
        `the ${type} input '${alias}' holds the non-number ${JSON.stringify(v)}`,
      );
    }
    const n = typeof v === 'boolean' ? Number(v) : v;
    return type === 'DT_HALF' ? toHalfBits(n) : n;
  });
  return { ...head, [info.field]: typed };
}

/**
 * A PredictRequest from the REST forms: `instances` (rows; objects of
 * named inputs, or values of the one input) or `inputs` (columns; an object
 * of named inputs, or the one input's value).
 */
export function predictRequest(
  target: Target,
  body: unknown,
  metadata: ServedMetadata | undefined,
  contents: GrpcContents,
): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProtocolError('the request must be a JSON object with `instances` or `inputs`');
  }
  const rest = body as { instances?: unknown; inputs?: unknown; signature_name?: unknown };
  const signature = typeof rest.signature_name === 'string' ? rest.signature_name : SIGNATURE;
  const model_spec = {
    name: target.model ?? '',
    signature_name: signature,
    ...versionSpec(target.version),
  };
  const declared = new Map((metadata?.inputs ?? []).map((i) => [i.name, i.datatype]));
  const only = () => {
    if (metadata?.inputs?.length === 1) return metadata.inputs[0]!.name;
    throw new ProtocolError(
      `the request gives one unnamed input, but the ${signature} signature declares ${
        metadata?.inputs
          ? metadata.inputs.map((i) => `'${i.name}'`).join(', ') || 'no inputs'
          : 'no inputs that smoke-test could read'
      }: name each input`,
    );
  };
  const columns = new Map<string, unknown>();
  if (rest.instances !== undefined) {
    if (!Array.isArray(rest.instances) || rest.instances.length === 0) {
      throw new ProtocolError('`instances` must be a non-empty array');
    }
    const rows = rest.instances as unknown[];
    if (rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      for (const row of rows as Array<Record<string, unknown>>) {
        for (const [alias, cell] of Object.entries(row)) {
          columns.set(alias, [...((columns.get(alias) as unknown[]) ?? []), cell]);
        }
      }
    } else {
      columns.set(only(), rows);
    }
  } else if (rest.inputs !== undefined) {
    if (rest.inputs !== null && typeof rest.inputs === 'object' && !Array.isArray(rest.inputs)) {
      for (const [alias, value] of Object.entries(rest.inputs)) columns.set(alias, value);
    } else {
      columns.set(only(), rest.inputs);
    }
  } else {
    throw new ProtocolError('the request has neither `instances` nor `inputs`');
  }
  const inputs = Object.fromEntries(
    [...columns].map(([alias, value]) => [
      alias,
      isTensorProto(value)
        ? value
        : tensorProto(alias, value, shapeOf(value), declared.get(alias), contents),
    ]),
  );
  return { model_spec, inputs };
}

/** An output TensorProto's values; a single typed value fills the whole shape (TensorFlow's rule). */
function outputTensor(alias: string, tensor: Record<string, unknown>): OutputTensor {
  const dtype = String(tensor.dtype ?? '');
  const dims = (tensor.tensor_shape as { dim?: Array<{ size?: unknown }> } | undefined)?.dim ?? [];
  const shape = dims.map((d) => Number(d.size ?? 0));
  const info = DTYPES[dtype];
  let values: unknown[] = [];
  if (
    info !== undefined &&
    typeof tensor.tensor_content === 'string' &&
    tensor.tensor_content !== ''
  ) {
    values = decodeRaw(info.datatype, Buffer.from(tensor.tensor_content, 'base64'));
  } else if (info !== undefined && Array.isArray(tensor[info.field])) {
    values = tensor[info.field] as unknown[];
    if (dtype === 'DT_HALF') values = values.map((bits) => fromHalfBits(Number(bits)));
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length === 1 && size > 1) values = Array.from({ length: size }, () => values[0]);
  }
  return { name: alias, data: numbersOf(values) ?? [], shape };
}

async function versionStatuses(context: ProtocolContext, target: Target) {
  const status = await call(context, `${MODEL}/GetModelStatus`, {
    model_spec: { name: target.model ?? '' },
  });
  return {
    result: status.result,
    versions: (status.body.model_version_status ?? []) as VersionStatus[],
  };
}

async function probe(context: ProtocolContext, target: Target): Promise<Readiness> {
  const { result, versions } = await versionStatuses(context, target);
  if (result.status !== 0) return { ready: false, detail: refused(context, result) };
  return readiness(versions);
}

async function metadata(context: ProtocolContext, target: Target): Promise<ServedMetadata> {
  const { result, body } = await call(context, `${PREDICTION}/GetModelMetadata`, {
    model_spec: { name: target.model ?? '' },
    metadata_field: ['signature_def'],
  });
  if (result.status !== 0) {
    throw new ProtocolError(`model metadata: ${refused(context, result)}`, result.status);
  }
  const spec = body.model_spec as { name?: unknown; version?: { value?: unknown } } | undefined;
  const map = (body.metadata as { signature_def?: { signature_def?: Record<string, unknown> } })
    ?.signature_def?.signature_def;
  const signature = map?.[SIGNATURE] as { inputs?: unknown; outputs?: unknown } | undefined;
  // GetModelStatus lists every loaded version; the metadata names only the latest.
  const status = await versionStatuses(context, target);
  return {
    name: typeof spec?.name === 'string' ? spec.name : undefined,
    versions: servedVersions(status.versions, spec?.version?.value),
    inputs: signatureSpecs(signature?.inputs),
    outputs: signatureSpecs(signature?.outputs),
  };
}

/** Whether a request's inputs are TensorProtos already, to be sent as they are. */
function isProtobufForm(body: unknown): body is { inputs: object } {
  const given = body as { inputs?: unknown } | null;
  return (
    given !== null &&
    typeof given === 'object' &&
    given.inputs !== null &&
    typeof given.inputs === 'object' &&
    !Array.isArray(given.inputs) &&
    Object.values(given.inputs as object).length > 0 &&
    Object.values(given.inputs as object).every(isTensorProto)
  );
}

function readOutputs(body: unknown): ModelOutputs {
  const response = body as {
    outputs?: unknown;
    model_spec?: { version?: { value?: unknown } };
  };
  if (
    response === null ||
    typeof response !== 'object' ||
    response.outputs === null ||
    typeof response.outputs !== 'object'
  ) {
    throw new ProtocolError('the Predict response has no outputs');
  }
  const tensors = Object.entries(response.outputs as Record<string, Record<string, unknown>>).map(
    ([alias, tensor]) => outputTensor(alias, tensor),
  );
  const outputs: ModelOutputs = { tensors };
  const version = response.model_spec?.version?.value;
  if (version !== undefined) outputs.version = String(version);
  return outputs;
}

export function grpcTensorflowServing(contents: GrpcContents): Protocol {
  return {
    name: 'tfserving-grpc',
    transport: 'grpc',
    needsModel: true,
    probe,
    metadata,
    inferenceRequest(target, body, served) {
      const asked = { model: target.model, version: askedVersion(target, served) };
      const path = `${PREDICTION}/Predict`;
      if (body === undefined) {
        const columns = { inputs: sampleColumns(served) };
        return request(path, predictRequest(asked, columns, served, contents));
      }
      if (isProtobufForm(body)) {
        const model_spec = {
          name: asked.model ?? '',
          signature_name: SIGNATURE,
          ...versionSpec(asked.version),
        };
        return request(path, { model_spec, ...body });
      }
      return request(path, predictRequest(asked, body, served, contents));
    },
    readOutputs,
  };
}
