import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local model server for each protocol the smoke test speaks, serving a
 * real (tiny) model: a 4-feature → 3-class linear classifier with softmax,
 * iris-like, with fixed weights. Misbehaving modes reproduce what smoke
 * tests exist to catch: a wrong answer, slowness, 5xx bursts, a model that
 * never becomes ready, and the wrong model version.
 */
export type FixtureProtocol = 'v2' | 'tfserving' | 'torchserve' | 'openai' | 'http';
export type FixtureMode =
  | 'good'
  | 'wrong-answer'
  | 'slow'
  | 'errors'
  | 'never-ready'
  | 'wrong-version'
  /** openai: a base model whose tokenizer has no chat template, as vLLM refuses chat for it. */
  | 'no-chat-template';

export const IRIS_LABELS = ['setosa', 'versicolor', 'virginica'] as const;
const WEIGHTS = [
  [0.4, 1.4, -2.2, -1.0],
  [0.5, -0.35, 0.2, -0.9],
  [-0.9, -0.65, 1.8, 2.0],
];
const BIAS = [0.3, 1.8, -2.1];

export const SAMPLES = {
  setosa: [5.1, 3.5, 1.4, 0.2],
  versicolor: [5.9, 2.8, 4.3, 1.3],
  virginica: [6.7, 3.0, 5.2, 2.3],
} as const;

/** Class probabilities for one row of four features, rounded through float32 like a real server. */
export function classify(features: readonly number[]): number[] {
  const logits = WEIGHTS.map((row, k) =>
    row.reduce((sum, w, i) => sum + w * (features[i] ?? 0), BIAS[k] as number),
  );
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => Math.fround(e / total));
}

export function topLabel(features: readonly number[]): string {
  const p = classify(features);
  return IRIS_LABELS[p.indexOf(Math.max(...p))] as string;
}

export interface ModelServerOptions {
  protocol: FixtureProtocol;
  mode?: FixtureMode;
  model?: string;
  /** The version a good server serves. */
  version?: string;
  /** Added to every inference in `slow` mode. */
  slowMs?: number;
}

export interface ModelServer {
  url: string;
  /** TorchServe's management API (its own port, as in TorchServe). */
  managementUrl: string | undefined;
  /** Inference requests answered (any status). */
  inferences(): number;
  /** Headers of the last request, to check what the client sent. */
  lastHeaders(): Record<string, string | string[] | undefined>;
  stop(): Promise<void>;
}

class HttpFailure extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpFailure(400, { error: 'request body is not JSON' });
  }
}

