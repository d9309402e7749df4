import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import type { ImageManifest } from '../../../shared/oci/types.ts';
import {
  buildModelImage,
  type BuildModelImageRequest,
} from '../../../shared/orchestrators/build-model-image.ts';
import { sha256Hex, tritonOnnxFolder } from '../../support/model-files.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-orch-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function request(overrides: Partial<BuildModelImageRequest> = {}): BuildModelImageRequest {
  return {
    model: tritonOnnxFolder(join(temp(), 'resnet')),
    name: 'resnet',
    version: undefined,
    runtime: 'triton',
    baseImage: 'scratch',
    platforms: [],
    entrypoint: undefined,
    cmd: undefined,
    env: {},
    ports: undefined,
    labels: {},
    annotations: {},
    output: undefined,
    sourceDateEpoch: 0,
    includeBaseLayers: false,
    dockerfile: undefined,
    context: undefined,
    mlflowTrackingUri: undefined,
    mlflowAuth: {},
    baseCredential: { kind: 'anonymous' },
    insecureRegistries: [],
    lineage: {},
    workDir: temp(),
    ...overrides,
  };
}

describe('buildModelImage', () => {
  it('packages a local model under the work folder, version 1 by default, each step in its group', async () => {
    const steps: string[] = [];
    const req = request();
    const result = await buildModelImage(req, {
      logger: silentLogger,
      group: (name, step) => {
        steps.push(name);
        return step();
      },
    });
    expect(steps).toEqual(['Resolving the model', 'Packaging']);
    expect(result.version).toBe('1');
    expect(result.layout).toBe(join(req.workDir, 'layout-1'));
    expect(result.runtime.name).toBe('triton');
    expect(result.source).toEqual({ kind: 'local', uri: req.model });
    const layout = await readLayout(result.layout);
    expect(layout.top.digest).toBe(result.digest);
    expect(layout.tag).toBe('1');
    // The model digest is the sha256sum listing of the model's files.
    const onnx = readFileSync(join(req.model, 'model.onnx'));
    const listing = `${sha256Hex(onnx)}  ./model.onnx\n`;
    expect(result.modelDigest).toBe(`sha256:${sha256Hex(listing)}`);
  });

  it('passes the version, output, settings and lineage through to the image', async () => {
    const output = join(temp(), 'out');
    const result = await buildModelImage(
      request({
        version: '7',
        output,
        annotations: { 'org.example.team': 'vision' },
        lineage: { source: 'https://github.com/o/r', revision: 'abc' },
      }),
      { logger: silentLogger },
    );
    expect(result.layout).toBe(output);
    expect(result.version).toBe('7');
    const layout = await readLayout(output, { tag: '7' });
    const manifest = layout.manifests.get(layout.top.digest) as ImageManifest;
    expect(manifest.annotations).toMatchObject({
      'org.example.team': 'vision',
      'org.opencontainers.image.source': 'https://github.com/o/r',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.version': '7',
    });
  });

  it('gives the same digest for the same request, and another for another version', async () => {
    const model = tritonOnnxFolder(join(temp(), 'resnet'));
    const one = await buildModelImage(request({ model }), { logger: silentLogger });
    const again = await buildModelImage(request({ model }), { logger: silentLogger });
    const other = await buildModelImage(request({ model, version: '2' }), {
      logger: silentLogger,
    });
    expect(again.digest).toBe(one.digest);
    expect(other.digest).not.toBe(one.digest);
    expect(other.modelDigest).toBe(one.modelDigest);
  });

  it('refuses a Dockerfile build of several platforms before resolving the model', async () => {
    const steps: string[] = [];
    const attempt = buildModelImage(
      request({
        model: join(temp(), 'missing'),
        dockerfile: 'Dockerfile',
        platforms: ['linux/amd64', 'linux/arm64'],
      }),
      {
        logger: silentLogger,
        group: (name, step) => {
          steps.push(name);
          return step();
        },
      },
    );
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toMatchObject({ input: 'platforms' });
    expect(steps).toEqual([]);
  });
});
