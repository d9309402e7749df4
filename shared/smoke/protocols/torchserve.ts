import { parseJsonBody, excerpt } from '../http-client.ts';
import { readJsonOutputs } from './json-outputs.ts';
import { ProtocolError, type Protocol, type ServedMetadata, type Target } from './types.ts';

/**
 * TorchServe: the inference API answers `/ping` with `{"status": "Healthy"}`
 * and serves `POST /predictions/{model}[/{version}]`; model versions and
 * worker states live in the management API (its own port), which is only
 * consulted when its URL is given.
 */
function predictionsPath(target: Target): string {
  const name = encodeURIComponent(target.model ?? '');
  return target.version === undefined
    ? `/predictions/${name}`
    : `/predictions/${name}/${encodeURIComponent(target.version)}`;
}

interface ModelDescription {
  modelName?: unknown;
  modelVersion?: unknown;
  workers?: Array<{ status?: unknown }>;
}

export const torchServe: Protocol = {
  name: 'torchserve',
  transport: 'http',
  needsModel: true,

  async probe(context, target) {
    const ping = await context.client.send({ method: 'GET', path: '/ping' });
    context.record(ping);
    let status: unknown;
    try {
      status = (JSON.parse(ping.text) as { status?: unknown }).status;
    } catch {
      status = undefined;
    }
    if (ping.status !== 200 || status !== 'Healthy') {
      return {
        ready: false,
        detail: `GET /ping answered ${ping.status}: ${excerpt(ping.text, 120)}`,
      };
    }
    if (context.management === undefined)
      return { ready: true, detail: 'GET /ping answered Healthy' };
    const path = `/models/${encodeURIComponent(target.model ?? '')}`;
    const described = await context.management.send({ method: 'GET', path });
    context.record(described);
    if (described.status !== 200) {
      return {
        ready: false,
        detail: `management GET ${path} answered ${described.status}: ${excerpt(described.text, 120)}`,
      };
    }
    const models = parseJsonBody(described) as ModelDescription[];
    const ready = (models[0]?.workers ?? []).filter((w) => w.status === 'READY').length;
    return ready > 0
      ? { ready: true, detail: `${ready} worker(s) READY` }
      : { ready: false, detail: `model ${target.model ?? ''} has no READY worker yet` };
  },

  async metadata(context, target): Promise<ServedMetadata | undefined> {
    if (context.management === undefined) return undefined;
    const path = `/models/${encodeURIComponent(target.model ?? '')}/all`;
    const result = await context.management.send({ method: 'GET', path });
    context.record(result);
    if (result.status !== 200) {
      throw new ProtocolError(
        `management GET ${path} answered ${result.status}: ${excerpt(result.text)}`,
        result.status,
      );
    }
    const models = parseJsonBody(result) as ModelDescription[];
    if (!Array.isArray(models))
      throw new ProtocolError(`management GET ${path} did not answer a list of models`);
    return {
      name: typeof models[0]?.modelName === 'string' ? models[0].modelName : undefined,
      versions: models.map((m) => String(m.modelVersion)),
      inputs: undefined,
      outputs: undefined,
    };
  },

  inferenceRequest(target, body) {
    if (body === undefined) {
      throw new ProtocolError(
        'TorchServe handlers define their own input, so `request` is required',
      );
    }
    return { method: 'POST', path: predictionsPath(target), body: JSON.stringify(body) };
  },

  readOutputs: readJsonOutputs,
};
