import { readFileSync } from 'node:fs';
import type { ModelSignature, Runtime, RuntimeContext, RuntimePlan, TensorSpec } from './types.ts';
import { sharedMemory } from './pod.ts';
import { doesNotFit, extension, hasFile, placeTree, requireNumericVersion } from './placement.ts';
import { parsePbtxt, pbMessages, pbScalar, PbtxtError, type PbMessage } from './pbtxt.ts';

const MODEL_FILES: Record<string, { file: string; backend: string | undefined }> = {
  '.onnx': { file: 'model.onnx', backend: 'onnxruntime' },
  '.plan': { file: 'model.plan', backend: 'tensorrt' },
  '.pt': { file: 'model.pt', backend: 'pytorch' },
  '.savedmodel': { file: 'model.savedmodel', backend: 'tensorflow' },
};

/**
 * Triton model repository: `/models/<name>/config.pbtxt` and
 * `/models/<name>/<version>/model.<ext>`. Triton completes the config of ONNX
 * and TensorRT models from the model itself, so a minimal one is generated for
 * those; TorchScript carries no tensor names, so its config must be given.
 */
export const triton: Runtime = {
  name: 'triton',
  protocol: 'open-inference-v2',
  defaultBaseImage: 'nvcr.io/nvidia/tritonserver:24.08-py3',
  ports: [
    { name: 'http', port: 8000 },
    { name: 'grpc', port: 8001 },
    { name: 'metrics', port: 8002 },
  ],
  health: { live: '/v2/health/live', ready: '/v2/health/ready' },
  // The Open Inference Protocol's gRPC API.
  grpcPackage: 'inference',
  // The NGC image has the triton-server user, uid 1000, made for running
  // non-root; the server writes nothing outside /tmp, and its Python backend
  // and TensorRT-LLM talk through /dev/shm. Images of 10 GB and more.
  pod: {
    runAsUser: 1000,
    readOnlyRootFilesystem: true,
    startupSeconds: 600,
    pullSeconds: 600,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '1', memory: '2Gi' },
    scratch: [sharedMemory('1Gi')],
  },
  numericVersion: true,
  command: () => ({ cmd: ['tritonserver', '--model-repository=/models'] }),
  env: () => ({}),
  plan(ctx: RuntimeContext) {
    requireNumericVersion('triton', ctx.version);
    if (ctx.tree.singleFile) return singleFilePlan(ctx);
    // Already a Triton model folder (config.pbtxt + numbered version folders): kept as it is.
    const versionFolders = ctx.tree.directories.filter((d) => /^\d+$/.test(d));
    if (versionFolders.length > 0 && hasFile(ctx.tree, 'config.pbtxt')) {
      return repositoryPlan(ctx, versionFolders);
    }
    return modelFolderPlan(ctx);
  },
};

/** One model file: it goes into the version folder, with a minimal config.pbtxt. */
function singleFilePlan(ctx: RuntimeContext): RuntimePlan {
  const repo = `/models/${ctx.name}`;
  const versionDir = `${repo}/${ctx.version}`;
  const file = ctx.tree.files[0]!;
  const known = MODEL_FILES[extension(file.path)];
  if (known === undefined) {
    throw doesNotFit(
      'triton',
      `${file.path} is not a model.onnx, model.plan or model.pt`,
      'model: models/resnet50.onnx',
    );
  }
  if (known.backend === 'pytorch') {
    throw doesNotFit(
      'triton',
      `a TorchScript model needs a config.pbtxt naming its inputs and outputs; give a folder with ${known.file} and config.pbtxt`,
      'model: models/resnet50/ (model.pt + config.pbtxt)',
    );
  }
  return {
    modelPath: repo,
    files: [{ file, imagePath: `${versionDir}/${known.file}` }],
    symlinks: [],
    directories: [repo, versionDir],
    generated: [
      {
        imagePath: `${repo}/config.pbtxt`,
        content: Buffer.from(minimalConfig(ctx.name, known.backend!)),
      },
    ],
  };
}

/** A Triton model folder as it is, when a version folder holds a model. */
function repositoryPlan(ctx: RuntimeContext, versionFolders: string[]): RuntimePlan {
  const { tree } = ctx;
  const repo = `/models/${ctx.name}`;
  const hasModel = versionFolders.some((v) =>
    Object.values(MODEL_FILES).some(
      (m) => hasFile(tree, `${v}/${m.file}`) || tree.directories.includes(`${v}/${m.file}`),
    ),
  );
  if (!hasModel) {
    throw doesNotFit(
      'triton',
      `none of the version folders (${versionFolders.join(', ')}) holds a model.onnx, model.plan, model.pt or model.savedmodel/`,
      'resnet50/config.pbtxt + resnet50/1/model.onnx',
    );
  }
  const plan = placeTree(tree, repo, repo);
  const config = tree.files.find((f) => f.path === 'config.pbtxt')!;
  const signature = readConfig(config.source, ctx.name);
  if (signature) plan.signature = signature;
  return plan;
}