function rowsOf(value: unknown): number[][] {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number'))
    return [value as number[]];
  if (
    Array.isArray(value) &&
    value.every((r) => Array.isArray(r) && r.length === 4 && r.every((v) => typeof v === 'number'))
  ) {
    return value as number[][];
  }
  throw new HttpFailure(400, { error: 'expected rows of 4 numbers' });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

type Handler = (method: string, path: string, body: string) => Promise<unknown> | unknown;

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const mode = options.mode ?? 'good';
  const model = options.model ?? 'iris';
  const version =
    mode === 'wrong-version'
      ? String(Number(options.version ?? '1') + 1)
      : (options.version ?? '1');
  const ready = mode !== 'never-ready';
  let inferenceCount = 0;
  let lastHeaders: Record<string, string | string[] | undefined> = {};

  const predict = (features: number[]): number[] => {
    const p = classify(features);
    // A plausible-looking but wrong model: the first and last classes swapped.
    return mode === 'wrong-answer' ? [p[2] as number, p[1] as number, p[0] as number] : p;
  };
  const labelOf = (features: number[]) => {
    const p = predict(features);
    return IRIS_LABELS[p.indexOf(Math.max(...p))] as string;
  };
  /** Every inference passes here: counting, slowness and 5xx bursts (3 of every 10). */
  const infer = async <T>(compute: () => T): Promise<T> => {
    const n = inferenceCount++;
    if (mode === 'slow') await sleep(options.slowMs ?? 120);
    if (mode === 'errors' && n % 10 >= 4 && n % 10 <= 6)
      throw new HttpFailure(503, { error: 'model overloaded' });
    return compute();
  };
  const notFound = (path: string) => new HttpFailure(404, { error: `no route for ${path}` });

  const v2: Handler = async (method, path, body) => {
    if (path === '/v2/health/live') return {};
    if (path === '/v2/health/ready') return {};
    const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
    if (!m || m[1] !== model)
      throw new HttpFailure(404, {
        error: `Request for unknown model: '${m?.[1] ?? path}' is not found`,
      });
    if (m[2] !== undefined && m[2] !== version) {
      throw new HttpFailure(404, {
        error: `Request for unknown model: '${model}' version ${m[2]} is not found`,
      });
    }
    if (m[3] === '/ready') {
      if (!ready) throw new HttpFailure(503, { error: 'model is loading' });
      return {};
    }
    if (m[3] === undefined && method === 'GET') {
      return {
        name: model,
        versions: [version],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
      };
    }
    if (m[3] === '/infer' && method === 'POST') {
      const request = parseJson(body) as {
        id?: string;
        inputs?: Array<{ name?: string; data?: unknown; datatype?: string; shape?: number[] }>;
      };
      const input = request.inputs?.find((i) => i.name === 'input');
      if (
        !input ||
        input.datatype !== 'FP32' ||
        !Array.isArray(input.data) ||
        !Array.isArray(input.shape)
      ) {
        throw new HttpFailure(400, {
          error: "expected input 'input' of datatype FP32 with shape and data",
        });
      }
      const flat = (input.data as unknown[]).flat(3) as number[];
      if (
        input.shape.length !== 2 ||
        input.shape[1] !== 4 ||
        flat.length !== (input.shape[0] as number) * 4
      ) {
        throw new HttpFailure(400, {
          error: `unexpected shape [${input.shape.join(',')}] for input 'input', expecting [-1,4]`,
        });
      }
      const rows = Array.from({ length: input.shape[0] as number }, (_, i) =>
        flat.slice(i * 4, i * 4 + 4),
      );
      return infer(() => ({
        model_name: model,
        model_version: version,
        ...(request.id === undefined ? {} : { id: request.id }),
        outputs: [
          {
            name: 'probabilities',
            datatype: 'FP32',
            shape: [rows.length, 3],
            data: rows.flatMap(predict),
          },
        ],
      }));
    }
    throw notFound(path);
  };

  const tensorShape = (dims: number[]) => ({
    dim: dims.map((d) => ({ size: String(d), name: '' })),
    unknown_rank: false,
  });
  const tfserving: Handler = async (method, path, body) => {
    const m = /^\/v1\/models\/([^/:]+)(?:\/versions\/([^/:]+))?(\/metadata|:predict)?$/.exec(path);
    if (!m || m[1] !== model)
      throw new HttpFailure(404, {
        error: `Servable not found for request: Latest(${m?.[1] ?? path})`,
      });
    if (m[2] !== undefined && m[2] !== version) {
      throw new HttpFailure(404, {
        error: `Servable not found for request: Specific(${model}, ${m[2]})`,
      });
    }
    if (m[3] === undefined && method === 'GET') {
      return {
        model_version_status: [
          {
            version,
            state: ready ? 'AVAILABLE' : 'LOADING',
            status: { error_code: 'OK', error_message: '' },
          },
        ],
      };
    }
    if (!ready)
      throw new HttpFailure(404, { error: `Servable not found for request: Latest(${model})` });
    if (m[3] === '/metadata') {
      return {
        model_spec: { name: model, signature_name: '', version },
        metadata: {
          signature_def: {
            signature_def: {
              serving_default: {
                inputs: {
                  features: {
                    dtype: 'DT_FLOAT',
                    tensor_shape: tensorShape([-1, 4]),
                    name: 'serving_default_features:0',
                  },
                },
                outputs: {
                  probabilities: {
                    dtype: 'DT_FLOAT',
                    tensor_shape: tensorShape([-1, 3]),
                    name: 'StatefulPartitionedCall:0',
                  },
                },
                method_name: 'tensorflow/serving/predict',
              },
            },
          },
        },
      };
    }
    if (m[3] === ':predict' && method === 'POST') {
      const request = parseJson(body) as { instances?: unknown; inputs?: unknown };
      if (request.instances !== undefined) {
        const instances = Array.isArray(request.instances) ? request.instances : [];
        const rows = rowsOf(
          instances.map((i) =>
            i !== null && typeof i === 'object' && !Array.isArray(i)
              ? (i as { features?: unknown }).features
              : i,
          ),
        );
        return infer(() => ({ predictions: rows.map(predict) }));
      }
      if (request.inputs !== undefined) {
        const inputs = request.inputs as { features?: unknown } | unknown[];
        const rows = rowsOf(Array.isArray(inputs) ? inputs : inputs.features);
        return infer(() => ({ outputs: rows.map(predict) }));
      }
      throw new HttpFailure(400, { error: "Missing 'inputs' or 'instances' key" });
    }
    throw notFound(path);
  };

  const torchserve: Handler = async (method, path, body) => {
    if (path === '/ping') {
      if (!ready) throw new HttpFailure(500, { status: 'Unhealthy' });
      return { status: 'Healthy' };
    }
    const m = /^\/predictions\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (m && method === 'POST') {
      if (m[1] !== model)
        throw new HttpFailure(404, {
          code: 404,
          type: 'ModelNotFoundException',
          message: `Model not found: ${m[1]}`,
        });
      if (m[2] !== undefined && m[2] !== version) {
        throw new HttpFailure(404, {
          code: 404,
          type: 'ModelVersionNotFoundException',
          message: `Model version: ${m[2]} does not exist for model: ${model}`,
        });
      }
      const request = parseJson(body) as { data?: unknown } | unknown[];
      const [row] = rowsOf(Array.isArray(request) ? request : request.data);
      return infer(() =>
        Object.fromEntries(predict(row as number[]).map((p, i) => [IRIS_LABELS[i], p])),
      );
    }
    throw notFound(path);
  };
  const describeModel = () => [
    {
      modelName: model,
      modelVersion: version,
      modelUrl: `${model}.mar`,
      runtime: 'python',
      minWorkers: 1,
      maxWorkers: 1,
      batchSize: 1,
      maxBatchDelay: 100,
      loadedAtStartup: true,
      workers: [
        {
          id: '9000',
          startTime: '2026-01-01T00:00:00.000Z',
          status: ready ? 'READY' : 'UNLOADING',
          memoryUsage: 0,
          pid: 1,
          gpu: false,
        },
      ],
    },
  ];
  const management: Handler = (method, path) => {
    if (method === 'GET' && (path === `/models/${model}` || path === `/models/${model}/all`))
      return describeModel();
    if (method === 'GET' && path === '/models')
      return { models: [{ modelName: model, modelUrl: `${model}.mar` }] };
    throw new HttpFailure(404, {
      code: 404,
      type: 'ModelNotFoundException',
      message: `Model not found: ${path}`,
    });
  };

  const servedId = mode === 'wrong-version' ? `${model}-v${version}` : model;
  const featuresIn = (text: string): number[] => {
    const numbers = (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    if (numbers.length < 4)
      throw new HttpFailure(400, {
        error: { message: 'give four measurements', type: 'BadRequestError', code: 400 },
      });
    return numbers.slice(-4);
  };
  const openai: Handler = async (method, path, body) => {
    if (path === '/health') {
      if (!ready) throw new HttpFailure(503, { error: 'loading' });
      return {};
    }
    if (path === '/v1/models' && method === 'GET') {
      return {
        object: 'list',
        data: ready
          ? [{ id: servedId, object: 'model', created: 1767225600, owned_by: 'fixture' }]
          : [],
      };
    }
    if ((path === '/v1/chat/completions' || path === '/v1/completions') && method === 'POST') {
      const request = parseJson(body) as {
        model?: string;
        messages?: Array<{ role: string; content: string }>;
        prompt?: string;
      };
      if (request.model !== servedId) {
        throw new HttpFailure(404, {
          error: {
            message: `The model \`${request.model}\` does not exist.`,
            type: 'NotFoundError',
            code: 404,
          },
        });
      }
      const base = {
        id: 'cmpl-fixture',
        created: 1767225600,
        model: servedId,
        usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
      };
      if (path === '/v1/chat/completions' && mode === 'no-chat-template') {
        throw new HttpFailure(400, {
          object: 'error',
          message:
            'As of transformers v4.44, default chat template is no longer allowed, so you must provide a chat template if the tokenizer does not define one.',
          type: 'BadRequestError',
          code: 400,
        });
      }
      if (
        path === '/v1/completions' &&
        mode === 'no-chat-template' &&
        !/\d/.test(request.prompt ?? '')
      ) {
        // A base model continues any prompt; this one with the word asked for.
        return infer(() => ({
          ...base,
          object: 'text_completion',
          choices: [{ index: 0, text: ' ready', finish_reason: 'stop' }],
        }));
      }
      if (path === '/v1/chat/completions') {
        const last = request.messages?.at(-1)?.content ?? '';
        const label = labelOf(featuresIn(last));
        return infer(() => ({
          ...base,
          object: 'chat.completion',
          choices: [
            { index: 0, message: { role: 'assistant', content: label }, finish_reason: 'stop' },
          ],
        }));
      }
      const label = labelOf(featuresIn(request.prompt ?? ''));
      return infer(() => ({
        ...base,
        object: 'text_completion',
        choices: [{ index: 0, text: ` ${label}`, finish_reason: 'stop' }],
      }));
    }
    throw notFound(path);
  };

  const plain: Handler = async (method, path, body) => {
    if (!ready) throw new HttpFailure(503, { error: 'starting' });
    if (path === '/healthz') return { status: 'ok' };
    if (path === '/predict' && method === 'POST') {
      const request = parseJson(body) as { features?: unknown };
      const [row] = rowsOf(request.features);
      return infer(() => {
        const p = predict(row as number[]);
        return { probabilities: p, label: IRIS_LABELS[p.indexOf(Math.max(...p))] };
      });
    }
    throw notFound(path);
  };

  const handlers: Record<FixtureProtocol, Handler> = {
    v2,
    tfserving,
    torchserve,
    openai,
    http: plain,
  };
  const serve =
    (handler: Handler) => async (request: IncomingMessage, response: ServerResponse) => {
      lastHeaders = request.headers;
      const body = await readBody(request);
      let status = 200;
      let payload: unknown;
      try {
        payload = await handler(
          request.method ?? 'GET',
          (request.url ?? '/').split('?')[0] as string,
          body,
        );
      } catch (err) {
        if (!(err instanceof HttpFailure)) throw err;
        status = err.status;
        payload = err.body;
      }
      const text = JSON.stringify(payload);
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    };

  const listen = async (handler: Handler): Promise<Server> => {
    const server = createServer((req, res) => {
      serve(handler)(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const address = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const main = await listen(handlers[options.protocol]);
  const mgmt = options.protocol === 'torchserve' ? await listen(management) : undefined;
  return {
    url: address(main),
    managementUrl: mgmt === undefined ? undefined : address(mgmt),
    inferences: () => inferenceCount,
    lastHeaders: () => lastHeaders,
    async stop() {
      for (const server of [main, mgmt]) {
        if (server === undefined) continue;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
