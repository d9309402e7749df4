import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';

/**
 * Synthetic model files for packaging tests. The bytes are what matters to
 * packaging, not whether a runtime could load them, so weights are
 * pseudo-random float32 values from a seed: the same seed gives the same bytes
 * on every machine, which determinism tests rely on.
 */

/** xorshift32: tiny, seedable, and the same everywhere. */
function* floats(seed: number): Generator<number> {
  let x = seed >>> 0 || 1;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // Roughly normal-sized weights, like a trained layer's.
    yield ((x / 0xffffffff) * 2 - 1) * 0.2;
  }
}

export function float32Weights(bytes: number, seed = 1): Buffer {
  const count = Math.floor(bytes / 4);
  const array = new Float32Array(count);
  const source = floats(seed);
  for (let i = 0; i < count; i++) array[i] = source.next().value as number;
  return Buffer.from(array.buffer, array.byteOffset, count * 4);
}

/** Writes `bytes` of float32 weights in 4 MiB pieces, so huge files use little memory. */
export async function writeFloat32File(path: string, bytes: number, seed = 1): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const chunk = 4 << 20;
  for (let written = 0, part = 0; written < bytes; written += chunk, part++) {
    const piece = float32Weights(Math.min(chunk, bytes - written), seed + part * 7919);
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function put(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A Triton-style folder: model.onnx (+ optional config.pbtxt). */
export function tritonOnnxFolder(
  dir: string,
  options: { config?: boolean; bytes?: number; seed?: number } = {},
): string {
  put(join(dir, 'model.onnx'), float32Weights(options.bytes ?? 64 * 1024, options.seed ?? 1));
  if (options.config) {
    put(
      join(dir, 'config.pbtxt'),
      [
        'name: "resnet"',
        'backend: "onnxruntime"',
        'max_batch_size: 8',
        'input [',
        '  { name: "input__0" data_type: TYPE_FP32 dims: [ 3, 224, 224 ] }',
        ']',
        'output [',
        '  { name: "output__0" data_type: TYPE_FP32 dims: [ 1000 ] }',
        ']',
        '',
      ].join('\n'),
    );
  }
  return dir;
}

/** A TF SavedModel folder: saved_model.pb and variables/. */
export function savedModelFolder(dir: string): string {
  put(join(dir, 'saved_model.pb'), float32Weights(4096, 2));
  put(join(dir, 'variables', 'variables.index'), float32Weights(256, 3));
  put(join(dir, 'variables', 'variables.data-00000-of-00001'), float32Weights(16 * 1024, 4));
  return dir;
}

export function torchserveArchive(dir: string): string {
  put(join(dir, 'resnet.mar'), float32Weights(8192, 5));
  return dir;
}

/** An sklearn model for MLServer, as an MLflow model folder would hold it. */
export function sklearnFolder(dir: string, options: { mlmodel?: boolean } = {}): string {
  put(join(dir, 'model.joblib'), float32Weights(2048, 6));
  if (options.mlmodel) {
    put(
      join(dir, 'MLmodel'),
      [
        'artifact_path: model',
        'flavors:',
        '  sklearn:',
        '    pickled_model: model.joblib',
        'signature:',
        '  inputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]}}]\'',
        '  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]\'',
        '',
      ].join('\n'),
    );
  }
  return dir;
}

/** A Hugging Face folder for vLLM. */
export function huggingFaceFolder(dir: string): string {
  put(
    join(dir, 'config.json'),
    JSON.stringify({ architectures: ['LlamaForCausalLM'], hidden_size: 64 }),
  );
  put(join(dir, 'model.safetensors'), float32Weights(32 * 1024, 7));
  put(join(dir, 'tokenizer.json'), JSON.stringify({ version: '1.0', model: { type: 'BPE' } }));
  return dir;
}
