import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runPackageAction } from '../../../actions/package/main.ts';
import { run as runPushAction } from '../../../actions/push/main.ts';
import { MAX_FILE_LAYERS, OWN_LAYER_BYTES } from '../../../shared/model/package.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import type { ImageConfig, ImageManifest } from '../../../shared/oci/types.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { float32Weights } from '../../support/model-files.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

/**
 * One layer per large weight file: a change to a small file of a model (its
 * tokenizer) re-uploads the small files' layer and the config, not the
 * weights. Packaged and pushed by the actions to a real registry.
 */
const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-layers-'));
  temps.push(dir);
  return dir;
};
let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
});
afterAll(async () => {
  await registry?.stop();
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function packaged(model: string, version: string) {
  const env = withActionEnv({
    model,
    name: 'bert',
    version,
    runtime: 'vllm',
    'base-image': 'scratch',
    output: join(temp(), 'layout'),
  });
  try {
    expect(await runPackageAction()).toBe(true);
    const outputs = env.outputs();
    const read = await readLayout(outputs.layout!);
    const manifest = read.manifests.get(read.top.digest) as ImageManifest;
    return { outputs, manifest, summary: env.summary() };
  } finally {
    env.restore();
  }
}

async function pushed(layout: string) {
  const env = withActionEnv({ layout, destinations: `${registry.host}/models/bert` });
  try {
    expect(await runPushAction()).toBe(true);
    return env.outputs();
  } finally {
    env.restore();
  }
}

describe('model layers', () => {
  it('a large weight file gets a layer of its own; a 2 KB tokenizer change re-uploads under 1 MB', async () => {
    const model = temp();
    const shard = OWN_LAYER_BYTES + 1024 * 1024; // 5 MiB, over the threshold
    writeFileSync(join(model, 'model-00001-of-00002.safetensors'), float32Weights(shard, 1));
    writeFileSync(join(model, 'model-00002-of-00002.safetensors'), float32Weights(shard, 2));
    writeFileSync(join(model, 'config.json'), '{"architectures": ["BertModel"]}');
    writeFileSync(join(model, 'tokenizer.json'), JSON.stringify({ vocab: 'a'.repeat(2000) }));

    const first = await packaged(model, '1');
    // The small files, each shard, then the runtime configuration: four layers.
    expect(first.manifest.layers).toHaveLength(4);
    const sizes = first.manifest.layers.map((l) => l.size);
    expect(sizes[0]).toBeLessThan(64 * 1024);
    expect(sizes[1]).toBeGreaterThan(shard);
    expect(sizes[2]).toBeGreaterThan(shard);
    expect(first.summary).toContain('model: `/models/bert/model-00001-of-00002.safetensors`');
    const firstPush = await pushed(first.outputs.layout!);
    expect(Number(firstPush['bytes-uploaded'])).toBeGreaterThan(2 * shard);

    // The same model packaged again: the same layers, byte for byte.
    const again = await packaged(model, '1');
    expect(again.manifest.layers.map((l) => l.digest)).toEqual(
      first.manifest.layers.map((l) => l.digest),
    );

    writeFileSync(join(model, 'tokenizer.json'), JSON.stringify({ vocab: 'b'.repeat(2000) }));
    const second = await packaged(model, '1');
    expect(second.outputs['model-digest']).not.toBe(first.outputs['model-digest']);
    expect(second.manifest.layers[1]!.digest).toBe(first.manifest.layers[1]!.digest);
    expect(second.manifest.layers[2]!.digest).toBe(first.manifest.layers[2]!.digest);
    expect(second.manifest.layers[0]!.digest).not.toBe(first.manifest.layers[0]!.digest);
    const secondPush = await pushed(second.outputs.layout!);
    const uploaded = Number(secondPush['bytes-uploaded']);
    expect(uploaded).toBeGreaterThan(0);
    expect(uploaded).toBeLessThan(1024 * 1024);
    expect(Number(secondPush['bytes-skipped'])).toBeGreaterThan(2 * shard);

    // The config names each layer's file in its history, one diff id per layer.
    const read = await readLayout(second.outputs.layout!);
    const config = JSON.parse(
      (await read.readBlob(second.manifest.config.digest)).toString(),
    ) as ImageConfig;
    expect(config.rootfs.diff_ids).toHaveLength(4);
    expect(config.history?.map((h) => h.created_by)).toEqual([
      'model-deploy: model bert 1 (vllm)',
      'model-deploy: model bert 1 (vllm): /models/bert/model-00001-of-00002.safetensors',
      'model-deploy: model bert 1 (vllm): /models/bert/model-00002-of-00002.safetensors',
      'model-deploy: vllm configuration and model card',
    ]);
  });

  it(`at most ${MAX_FILE_LAYERS} files get their own layer, the largest ones`, async () => {
    const model = temp();
    writeFileSync(join(model, 'config.json'), '{}');
    // One more large file than the cap; the smallest of them goes with the small files.
    for (let i = 0; i <= MAX_FILE_LAYERS; i++) {
      const bytes = OWN_LAYER_BYTES + (i + 1) * 4096;
      writeFileSync(
        join(model, `shard-${String(i).padStart(2, '0')}.safetensors`),
        Buffer.alloc(bytes, i),
      );
    }
    const { manifest, outputs } = await packaged(model, '1');
    expect(manifest.layers).toHaveLength(1 + MAX_FILE_LAYERS + 1);
    // The small files' layer holds config.json and shard-00, the smallest large file.
    const read = await readLayout(outputs.layout!);
    const config = JSON.parse(
      (await read.readBlob(manifest.config.digest)).toString(),
    ) as ImageConfig;
    const own = (config.history ?? [])
      .map((h) => /: (\/models\/\S+)$/.exec(h.created_by ?? '')?.[1])
      .filter(Boolean);
    expect(own).toHaveLength(MAX_FILE_LAYERS);
    expect(own).not.toContain('/models/bert/shard-00.safetensors');
    expect(own[0]).toBe('/models/bert/shard-01.safetensors');
  });
});
