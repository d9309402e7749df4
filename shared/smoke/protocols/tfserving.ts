import { parseJsonBody, excerpt, type HttpResult } from '../http-client.ts';
import { flattenNumbers, shapeOf } from './json-outputs.ts';
import {
  ProtocolError,
  type ModelOutputs,
  type OutputTensor,
  type Protocol,
  type ProtocolContext,
  type ServedMetadata,
  type Target,
  type TensorSpec,
} from './types.ts';

/**
 * TensorFlow Serving's REST API: model status lists each version with a
 * state (AVAILABLE when it serves), metadata carries the signature defs, and
 * predict answers `{"predictions"}` for the row format (`instances`) and
 * `{"outputs"}` for the columnar one (`inputs`).
 */
const SIGNATURE = 'serving_default';

function modelPath(target: Target): string {
  return `/v1/models/${encodeURIComponent(target.model ?? '')}`;
}

async function get(context: ProtocolContext, path: string): Promise<HttpResult> {
  const result = await context.client.send({ method: 'GET', path });
  context.record(result);
  return result;
}

interface VersionStatus {
  version?: unknown;
  state?: unknown;
  status?: { error_message?: unknown };
}

function signatureSpecs(value: unknown): TensorSpec[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return Object.entries(value as Record<string, { dtype?: unknown; tensor_shape?: unknown }>).map(
    ([alias, info]) => {
      const shape = info.tensor_shape as { dim?: Array<{ size?: unknown }> } | undefined;
      return {
        name: alias,
        datatype: String(info.dtype ?? ''),
        shape: (shape?.dim ?? []).map((d) => Number(d.size ?? -1)),
      };
    },
  );
}

function nestedOnes(shape: number[]): unknown {
  if (shape.length === 0) return 1;
  const [first, ...rest] = shape as [number, ...number[]];
  return Array.from({ length: first < 0 ? 1 : first }, () => nestedOnes(rest));
}

function tensorsFrom(name: string, value: unknown): OutputTensor[] {
  const direct = flattenNumbers(value);
  if (direct !== undefined) return [{ name, data: direct, shape: shapeOf(value) }];
  // Row format with several named outputs: [{a: [...], b: [...]}, ...] → one tensor per name.
  if (
    Array.isArray(value) &&
    value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
  ) {
    const byName = new Map<string, number[]>();
    for (const row of value as Array<Record<string, unknown>>) {
      for (const [key, cell] of Object.entries(row)) {
        const data = flattenNumbers(cell) ?? [];
        byName.set(key, [...(byName.get(key) ?? []), ...data]);
      }
    }
    return [...byName].map(([key, data]) => ({ name: key, data }));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([key, cell]) => ({
      name: key,
      data: flattenNumbers(cell) ?? [],
      shape: shapeOf(cell),
    }));
  }
  return [];
}

export const tensorflowServing: Protocol = {
  name: 'tfserving',
  transport: 'http',
  needsModel: true,

  async probe(context, target) {
    const result = await get(context, modelPath(target));
    if (result.status !== 200) {
      return {
        ready: false,
        detail: `GET ${result.path} answered ${result.status}: ${excerpt(result.text, 120)}`,
      };
    }
    const body = parseJsonBody(result) as { model_version_status?: VersionStatus[] };
    const versions = body.model_version_status ?? [];
    const available = versions.filter((v) => v.state === 'AVAILABLE');
    if (available.length > 0) {
      return {
        ready: true,
        detail: `version ${available.map((v) => String(v.version)).join(', ')} AVAILABLE`,
      };
    }
    const states = versions.map((v) => {
      const error = v.status?.error_message ? ` (${String(v.status.error_message)})` : '';
      return `version ${String(v.version)} ${String(v.state)}${error}`;
    });
    return { ready: false, detail: states.length > 0 ? states.join(', ') : 'no version reported' };
  },

  async metadata(context, target): Promise<ServedMetadata> {
    const result = await get(context, `${modelPath(target)}/metadata`);
    if (result.status !== 200) {
      throw new ProtocolError(
        `model metadata GET ${result.path} answered ${result.status}: ${excerpt(result.text)}`,
        result.status,
      );
    }
    const body = parseJsonBody(result) as {
      model_spec?: { name?: unknown; version?: unknown };
      metadata?: {
        signature_def?: { signature_def?: Record<string, { inputs?: unknown; outputs?: unknown }> };
      };
    };
    const signature = body.metadata?.signature_def?.signature_def?.[SIGNATURE];
    // The status API lists every loaded version; metadata names only the latest.
    const status = await get(context, modelPath(target));
    const statusBody =
      status.status === 200
        ? (parseJsonBody(status) as { model_version_status?: VersionStatus[] })
        : {};
    const served = (statusBody.model_version_status ?? [])
      .filter((v) => v.state === 'AVAILABLE')
      .map((v) => String(v.version));
    const latest = body.model_spec?.version === undefined ? [] : [String(body.model_spec.version)];
    return {
      name: typeof body.model_spec?.name === 'string' ? body.model_spec.name : undefined,
      versions: served.length > 0 ? served : latest,
      inputs: signatureSpecs(signature?.inputs),
      outputs: signatureSpecs(signature?.outputs),
    };
  },

  inferenceRequest(target, body, metadata) {
    const version =
      target.version !== undefined && (metadata?.versions ?? []).includes(target.version)
        ? `/versions/${encodeURIComponent(target.version)}`
        : '';
    const path = `${modelPath(target)}${version}:predict`;
    if (body !== undefined) return { method: 'POST', path, body: JSON.stringify(body) };
    const inputs = metadata?.inputs;
    if (inputs === undefined || inputs.length === 0) {
      throw new ProtocolError(
        `the ${SIGNATURE} signature declares no inputs, so no default request can be built; give \`request\``,
      );
    }
    const columnar = Object.fromEntries(
      inputs.map((input) => [input.name, nestedOnes(input.shape)]),
    );
    return {
      method: 'POST',
      path,
      body: JSON.stringify({ signature_name: SIGNATURE, inputs: columnar }),
    };
  },

  readOutputs(body): ModelOutputs {
    const response = body as { predictions?: unknown; outputs?: unknown };
    if (response === null || typeof response !== 'object') {
      throw new ProtocolError('the predict response is not a JSON object');
    }
    if (response.predictions !== undefined)
      return { tensors: tensorsFrom('predictions', response.predictions) };
    if (response.outputs !== undefined)
      return { tensors: tensorsFrom('outputs', response.outputs) };
    throw new ProtocolError('the predict response has neither `predictions` nor `outputs`');
  },
};
