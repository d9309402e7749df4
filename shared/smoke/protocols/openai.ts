import { parseJsonBody, excerpt } from '../http-client.ts';
import { ProtocolError, type ModelOutputs, type Protocol, type ServedMetadata } from './types.ts';

/**
 * OpenAI-compatible servers (vLLM, TGI, llama.cpp, Ollama): `/health` where
 * it exists, else `GET /v1/models`; inference through chat completions (a
 * body with `messages`) or completions (a body with `prompt`).
 */
interface ModelList {
  data?: Array<{ id?: unknown }>;
}

export const openAiCompatible: Protocol = {
  name: 'openai',
  transport: 'http',
  needsModel: false,

  async probe(context) {
    const health = await context.client.send({ method: 'GET', path: '/health' });
    context.record(health);
    if (health.status !== 404 && health.status !== 405) {
      if (health.status !== 200)
        return { ready: false, detail: `GET /health answered ${health.status}` };
    }
    const models = await context.client.send({ method: 'GET', path: '/v1/models' });
    context.record(models);
    if (models.status !== 200) {
      return {
        ready: false,
        detail: `GET /v1/models answered ${models.status}: ${excerpt(models.text, 120)}`,
      };
    }
    const ids = ((parseJsonBody(models) as ModelList).data ?? []).map((m) => String(m.id));
    if (ids.length === 0) return { ready: false, detail: 'GET /v1/models lists no model yet' };
    return { ready: true, detail: `serving ${ids.join(', ')}` };
  },

  async metadata(context): Promise<ServedMetadata> {
    const result = await context.client.send({ method: 'GET', path: '/v1/models' });
    context.record(result);
    if (result.status !== 200) {
      throw new ProtocolError(
        `GET /v1/models answered ${result.status}: ${excerpt(result.text)}`,
        result.status,
      );
    }
    const ids = ((parseJsonBody(result) as ModelList).data ?? []).map((m) => String(m.id));
    // The served names stand in for versions: these servers version by name.
    return { name: ids[0], versions: ids, inputs: undefined, outputs: undefined };
  },

  inferenceRequest(target, body, metadata) {
    const model = target.model ?? metadata?.name;
    const request =
      body === undefined
        ? {
            messages: [{ role: 'user', content: 'Reply with the single word: ready' }],
            max_tokens: 16,
            temperature: 0,
          }
        : body;
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      throw new ProtocolError('an OpenAI-compatible request must be a JSON object');
    }
    const withModel = { model, ...(request as Record<string, unknown>) };
    const path =
      'prompt' in withModel && !('messages' in withModel)
        ? '/v1/completions'
        : '/v1/chat/completions';
    return { method: 'POST', path, body: JSON.stringify(withModel) };
  },

  // vLLM (with transformers 4.44 and later) refuses a chat request for a
  // model whose tokenizer has no chat template, which base models lack; the
  // default check then asks for a plain completion instead.
  fallback(refused, target, body, metadata) {
    if (body !== undefined || refused.request.path !== '/v1/chat/completions') return undefined;
    if (refused.status !== 400 || !/chat[ _]template/i.test(refused.text)) return undefined;
    const model = target.model ?? metadata?.name;
    return {
      request: {
        method: 'POST',
        path: '/v1/completions',
        body: JSON.stringify({
          model,
          prompt: 'The single word "ready":',
          max_tokens: 16,
          temperature: 0,
        }),
      },
      why: 'the model has no chat template (a base model), so the check asks /v1/completions instead',
    };
  },

  readOutputs(body): ModelOutputs {
    const response = body as {
      model?: unknown;
      choices?: Array<{ message?: { content?: unknown }; text?: unknown }>;
    };
    const choice = response?.choices?.[0];
    if (choice === undefined) throw new ProtocolError('the completion response has no `choices`');
    const text = typeof choice.message?.content === 'string' ? choice.message.content : choice.text;
    if (typeof text !== 'string') throw new ProtocolError('the first choice carries no text');
    const outputs: ModelOutputs = { tensors: [], text };
    if (typeof response.model === 'string') outputs.model = response.model;
    return outputs;
  },
};
