import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../actions/package/main.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';
import { tritonOnnxFolder, savedModelFolder, float32Weights } from '../../support/model-files.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import type { ImageConfig, ImageIndex, ImageManifest } from '../../../shared/oci/types.ts';

const temps: string[] = [];
const temp = (prefix = 'md-pkg-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
let env: ActionEnv | undefined;
afterEach(() => {
  env?.restore();
  env = undefined;
  vi.useRealTimers();
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function runPackage(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  env = withActionEnv(inputs, extraEnv);
  const ok = await run();
  const result = { ok, outputs: env.outputs(), summary: env.summary(), exitCode: process.exitCode };
  env.restore();
  env = undefined;
  return result;
}

/** Errors reach the log through core.setFailed, which writes `::error::` to stdout. */
async function failure(inputs: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const result = await runPackage(inputs);
    expect(result.ok).toBe(false);
    expect(result.exitCode).toBe(1);
  } finally {
    spy.mockRestore();
  }
  const error = lines.find((l) => l.startsWith('::error::'));
  expect(error, lines.join('')).toBeDefined();
  return decodeURIComponent(error!.replace(/%0A/g, '\n'));
}

describe('package action: determinism', () => {
  it('gives the same digest from different folders, clock times, file times and modes', async () => {
    const first = tritonOnnxFolder(join(temp(), 'resnet'), { config: true });
    const second = tritonOnnxFolder(join(temp(), 'elsewhere', 'resnet'), { config: true });
    utimesSync(join(second, 'model.onnx'), new Date('2031-05-05'), new Date('2031-05-05'));
    chmodSync(join(second, 'model.onnx'), 0o600);
    chmodSync(join(second, 'config.pbtxt'), 0o664);
    const inputs = {
      name: 'resnet',
      version: '3',
      'base-image': 'scratch',
      'source-date-epoch': '1700000000',
    };

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
    const a = await runPackage({ ...inputs, model: first });
    vi.setSystemTime(new Date('2029-07-07T12:34:56Z'));
    const b = await runPackage({ ...inputs, model: second, output: join(temp(), 'other-layout') });
    vi.useRealTimers();

    expect(a.ok).toBe(true);
    expect(b.ok).toBe(true);
    expect(a.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(b.outputs.digest).toBe(a.outputs.digest);
    expect(b.outputs['model-digest']).toBe(a.outputs['model-digest']);
    expect(a.outputs.layout).not.toBe(b.outputs.layout);
    expect(JSON.parse(a.outputs.annotations!)['org.opencontainers.image.created']).toBe(
      '2023-11-14T22:13:20Z',
    );
  });

  it('changes only the small layers and the top digest when just the version changes', async () => {
    const model = tritonOnnxFolder(join(temp(), 'resnet'));
    const v3 = await runPackage({ model, name: 'resnet', version: '3', 'base-image': 'scratch' });
    const same = await runPackage({
      model,
      name: 'resnet',
      version: '3',
      'base-image': 'scratch',
      'source-date-epoch': '5',
    });
    const v4 = await runPackage({ model, name: 'resnet', version: '4', 'base-image': 'scratch' });
    expect(same.outputs.digest).not.toBe(v3.outputs.digest);
    expect(v4.outputs.digest).not.toBe(v3.outputs.digest);
    expect(v4.outputs['model-digest']).toBe(v3.outputs['model-digest']);
    const layers = async (layout: string) => {
      const read = await readLayout(layout);
      return (read.manifests.get(read.top.digest) as ImageManifest).layers.map((l) => l.digest);
    };
    const l3 = await layers(v3.outputs.layout!);
    const l4 = await layers(v4.outputs.layout!);
    expect(l3).toHaveLength(2);
    // Triton keeps versions in numbered folders, so the tar paths differ; with a
    // version-free runtime path the model layer is byte-identical across versions.
    expect(l4[1]).not.toBe(l3[1]);

    const hf = temp();
    writeFileSync(join(hf, 'config.json'), '{}');
    writeFileSync(join(hf, 'model.safetensors'), float32Weights(4096));
    const a = await runPackage({
      model: hf,
      name: 'llm',
      version: '1',
      runtime: 'vllm',
      'base-image': 'scratch',
    });
    const b = await runPackage({
      model: hf,
      name: 'llm',
      version: '2',
      runtime: 'vllm',
      'base-image': 'scratch',
    });
    const la = await layers(a.outputs.layout!);
    const lb = await layers(b.outputs.layout!);
    expect(lb[0]).toBe(la[0]);
    expect(lb[1]).not.toBe(la[1]);
  });

  it('writes outputs and a job summary with digest, layers, runtime and lineage', async () => {
    const model = savedModelFolder(temp());
    const result = await runPackage(
      {
        model,
        name: 'classifier',
        version: '7',
        runtime: 'tfserving',
        'base-image': 'scratch',
        annotations: 'team=vision',
      },
      {
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'org/models',
        GITHUB_SHA: 'deadbeef',
      },
    );
    expect(result.ok).toBe(true);
    const annotations = JSON.parse(result.outputs.annotations!);
    expect(annotations).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/org/models',
      'org.opencontainers.image.revision': 'deadbeef',
      'org.opencontainers.image.version': '7',
      'dev.model-deploy.runtime': 'tfserving',
      team: 'vision',
    });
    const openapi = JSON.parse(readFileSync(result.outputs.openapi!, 'utf8'));
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/v1/models/classifier:predict');
    expect(result.summary).toContain(result.outputs.digest);
    expect(result.summary).toContain('tfserving');
    expect(result.summary).toMatch(/\| model \| layer\.v1\.tar \|/);
    expect(result.summary).toContain('org.opencontainers.image.revision');
  });
});

describe('package action: image settings from inputs', () => {
  it('applies entrypoint, cmd, env, ports, labels and platforms to every config', async () => {
    const result = await runPackage({
      model: tritonOnnxFolder(temp()),
      name: 'm',
      runtime: 'custom',
      'base-image': 'scratch',
      platforms: 'linux/amd64, linux/arm64',
      entrypoint: '["/bin/server", "--model-dir"]',
      cmd: '/models/m/1\n--verbose',
      env: 'LOG_LEVEL=debug\nTHREADS=4',
      ports: '9000,9001',
      labels: 'team=vision',
    });
    expect(result.ok).toBe(true);
    const layout = await readLayout(result.outputs.layout!);
    const index = layout.manifests.get(layout.top.digest) as ImageIndex;
    expect(index.manifests.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    for (const descriptor of index.manifests) {
      const manifest = layout.manifests.get(descriptor.digest) as ImageManifest;
      const config = JSON.parse(
        (await layout.readBlob(manifest.config.digest)).toString(),
      ) as ImageConfig;
      expect(config.architecture).toBe(descriptor.platform?.architecture);
      expect(config.config?.Entrypoint).toEqual(['/bin/server', '--model-dir']);
      expect(config.config?.Cmd).toEqual(['/models/m/1', '--verbose']);
      expect(config.config?.Env).toEqual(
        expect.arrayContaining(['LOG_LEVEL=debug', 'THREADS=4', 'MODEL_PATH=/models/m/1']),
      );
      expect(Object.keys(config.config?.ExposedPorts ?? {})).toEqual(['9000/tcp', '9001/tcp']);
      expect(config.config?.Labels).toMatchObject({
        team: 'vision',
        'org.opencontainers.image.title': 'm',
      });
    }
  });

  it('refuses a bad port, a bad platform and a malformed entrypoint, naming the input', async () => {
    const model = tritonOnnxFolder(temp());
    expect(await failure({ model, name: 'm', 'base-image': 'scratch', ports: '80000' })).toContain(
      "input 'ports' has '80000', which is not a TCP port",
    );
    expect(
      await failure({ model, name: 'm', 'base-image': 'scratch', platforms: 'amd64' }),
    ).toContain("input 'platforms' has 'amd64', which is not os/arch[/variant]");
    expect(
      await failure({ model, name: 'm', 'base-image': 'scratch', entrypoint: '["a", 1]' }),
    ).toContain("input 'entrypoint' must be a JSON array of strings");
    expect(await failure({ model, name: 'bad name', 'base-image': 'scratch' })).toContain(
      "input 'name' 'bad name' is not a valid name: lowercase letters, digits and '-'",
    );
  });
});

describe('package action: bad input, each with its message', () => {
  it('a missing model path', async () => {
    const message = await failure({
      model: join(temp(), 'nope'),
      name: 'm',
      'base-image': 'scratch',
    });
    expect(message).toContain("input 'model' points at");
    expect(message).toContain('which does not exist');
  });

  it('an empty model folder', async () => {
    const message = await failure({ model: temp(), name: 'm', 'base-image': 'scratch' });
    expect(message).toContain("input 'model' points at");
    expect(message).toContain('a folder with no files in it');
  });

  it('a symlink that leads outside the model folder', async () => {
    const model = tritonOnnxFolder(join(temp(), 'resnet'));
    const secret = join(temp(), 'secret.txt');
    writeFileSync(secret, 'private');
    symlinkSync(secret, join(model, 'leak.txt'));
    const message = await failure({ model, name: 'm', 'base-image': 'scratch' });
    expect(message).toContain(
      "input 'model' contains a symlink that leads outside the model folder: leak.txt ->",
    );
  });

  it('accepts a symlink that stays inside the model folder', async () => {
    const model = tritonOnnxFolder(join(temp(), 'resnet'));
    mkdirSync(join(model, 'extra'));
    symlinkSync('../model.onnx', join(model, 'extra', 'alias.onnx'));
    const result = await runPackage({ model, name: 'm', 'base-image': 'scratch' });
    expect(result.ok).toBe(true);
  });

  it('an unknown runtime', async () => {
    const message = await failure({
      model: tritonOnnxFolder(temp()),
      name: 'm',
      runtime: 'onnxserve',
    });
    expect(message).toContain(
      "input 'runtime' must be one of triton, tfserving, torchserve, mlserver, vllm, custom; got 'onnxserve'",
    );
  });

  it('a model that does not fit its runtime, saying what is missing', async () => {
    const tf = await failure({
      model: tritonOnnxFolder(temp()),
      name: 'm',
      runtime: 'tfserving',
      'base-image': 'scratch',
    });
    expect(tf).toContain(
      "input 'model' does not fit the tfserving runtime: a SavedModel folder needs saved_model.pb",
    );
    const triton = await failure({
      model: savedModelFolder(temp()),
      name: 'm',
      runtime: 'triton',
      'base-image': 'scratch',
    });
    expect(triton).toContain(
      'does not fit the triton runtime: no model.onnx, model.plan, model.pt or model.savedmodel/',
    );
    const vllm = await failure({
      model: savedModelFolder(temp()),
      name: 'm',
      runtime: 'vllm',
      'base-image': 'scratch',
    });
    expect(vllm).toContain('needs config.json and weights (*.safetensors or *.bin)');
    const version = await failure({
      model: tritonOnnxFolder(temp()),
      name: 'm',
      version: '1.2.0',
      'base-image': 'scratch',
    });
    expect(version).toContain("input 'version' must be a whole number for the triton runtime");
  });

  it('custom runtime without a base image', async () => {
    const message = await failure({
      model: tritonOnnxFolder(temp()),
      name: 'm',
      runtime: 'custom',
    });
    expect(message).toContain("input 'base-image' is required when runtime is custom");
  });

  it('an output folder that holds something else is left alone', async () => {
    const output = temp();
    writeFileSync(join(output, 'keep.txt'), 'x');
    const message = await failure({
      model: tritonOnnxFolder(temp()),
      name: 'm',
      'base-image': 'scratch',
      output,
    });
    expect(message).toContain(
      "input 'output' is a folder that is not empty and is not an OCI image layout",
    );
    expect(readFileSync(join(output, 'keep.txt'), 'utf8')).toBe('x');
  });
});
