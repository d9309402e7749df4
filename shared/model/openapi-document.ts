import type { ModelSignature, Protocol, Runtime } from './runtimes/types.ts';

/**
 * An OpenAPI 3.1 document of the endpoints the runtime serves for this model:
 * Open Inference Protocol v2 (Triton, MLServer), TF Serving REST, TorchServe
 * inference API, the OpenAI-compatible API (vLLM), or the health path only.
 */
export function openApiDocument(options: {
  runtime: Runtime;
  name: string;
  version: string;
  signature?: ModelSignature;
}): object {
  const { runtime, name, version, signature } = options;
  const port = runtime.ports[0]?.port ?? 8080;
  const json = (schema: object) => ({ content: { 'application/json': { schema } } });
  const ok = (description: string, schema: object = { type: 'object' }) => ({
    '200': { description, ...json(schema) },
  });
  const health = (path: string) => ({
    get: {
      summary: 'Health',
      operationId: `health${path.replace(/\W+/g, '_')}`,
      responses: { '200': { description: 'Healthy' } },
    },
  });
  const paths: Record<string, object> = {};
  for (const path of new Set([runtime.health.live, runtime.health.ready])) {
    paths[path.replace('{name}', name)] = health(path);
  }
  Object.assign(paths, protocolPaths(runtime.protocol, { name, version, signature, json, ok }));
  return {
    openapi: '3.1.0',
    info: {
      title: `${name} (${runtime.name})`,
      version,
      description: `Endpoints that the ${runtime.name} runtime serves for model ${name} version ${version}.`,
    },
    servers: [{ url: `http://localhost:${port}` }],
    paths,
    ...(signature ? { 'x-model-signature': signature } : {}),
  };
}

type Json = (schema: object) => object;
type Ok = (description: string, schema?: object) => object;

function tensorSchema(specs: ModelSignature['inputs'] | undefined): object {
  const tensor = {
    type: 'object',
    required: ['name', 'shape', 'datatype', 'data'],
    properties: {
      name: specs && specs.length > 0 ? { enum: specs.map((s) => s.name) } : { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
      datatype: { type: 'string' },
      parameters: { type: 'object' },
      data: { type: 'array' },
    },
  };
  return { type: 'array', items: tensor };
}

interface PathContext {
  name: string;
  version: string;
  signature: ModelSignature | undefined;
  json: Json;
  ok: Ok;
}

function protocolPaths(protocol: Protocol, paths: PathContext): Record<string, object> {
  switch (protocol) {
    case 'open-inference-v2':
      return openInferencePaths(paths);
    case 'tfserving':
      return tfServingPaths(paths);
    case 'torchserve':
      return torchServePaths(paths);
    case 'openai':
      return openAiPaths(paths);
    case 'http':
      return {};
  }
}

/** Open Inference Protocol v2 (Triton, MLServer). */
function openInferencePaths(paths: PathContext): Record<string, object> {
  const { name, version, signature, json, ok } = paths;
  const request = {
    type: 'object',
    required: ['inputs'],
    properties: {
      id: { type: 'string' },
      parameters: { type: 'object' },
      inputs: tensorSchema(signature?.inputs),
      outputs: { type: 'array' },
    },
  };
  const response = {
    type: 'object',
    properties: {
      model_name: { type: 'string' },
      model_version: { type: 'string' },
      id: { type: 'string' },
      outputs: tensorSchema(signature?.outputs),
    },
  };
  const infer = {
    post: {
      summary: `Infer with ${name}`,
      operationId: 'infer',
      requestBody: { required: true, ...json(request) },
      responses: ok('Inference result', response),
    },
  };
  return {
    '/v2': {
      get: {
        summary: 'Server metadata',
        operationId: 'serverMetadata',
        responses: ok('Server metadata'),
      },
    },
    [`/v2/models/${name}`]: {
      get: {
        summary: 'Model metadata',
        operationId: 'modelMetadata',
        responses: ok('Model metadata'),
      },
    },
    [`/v2/models/${name}/ready`]: {
      get: {
        summary: 'Model ready',
        operationId: 'modelReady',
        responses: { '200': { description: 'Ready' } },
      },
    },
    // The protocol's way to ask whether a version is served (smoke-test checks model-version so).
    [`/v2/models/${name}/versions/${version}`]: {
      get: {
        summary: `Model metadata of version ${version}`,
        operationId: 'modelVersionMetadata',
        responses: ok('Model metadata'),
      },
    },
    [`/v2/models/${name}/versions/${version}/ready`]: {
      get: {
        summary: `Model version ${version} ready`,
        operationId: 'modelVersionReady',
        responses: { '200': { description: 'Ready' } },
      },
    },
    [`/v2/models/${name}/infer`]: infer,
    [`/v2/models/${name}/versions/${version}/infer`]: {
      post: { ...infer.post, operationId: 'inferVersion' },
    },
  };
}

/** TF Serving REST. */
function tfServingPaths(paths: PathContext): Record<string, object> {
  const { name, version, json, ok } = paths;
  return {
    [`/v1/models/${name}/metadata`]: {
      get: {
        summary: 'Model metadata',
        operationId: 'modelMetadata',
        responses: ok('SignatureDef map'),
      },
    },
    [`/v1/models/${name}:predict`]: {
      post: {
        summary: `Predict with ${name}`,
        operationId: 'predict',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            properties: {
              signature_name: { type: 'string' },
              instances: { type: 'array' },
              inputs: {},
            },
          }),
        },
        responses: ok('Predictions', {
          type: 'object',
          properties: { predictions: { type: 'array' }, outputs: {} },
        }),
      },
    },
    [`/v1/models/${name}/versions/${version}:predict`]: {
      post: {
        summary: `Predict with ${name} version ${version}`,
        operationId: 'predictVersion',
        requestBody: { required: true, ...json({ type: 'object' }) },
        responses: ok('Predictions'),
      },
    },
  };
}

