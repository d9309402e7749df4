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
 * TensorFlow Serving's REST API: model status lists each version with a
 * state (AVAILABLE when it serves), metadata carries the signature defs, and
 * predict answers `{"predictions"}` for the row format (`instances`) and
 * `{"outputs"}` for the columnar one (`inputs`).
 */
function modelPath(target: Target): string {
  return `/v1/models/${encodeURIComponent(target.model ?? '')}`;
}

async function get(context: ProtocolContext, path: string): Promise<HttpResult> {
  const result = await context.client.send({ method: 'GET', path });
  context.record(result);
  return result;
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
    return readiness(body.model_version_status ?? []);
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
    return {
      name: typeof body.model_spec?.name === 'string' ? body.model_spec.name : undefined,
      versions: servedVersions(statusBody.model_version_status ?? [], body.model_spec?.version),
      inputs: signatureSpecs(signature?.inputs),
      outputs: signatureSpecs(signature?.outputs),
    };
  },

  inferenceRequest(target, body, metadata) {
    const asked = askedVersion(target, metadata);
    const version = asked === undefined ? '' : `/versions/${encodeURIComponent(asked)}`;
    const path = `${modelPath(target)}${version}:predict`;
    if (body !== undefined) return { method: 'POST', path, body: JSON.stringify(body) };
    const columnar = sampleColumns(metadata);
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
