import { parseJsonBody, excerpt, type HttpResult } from '../http-client.ts';
import { flattenNumbers } from './json-outputs.ts';
import { sampleInputs, servedMetadata, servesVersion } from './open-inference.ts';
import {
  ProtocolError,
  type ModelOutputs,
  type Protocol,
  type ProtocolContext,
  type ServedMetadata,
  type Target,
} from './types.ts';

/**
 * The Open Inference Protocol (KServe v2), spoken by Triton, MLServer,
 * KServe and others: health and model readiness are answered by the status
 * code alone; metadata declares name, versions and the tensor signature.
 */
function modelPath(target: Target, suffix: string): string {
  const name = encodeURIComponent(target.model ?? '');
  return `/v2/models/${name}${suffix}`;
}

async function get(context: ProtocolContext, path: string): Promise<HttpResult> {
  const result = await context.client.send({ method: 'GET', path });
  context.record(result);
  return result;
}

function readMetadata(result: HttpResult): ServedMetadata {
  return servedMetadata(parseJsonBody(result) as Record<string, unknown>);
}

export const openInferenceV2: Protocol = {
  name: 'v2',
  transport: 'http',
  needsModel: true,

  async probe(context, target) {
    const server = await get(context, '/v2/health/ready');
    if (server.status !== 200) {
      return { ready: false, detail: `GET /v2/health/ready answered ${server.status}` };
    }
    const path =
      target.version === undefined
        ? modelPath(target, '/ready')
        : modelPath(target, `/versions/${encodeURIComponent(target.version)}/ready`);
    const model = await get(context, path);
    if (model.status !== 200) {
      // A wrong version must not look like "never ready": fall back to the model itself.
      if (target.version !== undefined && model.status === 404) {
        const any = await get(context, modelPath(target, '/ready'));
        if (any.status === 200) return { ready: true, detail: `GET ${any.path} answered 200` };
      }
      return {
        ready: false,
        detail: `GET ${path} answered ${model.status}: ${excerpt(model.text, 120)}`,
      };
    }
    return { ready: true, detail: `GET ${path} answered 200` };
  },

  async metadata(context, target): Promise<ServedMetadata> {
    // Asking for the version itself is how the protocol says which versions
    // are served: MLServer, for one, lists its dependencies in `versions`.
    if (target.version !== undefined) {
      const versioned = await context.client.send({
        method: 'GET',
        path: modelPath(target, `/versions/${encodeURIComponent(target.version)}`),
      });
      if (versioned.status === 200) {
        context.record(versioned);
        return { ...readMetadata(versioned), versionServed: true };
      }
      // Only "no such version" falls back to the model's own metadata; a server in trouble is retried.
      if (versioned.status >= 500 || versioned.status === 429) {
        throw new ProtocolError(
          `model metadata GET ${versioned.path} answered ${versioned.status}: ${excerpt(versioned.text)}`,
          versioned.status,
        );
      }
    }
    const result = await get(context, modelPath(target, ''));
    if (result.status !== 200) {
      throw new ProtocolError(
        `model metadata GET ${result.path} answered ${result.status}: ${excerpt(result.text)}`,
        result.status,
      );
    }
    return readMetadata(result);
  },

  inferenceRequest(target, body, metadata) {
    const path = servesVersion(target, metadata)
      ? modelPath(target, `/versions/${encodeURIComponent(target.version!)}/infer`)
      : modelPath(target, '/infer');
    if (body !== undefined) return { method: 'POST', path, body: JSON.stringify(body) };
    const request = sampleInputs(metadata);
    return { method: 'POST', path, body: JSON.stringify(request) };
  },

  readOutputs(body): ModelOutputs {
    const response = body as {
      model_name?: unknown;
      model_version?: unknown;
      outputs?: unknown;
    };
    if (response === null || typeof response !== 'object' || !Array.isArray(response.outputs)) {
      throw new ProtocolError('the inference response has no `outputs` array');
    }
    const tensors = response.outputs.map(
      (output: { name?: unknown; shape?: unknown; data?: unknown }, index: number) => {
        const data = flattenNumbers(output.data);
        return {
          name: typeof output.name === 'string' ? output.name : `output ${index}`,
          data: data ?? [],
          shape: Array.isArray(output.shape) ? output.shape.map(Number) : [],
        };
      },
    );
    const outputs: ModelOutputs = { tensors };
    if (typeof response.model_name === 'string') outputs.model = response.model_name;
    if (response.model_version !== undefined && response.model_version !== '') {
      outputs.version = String(response.model_version);
    }
    return outputs;
  },
};