/** TorchServe inference API. */
function torchServePaths(paths: PathContext): Record<string, object> {
  const { name, version, ok } = paths;
  return {
    [`/predictions/${name}`]: {
      post: {
        summary: `Predict with ${name}`,
        operationId: 'predict',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: {} },
            'application/octet-stream': {
              schema: { type: 'string', contentEncoding: 'base64' },
            },
          },
        },
        responses: ok('Prediction', {}),
      },
    },
    [`/predictions/${name}/${version}`]: {
      post: {
        summary: `Predict with ${name} version ${version}`,
        operationId: 'predictVersion',
        requestBody: { required: true, content: { 'application/json': { schema: {} } } },
        responses: ok('Prediction', {}),
      },
    },
  };
}

/** The OpenAI-compatible API (vLLM). */
function openAiPaths(paths: PathContext): Record<string, object> {
  const { name, json, ok } = paths;
  const message = {
    type: 'object',
    required: ['role', 'content'],
    properties: {
      role: { enum: ['system', 'user', 'assistant'] },
      content: { type: 'string' },
    },
  };
  return {
    '/v1/models': {
      get: { summary: 'Served models', operationId: 'listModels', responses: ok('Model list') },
    },
    '/v1/completions': {
      post: {
        summary: 'Completion',
        operationId: 'completion',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['model', 'prompt'],
            properties: {
              model: { const: name },
              prompt: { type: 'string' },
              max_tokens: { type: 'integer' },
              temperature: { type: 'number' },
            },
          }),
        },
        responses: ok('Completion'),
      },
    },
    '/v1/chat/completions': {
      post: {
        summary: 'Chat completion',
        operationId: 'chatCompletion',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['model', 'messages'],
            properties: {
              model: { const: name },
              messages: { type: 'array', items: message },
              max_tokens: { type: 'integer' },
            },
          }),
        },
        responses: ok('Chat completion'),
      },
    },
  };
}
