import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import {
  MAX_FILE_LAYERS,
  MODEL_CARD_PATH,
  OWN_LAYER_BYTES,
  digestModel,
  modelDigestOf,
  modelLayerGroups,
  packageModel,
  tagFor,
} from '../../../shared/model/package.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import type { RuntimePlan } from '../../../shared/model/runtimes/types.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import type { ImageConfig, ImageManifest } from '../../../shared/oci/types.ts';
import { sha256Hex, tritonOnnxFolder } from '../../support/model-files.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-pkg-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('tags and ports', () => {
  it('makes a version tag-safe', () => {
    expect(tagFor('3')).toBe('3');
    expect(tagFor('1.2.0+build/7')).toBe('1.2.0-build-7');
    expect(tagFor('.hidden')).toBe('hidden');
    expect(tagFor('...')).toBe('latest');
  });
});

describe('the model digest', () => {
  it("is the sha256 of the model folder's sha256sum listing, whatever the order given", async () => {
    const folder = tritonOnnxFolder(join(temp(), 'm'), { config: true });
    const listing = execFileSync(
      'sh',
      ['-c', 'find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum'],
      { cwd: folder, encoding: 'utf8' },
    ).split(' ')[0];
    const files = ['config.pbtxt', 'model.onnx'].map((path) => ({
      path,
      sha256: `sha256:${sha256Hex(readFileSync(join(folder, path)))}` as const,
    }));
    expect(modelDigestOf(files)).toBe(`sha256:${listing}`);
    expect(modelDigestOf([...files].reverse())).toBe(`sha256:${listing}`);
    expect((await digestModel(folder)).digest).toBe(`sha256:${listing}`);
  });
});

describe('model layer groups', () => {
  const planned = (path: string, size: number) => ({
    file: { path, size, executable: false, source: `/src/${path}` },
    imagePath: `/models/m/${path}`,
  });
  const plan = (files: ReturnType<typeof planned>[]): RuntimePlan => ({
    modelPath: '/models/m',
    files,
    symlinks: [],
    directories: ['/models/m'],
    generated: [],
  });

  it('puts small files together and each large file alone, by path', () => {
    const groups = modelLayerGroups(
      plan([
        planned('z.bin', OWN_LAYER_BYTES),
        planned('tokenizer.json', 10),
        planned('a.bin', OWN_LAYER_BYTES + 1),
      ]),
    );
    expect(groups.map((g) => g.path)).toEqual([undefined, '/models/m/a.bin', '/models/m/z.bin']);
    expect(groups[0]!.entries.map((e) => e.path)).toEqual([
      '/models/m',
      '/models/m/tokenizer.json',
    ]);
  });

  it('gives at most MAX_FILE_LAYERS files their own layer, the largest ones', () => {
    const files = Array.from({ length: MAX_FILE_LAYERS + 3 }, (_, i) =>
      planned(`w${String(i).padStart(2, '0')}.bin`, OWN_LAYER_BYTES + i),
    );
    const groups = modelLayerGroups(plan(files));
    const alone = groups.filter((g) => g.path !== undefined);
    expect(alone).toHaveLength(MAX_FILE_LAYERS);
    expect(alone.map((g) => g.path)).not.toContain('/models/m/w00.bin');
    expect(groups[0]!.files.map((f) => f.file.path)).toEqual(['w00.bin', 'w01.bin', 'w02.bin']);
  });
});

describe('packageModel on scratch', () => {
  it('writes the settings and lineage into one image, and no layout for a version triton cannot load', async () => {
    const folder = tritonOnnxFolder(join(temp(), 'resnet'));
    const output = join(temp(), 'layout');
    const result = await packageModel({
      modelPath: folder,
      source: { kind: 'local', uri: folder },
      name: 'resnet',
      version: '4',
      runtime: RUNTIMES.triton,
      baseImage: 'scratch',
      platforms: ['linux/arm64'],
      cmd: ['serve'],
      env: { EXTRA: '1' },
      ports: [9000],
      labels: { team: 'vision' },
      annotations: { 'org.example.k': 'v' },
      output,
      sourceDateEpoch: 86400,
      includeBaseLayers: false,
      lineage: { revision: 'abc' },
      logger: silentLogger,
    });
    expect(result.platforms).toEqual(['linux/arm64']);
    expect(result.layers.map((l) => l.role)).toEqual(['model', 'runtime config']);
    const layout = await readLayout(output, { tag: '4' });
    const manifest = layout.manifests.get(result.digest) as ImageManifest;
    const config = JSON.parse(
      (await layout.readBlob(manifest.config.digest)).toString(),
    ) as ImageConfig;
    expect(config.architecture).toBe('arm64');
    expect(config.created).toBe('1970-01-02T00:00:00Z');
    expect(config.config?.Cmd).toEqual(['serve']);
    expect(config.config?.Env).toEqual(
      expect.arrayContaining(['EXTRA=1', 'MODEL_DEPLOY_MODEL_NAME=resnet']),
    );
    expect(Object.keys(config.config?.ExposedPorts ?? {})).toEqual(['9000/tcp']);
    expect(config.config?.Labels).toMatchObject({
      team: 'vision',
      'org.opencontainers.image.revision': 'abc',
    });
    expect(manifest.annotations).toMatchObject({
      'org.example.k': 'v',
      'dev.model-deploy.model.digest': result.modelDigest,
      'dev.model-deploy.runtime': 'triton',
    });
    expect(MODEL_CARD_PATH).toBe('/model-deploy/model.json');
    expect(JSON.parse(readFileSync(result.openapi, 'utf8')).info.version).toBe('4');

    const failed = join(temp(), 'failed');
    await expect(
      packageModel({
        modelPath: folder,
        source: { kind: 'local', uri: folder },
        name: 'resnet',
        version: 'not-a-number',
        runtime: RUNTIMES.triton,
        baseImage: 'scratch',
        platforms: [],
        env: {},
        labels: {},
        annotations: {},
        output: failed,
        sourceDateEpoch: 0,
        includeBaseLayers: false,
        lineage: {},
        logger: silentLogger,
      }),
    ).rejects.toThrow(/input 'version'/);
    expect(existsSync(failed)).toBe(false);
  });
});