/** A folder with the model file (and maybe config.pbtxt): it becomes the version folder. */
function modelFolderPlan(ctx: RuntimeContext): RuntimePlan {
  const { tree } = ctx;
  const repo = `/models/${ctx.name}`;
  const modelFile = Object.values(MODEL_FILES).find(
    (m) => hasFile(tree, m.file) || tree.directories.includes(m.file),
  );
  if (modelFile === undefined) {
    throw doesNotFit(
      'triton',
      `no model.onnx, model.plan, model.pt or model.savedmodel/ in ${tree.root}`,
      'a folder with model.onnx (and optionally config.pbtxt)',
    );
  }
  const hasConfig = hasFile(tree, 'config.pbtxt');
  if (!hasConfig && (modelFile.backend === 'pytorch' || modelFile.backend === 'tensorflow')) {
    throw doesNotFit(
      'triton',
      `${modelFile.file} needs a config.pbtxt next to it naming its inputs and outputs`,
      'model.pt + config.pbtxt',
    );
  }
  const plan = placeTree(tree, `${repo}/${ctx.version}`, repo, new Set(['config.pbtxt']));
  plan.directories.unshift(repo);
  if (hasConfig) {
    const config = tree.files.find((f) => f.path === 'config.pbtxt')!;
    plan.files.push({ file: config, imagePath: `${repo}/config.pbtxt` });
    const signature = readConfig(config.source, ctx.name);
    if (signature) plan.signature = signature;
  } else {
    plan.generated.push({
      imagePath: `${repo}/config.pbtxt`,
      content: Buffer.from(minimalConfig(ctx.name, modelFile.backend!)),
    });
  }
  return plan;
}

function minimalConfig(name: string, backend: string): string {
  return `name: "${name}"\nbackend: "${backend}"\n`;
}

const DATATYPES: Record<string, string> = {
  TYPE_BOOL: 'BOOL',
  TYPE_UINT8: 'UINT8',
  TYPE_UINT16: 'UINT16',
  TYPE_UINT32: 'UINT32',
  TYPE_UINT64: 'UINT64',
  TYPE_INT8: 'INT8',
  TYPE_INT16: 'INT16',
  TYPE_INT32: 'INT32',
  TYPE_INT64: 'INT64',
  TYPE_FP16: 'FP16',
  TYPE_FP32: 'FP32',
  TYPE_FP64: 'FP64',
  TYPE_STRING: 'BYTES',
  TYPE_BF16: 'BF16',
};

/** A config.pbtxt above this size is not a model configuration. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads the user's config.pbtxt: it must parse, and its `name` (when set)
 * must be the name the model is served as, or Triton refuses to load it.
 * Its inputs and outputs give the signature.
 */
function readConfig(source: string, servedAs: string): ModelSignature | undefined {
  const bytes = readFileSync(source);
  if (bytes.length > MAX_CONFIG_BYTES) {
    throw doesNotFit(
      'triton',
      `config.pbtxt is ${bytes.length} bytes, more than a model configuration`,
      'a config.pbtxt of a few KiB',
    );
  }
  let config: PbMessage;
  try {
    config = parsePbtxt(bytes.toString('utf8'));
  } catch (err) {
    if (!(err instanceof PbtxtError)) throw err;
    throw doesNotFit(
      'triton',
      `config.pbtxt is not valid protobuf text: ${err.message}`,
      'name: "resnet50"\nbackend: "onnxruntime"',
    );
  }
  const name = pbScalar(config, 'name');
  if (name !== undefined && String(name) !== servedAs) {
    throw doesNotFit(
      'triton',
      `config.pbtxt names the model '${String(name).slice(0, 100)}', but it is served as '${servedAs}' (the name input); Triton does not load a model whose config names another`,
      `name: "${servedAs}" in config.pbtxt, or name: ${String(name).slice(0, 100)} on the step`,
    );
  }
  return signatureOf(config);
}

/**
 * Tensor names, types and dims from a config's `input` and `output` lists;
 * with `max_batch_size` above 0 Triton adds the batch dimension in front,
 * so the signature does too. Undefined when the config lists no tensors.
 */
export function signatureFromConfig(text: string): ModelSignature | undefined {
  return signatureOf(parsePbtxt(text));
}

function signatureOf(config: PbMessage): ModelSignature | undefined {
  const batched = Number(pbScalar(config, 'max_batch_size') ?? 0) > 0;
  const tensors = (field: string): TensorSpec[] =>
    pbMessages(config, field).flatMap((tensor) => {
      const name = pbScalar(tensor, 'name');
      if (name === undefined) return [];
      const type = String(pbScalar(tensor, 'data_type') ?? '');
      const dims = (tensor.dims ?? []).filter((d): d is number => typeof d === 'number');
      return [
        {
          name: String(name),
          datatype: DATATYPES[type] ?? type,
          shape: batched ? [-1, ...dims] : dims,
        },
      ];
    });
  const inputs = tensors('input');
  const outputs = tensors('output');
  return inputs.length === 0 && outputs.length === 0 ? undefined : { inputs, outputs };
}
