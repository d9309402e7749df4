import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';

/**
 * Synthetic models at the sizes users ship. The weights are float32 values
 * drawn from a normal distribution (σ = 0.02, like initialised transformer
 * weights): their exponent bytes repeat and their mantissas are noise, so
 * they compress by a few percent, as trained weights do. All-zero files
 * would flatter gzip and a tar, pure random bytes would flatter nothing and
 * misstate what a model looks like.
 */
export interface SyntheticModel {
  /** The size label from the command line, e.g. `98M`. */
  label: string;
  /** What the size stands for. */
  kind: string;
  /** The model folder (what the package action's `model` input points at). */
  dir: string;
  /** Its files, relative to `dir`. */
  files: string[];
  bytes: number;
}

const KINDS: Record<string, { kind: string; weights: string; config: object }> = {
  '98M': {
    kind: 'ResNet50 (ONNX)',
    weights: 'model.onnx',
    config: { architecture: 'resnet50', input: [1, 3, 224, 224], output: [1, 1000] },
  },
  '420M': {
    kind: 'BERT-base (safetensors)',
    weights: 'model.safetensors',
    config: { architectures: ['BertModel'], hidden_size: 768, num_hidden_layers: 12 },
  },
  '2G': {
    kind: 'LLM shard (safetensors)',
    weights: 'model-00001-of-00008.safetensors',
    config: { architectures: ['LlamaForCausalLM'], hidden_size: 4096, num_hidden_layers: 32 },
  },
};

export const DEFAULT_SIZES = Object.keys(KINDS);

/** `98M` → 98,000,000 bytes; `2G` → 2,000,000,000 (decimal units, as model cards state them). */
export function parseSize(label: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG])$/i.exec(label.trim());
  if (!match) throw new Error(`--sizes: '${label}' is not a size like 98M, 420M or 2G`);
  const unit = { K: 1e3, M: 1e6, G: 1e9 }[match[2]!.toUpperCase() as 'K' | 'M' | 'G'];
  return Math.round(Number(match[1]) * unit);
}

/** Marsaglia's xorshift (two 32-bit words): fast and seeded, so the same size always gives the same bytes. */
function seededUniform(seed: number): () => number {
  let x = seed | 0 || 123456789;
  let y = 362436069;
  return () => {
    const t = x ^ (x << 11);
    x = y;
    y = (y ^ (y >>> 19) ^ (t ^ (t >>> 8))) | 0;
    return ((y >>> 0) + 0.5) / 4294967296;
  };
}

async function writeNormalFloats(path: string, bytes: number, seed: number): Promise<void> {
  const uniform = seededUniform(seed);
  const out = createWriteStream(path);
  const chunkFloats = 1 << 20;
  let remaining = bytes;
  while (remaining > 0) {
    const floats = Math.min(chunkFloats, Math.ceil(remaining / 4));
    const chunk = new Float32Array(floats);
    // Box–Muller: two normal values per pair of uniforms.
    for (let i = 0; i < floats; i += 2) {
      const r = Math.sqrt(-2 * Math.log(uniform())) * 0.02;
      const theta = 2 * Math.PI * uniform();
      chunk[i] = r * Math.cos(theta);
      if (i + 1 < floats) chunk[i + 1] = r * Math.sin(theta);
    }
    const buffer = Buffer.from(chunk.buffer, 0, Math.min(remaining, floats * 4));
    remaining -= buffer.length;
    if (!out.write(buffer)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The model for a size label, generated once into `cacheDir` and reused
 * (a marker file records a finished generation, so an interrupted one is redone).
 */
export async function syntheticModel(label: string, cacheDir: string): Promise<SyntheticModel> {
  const bytes = parseSize(label);
  const known = KINDS[label.toUpperCase()];
  const kind = known?.kind ?? `${label} of float32 weights`;
  const weights = known?.weights ?? 'weights.bin';
  const dir = join(cacheDir, `model-${label.toUpperCase()}`);
  const marker = join(cacheDir, `model-${label.toUpperCase()}.complete`);
  const files = [weights, 'config.json'];
  const expected = JSON.stringify({ bytes, weights, version: 1 });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === expected) {
    return { label, kind, dir, files, bytes };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await writeNormalFloats(join(dir, weights), bytes, bytes % 2147483647);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify(known?.config ?? { synthetic: true }, null, 2) + '\n',
  );
  writeFileSync(marker, expected);
  return { label, kind, dir, files, bytes };
}

/**
 * A 2 KB tokenizer file beside a model's weights, in a folder of its own
 * (the weights copied once: package refuses hard links that leave the
 * folder). `revision` changes a few of its bytes, as a vocabulary fix
 * would, and nothing else.
 */
export function withTokenizer(model: SyntheticModel, cacheDir: string, revision: number) {
  const dir = join(cacheDir, `model-${model.label.toUpperCase()}-tokenizer`);
  mkdirSync(dir, { recursive: true });
  for (const file of model.files) {
    const target = join(dir, file);
    const source = join(model.dir, file);
    if (!existsSync(target) || statSync(target).size !== statSync(source).size) {
      copyFileSync(source, `${target}.partial`);
      renameSync(`${target}.partial`, target);
    }
  }
  const vocab: Record<string, number> = {};
  for (let i = 0; Object.keys(vocab).length < 400; i++) vocab[`tok${i.toString(36)}`] = i;
  let text = JSON.stringify({ version: '1.0', revision, model: { type: 'WordPiece', vocab } });
  text = text.slice(0, 2040);
  writeFileSync(join(dir, 'tokenizer.json'), text.padEnd(2048, ' '));
  return {
    ...model,
    label: `${model.label}+tokenizer`,
    dir,
    files: [...model.files, 'tokenizer.json'],
    bytes: model.bytes + 2048,
  };
}

/**
 * 10,000 small files (100–500 bytes each, seeded, 100 folders of 100): the
 * shape of a model that ships many small assets (vocabularies, a Python
 * package, image samples), where per-file costs weigh and bytes do not.
 */
export function manyFilesModel(cacheDir: string, count = 10_000): SyntheticModel {
  const dir = join(cacheDir, `many-files-${count}`);
  const marker = `${dir}.complete`;
  const files: string[] = [];
  for (let i = 0; i < count; i++)
    files.push(`d${String(Math.floor(i / 100)).padStart(3, '0')}/f${i}.txt`);
  const sizes = (() => {
    const uniform = seededUniform(count);
    return files.map(() => 100 + Math.floor(uniform() * 401));
  })();
  const bytes = sizes.reduce((n, s) => n + s, 0);
  const model = {
    label: `${count / 1000}k-files`,
    kind: `${count.toLocaleString('en')} small files`,
    dir,
    files,
    bytes,
  };
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(bytes)) return model;
  rmSync(dir, { recursive: true, force: true });
  const uniform = seededUniform(count + 1);
  files.forEach((file, i) => {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    const content = Buffer.alloc(sizes[i]!);
    for (let b = 0; b < content.length; b++) content[b] = 32 + Math.floor(uniform() * 95);
    writeFileSync(join(dir, file), content);
  });
  writeFileSync(marker, String(bytes));
  return model;
}
