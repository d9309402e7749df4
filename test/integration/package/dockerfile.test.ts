import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/package/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { containersConfPath } from '../../support/podman.ts';
import { tritonOnnxFolder } from '../../support/model-files.ts';
import { requireTool } from '../../support/tools.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import type { ImageConfig, ImageManifest } from '../../../shared/oci/types.ts';
import { hostArchitecture, pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

const exec = promisify(execFile);
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('package action: the Dockerfile path', () => {
  it('builds the Dockerfile with podman and writes the image as the OCI layout', async () => {
    requireTool('podman', 'podman');
    requireTool('umoci', 'umoci');
    const context = mkdtempSync(join(tmpdir(), 'md-dockerfile-'));
    temps.push(context);
    tritonOnnxFolder(join(context, 'resnet'));
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM scratch\nCOPY resnet/model.onnx /models/resnet/1/model.onnx\nLABEL stage=test\n',
    );
    const env = withActionEnv(
      {
        model: join(context, 'resnet'),
        name: 'resnet',
        dockerfile: join(context, 'Dockerfile'),
        context,
      },
      { CONTAINERS_CONF: containersConfPath },
    );
    let ok: boolean;
    let outputs: Record<string, string>;
    try {
      ok = await run();
      outputs = env.outputs();
    } finally {
      env.restore();
    }
    expect(ok).toBe(true);
    expect(outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const layout = await readLayout(outputs.layout!);
    expect(layout.top.digest).toBe(outputs.digest);
    expect(layout.metadata).toMatchObject({
      name: 'resnet',
      version: '1',
      tag: '1',
      externalBlobs: {},
    });
    const bundle = join(context, 'bundle');
    await exec('umoci', ['unpack', '--rootless', '--image', `${outputs.layout}:1`, bundle]);
    expect(
      readFileSync(join(bundle, 'rootfs', 'models', 'resnet', '1', 'model.onnx')).equals(
        readFileSync(join(context, 'resnet', 'model.onnx')),
      ),
    ).toBe(true);
    expect(JSON.parse(readFileSync(outputs.openapi!, 'utf8')).paths).toHaveProperty(
      '/v2/models/resnet/infer',
    );
  });
});

describe('package action: the Dockerfile path with the image settings', () => {
  let registry: LocalRegistry;
  let busybox: PushedImage;
  beforeAll(async () => {
    requireTool('podman', 'podman');
    registry = await startRegistry({ auth: 'none' });
    busybox = await pushBusyboxImage(registry, 'base/busybox', '1');
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
  });

  async function build(dockerfile: string, inputs: Record<string, string>) {
    const context = mkdtempSync(join(tmpdir(), 'md-dockerfile-'));
    temps.push(context);
    tritonOnnxFolder(join(context, 'resnet'));
    writeFileSync(join(context, 'Dockerfile'), dockerfile);
    const env = withActionEnv(
      {
        model: join(context, 'resnet'),
        name: 'resnet',
        dockerfile: join(context, 'Dockerfile'),
        context,
        ...inputs,
      },
      { CONTAINERS_CONF: containersConfPath },
    );
    try {
      const ok = await run();
      return { ok, outputs: env.outputs(), context };
    } finally {
      env.restore();
    }
  }

  async function imageOf(layoutPath: string) {
    const layout = await readLayout(layoutPath);
    const manifest = layout.manifests.get(layout.top.digest) as ImageManifest;
    const config = JSON.parse(
      (await layout.readBlob(manifest.config.digest)).toString(),
    ) as ImageConfig;
    return { layout, manifest, config };
  }

  it('sets the entrypoint, command, env, ports, annotations and platform on the built image', async () => {
    const other = hostArchitecture() === 'arm64' ? 'amd64' : 'arm64';
    const { ok, outputs } = await build(
      'FROM scratch\nCOPY resnet/model.onnx /models/resnet/1/model.onnx\nENV KEEP=1 MODE=old\nEXPOSE 7000\n',
      {
        platforms: `linux/${other}`,
        entrypoint: '["/bin/serve", "--verbose"]',
        cmd: 'start\n--port=9000',
        env: 'MODE=new\nEXTRA=yes',
        ports: '9000,9001',
        annotations: 'org.example.team=vision',
        labels: 'org.example.owner=ml',
      },
    );
    expect(ok).toBe(true);
    const { layout, manifest, config } = await imageOf(outputs.layout!);
    expect(layout.top.digest).toBe(outputs.digest);
    expect(config.architecture).toBe(other);
    expect(config.config?.Entrypoint).toEqual(['/bin/serve', '--verbose']);
    expect(config.config?.Cmd).toEqual(['start', '--port=9000']);
    expect(config.config?.Env).toEqual(expect.arrayContaining(['KEEP=1', 'MODE=new', 'EXTRA=yes']));
    expect(config.config?.Env).not.toContain('MODE=old');
    expect(Object.keys(config.config?.ExposedPorts ?? {}).sort()).toEqual([
      '7000/tcp',
      '9000/tcp',
      '9001/tcp',
    ]);
    expect(config.config?.Labels).toMatchObject({ 'org.example.owner': 'ml' });
    expect(manifest.annotations).toMatchObject({ 'org.example.team': 'vision' });
    // The edited image is still a whole one: every blob is there and the layers are the build's.
    for (const blob of layout.blobs) expect(layout.hasBlob(blob.digest)).toBe(true);
    expect(config.rootfs.diff_ids).toHaveLength(manifest.layers.length);
    const bundle = join(mkdtempSync(join(tmpdir(), 'md-bundle-')), 'b');
    temps.push(join(bundle, '..'));
    await exec('umoci', ['unpack', '--rootless', '--image', `${outputs.layout}:1`, bundle]);
    const runtimeConfig = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
    expect(runtimeConfig.process.args).toEqual(['/bin/serve', '--verbose', 'start', '--port=9000']);
  });

  it('gives the same digest for the same Dockerfile and settings', async () => {
    const dockerfile = 'FROM scratch\nCOPY resnet/model.onnx /m/model.onnx\n';
    const inputs = { env: 'A=1', cmd: '["serve"]', annotations: 'k=v', 'source-date-epoch': '7' };
    const first = await build(dockerfile, inputs);
    const second = await build(dockerfile, inputs);
    expect(first.ok && second.ok).toBe(true);
    expect(second.outputs.digest).toBe(first.outputs.digest);
    const without = await build(dockerfile, { 'source-date-epoch': '7' });
    expect(without.outputs.digest).not.toBe(first.outputs.digest);
  });

  it('holds the base image layers in the layout with include-base-layers', async () => {
    const { ok, outputs } = await build(
      `FROM ${registry.host}/base/busybox:1\nCOPY resnet/model.onnx /m/model.onnx\n`,
      { 'include-base-layers': 'true' },
    );
    expect(ok).toBe(true);
    const { layout, manifest } = await imageOf(outputs.layout!);
    expect(layout.externalBlobs.size).toBe(0);
    expect(manifest.layers.length).toBe(2);
    for (const layer of manifest.layers) expect(layout.hasBlob(layer.digest)).toBe(true);
    const diffIds = (await imageOf(outputs.layout!)).config.rootfs.diff_ids;
    expect(diffIds[0]).toBe(busybox.layout.layer.diffId);
  });

  it('refuses several platforms by name before building', async () => {
    const { ok, outputs } = await build('FROM scratch\n', {
      platforms: 'linux/amd64,linux/arm64',
    });
    expect(ok).toBe(false);
    expect(outputs.digest).toBeUndefined();
  });
});
