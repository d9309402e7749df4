import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../actions/package/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { packageModel, type PackageRequest } from '../../../shared/model/package.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { InputError } from '../../../shared/common/errors.ts';
import type { ImageConfig, ImageIndex, ImageManifest } from '../../../shared/oci/types.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import {
  pushBusyboxImage,
  pushMultiArchBusyboxImage,
  hostArchitecture,
  type PushedImage,
} from '../../support/images.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { podman, runToCompletion } from '../../support/podman.ts';
import type { Digest } from '../../../shared/oci/digest.ts';
import { tritonOnnxFolder, sha256Hex } from '../../support/model-files.ts';
import { requireTool } from '../../support/tools.ts';

const exec = promisify(execFile);
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

let registry: LocalRegistry;
let proxy: FaultProxy;
let busybox: PushedImage;
let multiArch: PushedImage;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  busybox = await pushBusyboxImage(registry, 'base/busybox', '1');
  multiArch = await pushMultiArchBusyboxImage(registry, 'base/busybox-multi', '1');
  // Counts every request the packager makes, to prove base layers are never downloaded.
  proxy = await startFaultProxy({ upstream: registry.url });
});

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function request(overrides: Partial<PackageRequest>): PackageRequest {
  const model = tritonOnnxFolder(join(temp('md-model-'), 'resnet'), { config: true });
  return {
    modelPath: model,
    source: { kind: 'local', uri: 'models/resnet' },
    name: 'resnet',
    version: '3',
    runtime: RUNTIMES.triton,
    baseImage: `${proxy.host}/base/busybox:1`,
    platforms: [],
    env: {},
    labels: {},
    annotations: {},
    output: join(temp('md-out-'), 'layout'),
    sourceDateEpoch: 0,
    includeBaseLayers: false,
    lineage: { source: 'https://github.com/org/models', revision: 'abc123' },
    logger: silentLogger,
    ...overrides,
  };
}

describe('package on a base image from a registry', () => {
  it('reads the base manifest and config but never downloads its layers', async () => {
    const before = proxy.stats().count('GET', `/blobs/${busybox.layout.layer.digest}`);
    const result = await packageModel(request({}));
    expect(proxy.stats().count('GET', `/blobs/${busybox.layout.layer.digest}`)).toBe(before);
    expect(proxy.stats().count('GET', '/manifests/1')).toBeGreaterThan(0);

    const layout = await readLayout(result.layout);
    const manifest = layout.manifests.get(result.digest) as ImageManifest;
    expect(manifest.layers[0]!.digest).toBe(busybox.layout.layer.digest as Digest);
    expect(layout.hasBlob(busybox.layout.layer.digest as Digest)).toBe(false);
    expect(layout.externalBlobs.get(busybox.layout.layer.digest as Digest)).toEqual({
      repository: `${proxy.host}/base/busybox`,
      size: busybox.layout.layer.size,
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    });
    expect(manifest.annotations).toMatchObject({
      'org.opencontainers.image.base.name': `${proxy.host}/base/busybox:1`,
      'org.opencontainers.image.base.digest': busybox.digest,
      'org.opencontainers.image.source': 'https://github.com/org/models',
      'org.opencontainers.image.revision': 'abc123',
      'dev.model-deploy.model.digest': result.modelDigest,
    });
    const config = JSON.parse(
      (await layout.readBlob(manifest.config.digest)).toString(),
    ) as ImageConfig;
    // Base diff_id first, then the model and config layers' uncompressed digests.
    expect(config.rootfs.diff_ids[0]).toBe(busybox.layout.layer.diffId);
    expect(config.rootfs.diff_ids).toHaveLength(3);
    expect(config.rootfs.diff_ids[1]).toBe(manifest.layers[1]!.digest); // uncompressed model layer
    expect(config.rootfs.diff_ids[2]).not.toBe(manifest.layers[2]!.digest); // gzip config layer
    expect(config.history?.[0]?.created_by).toBe('busybox-static test base');
    expect(config.config?.Env).toEqual(
      expect.arrayContaining(['PATH=/bin', 'MODEL_DEPLOY_MODEL_NAME=resnet']),
    );
    expect(config.config?.Cmd).toEqual(['tritonserver', '--model-repository=/models']);
    expect(Object.keys(config.config?.ExposedPorts ?? {})).toEqual([
      '8000/tcp',
      '8001/tcp',
      '8002/tcp',
    ]);
    expect(config.architecture).toBe(hostArchitecture());
  });

  it('with include-base-layers writes a complete layout that skopeo and umoci read', async () => {
    requireTool('skopeo', 'skopeo');
    requireTool('umoci', 'umoci');
    const result = await packageModel(request({ includeBaseLayers: true }));
    const layout = await readLayout(result.layout);
    expect(layout.externalBlobs.size).toBe(0);
    expect(layout.hasBlob(busybox.layout.layer.digest as Digest)).toBe(true);

    const { stdout } = await exec('skopeo', ['inspect', `oci:${result.layout}:3`]);
    const inspected = JSON.parse(stdout) as {
      Digest: string;
      Layers: string[];
      Labels: Record<string, string>;
    };
    expect(inspected.Digest).toBe(result.digest);
    expect(inspected.Layers).toHaveLength(3);
    expect(inspected.Labels['org.opencontainers.image.title']).toBe('resnet');

    const bundle = join(temp('md-umoci-'), 'bundle');
    await exec('umoci', ['unpack', '--rootless', '--image', `${result.layout}:3`, bundle]);
    const model = readFileSync(join(bundle, 'rootfs', 'models', 'resnet', '3', 'model.onnx'));
    const original = readFileSync(join(request({}).modelPath, 'model.onnx'));
    expect(sha256Hex(model)).toBe(sha256Hex(original));
    expect(existsSync(join(bundle, 'rootfs', 'bin', 'busybox'))).toBe(true);
    const card = JSON.parse(
      readFileSync(join(bundle, 'rootfs', 'model-deploy', 'model.json'), 'utf8'),
    );
    expect(card.files).toContainEqual({
      path: '/models/resnet/3/model.onnx',
      size: original.length,
      sha256: `sha256:${sha256Hex(original)}`,
    });
    expect(
      readFileSync(join(bundle, 'rootfs', 'models', 'resnet', 'config.pbtxt'), 'utf8'),
    ).toContain('input__0');
  });

  it('runs under podman with the model files at the runtime path', async () => {
    requireTool('skopeo', 'skopeo');
    const req = request({
      includeBaseLayers: true,
      runtime: RUNTIMES.custom,
      baseImage: `${registry.host}/base/busybox:1`,
    });
    const result = await packageModel(req);
    const target = `${registry.host}/packaged/resnet:3`;
    await exec('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci:${result.layout}:3`,
      `docker://${target}`,
    ]);
    const { stdout } = await runToCompletion(
      `${target}`,
      ['/bin/busybox', 'sha256sum', '/models/resnet/3/model.onnx', '/models/resnet/3/config.pbtxt'],
      {
        registry,
        purpose: 'package-run',
      },
    );
    const expected = sha256Hex(readFileSync(join(req.modelPath, 'model.onnx')));
    expect(stdout).toContain(`${expected}  /models/resnet/3/model.onnx`);
    expect(stdout).toContain(
      `${sha256Hex(readFileSync(join(req.modelPath, 'config.pbtxt')))}  /models/resnet/3/config.pbtxt`,
    );
    const env = await runToCompletion(target, ['env'], { registry, purpose: 'package-env' });
    expect(env.stdout).toContain('MODEL_PATH=/models/resnet/3');
    await podman(['rmi', '--force', target]);
  });

  it('gives a multi-arch image index for a multi-arch base, or the chosen platforms', async () => {
    const all = await packageModel(request({ baseImage: `${registry.host}/base/busybox-multi:1` }));
    const layout = await readLayout(all.layout);
    const index = layout.manifests.get(all.digest) as ImageIndex;
    expect(index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(index.annotations?.['org.opencontainers.image.base.digest']).toBe(multiArch.digest);
    const [amd, arm] = index.manifests.map((m) => layout.manifests.get(m.digest) as ImageManifest);
    // The model layer is shared: the same bytes under every platform.
    expect(amd!.layers.at(-2)!.digest).toBe(arm!.layers.at(-2)!.digest);
    expect(amd!.config.digest).not.toBe(arm!.config.digest);

    const one = await packageModel(
      request({ baseImage: `${registry.host}/base/busybox-multi:1`, platforms: ['linux/arm64'] }),
    );
    const oneIndex = (await readLayout(one.layout)).manifests.get(one.digest) as ImageIndex;
    expect(oneIndex.manifests).toHaveLength(1);
    expect(oneIndex.manifests[0]!.platform?.architecture).toBe('arm64');

    await expect(
      packageModel(
        request({ baseImage: `${registry.host}/base/busybox-multi:1`, platforms: ['linux/s390x'] }),
      ),
    ).rejects.toThrow("input 'platforms' asks for linux/s390x, which base image");
  });

  it('refuses a base image that the registry does not have, naming the input', async () => {
    const attempt = packageModel(request({ baseImage: `${registry.host}/base/nothing:1` }));
    await expect(attempt).rejects.toThrow(InputError);
    await expect(
      packageModel(request({ baseImage: `${registry.host}/base/nothing:1` })),
    ).rejects.toThrow(
      `input 'base-image' names ${registry.host}/base/nothing:1, which the registry does not have`,
    );
  });
});

describe('package action on a base image that needs credentials', () => {
  let secured: LocalRegistry;
  let image: PushedImage;
  beforeAll(async () => {
    secured = await startRegistry({ auth: 'token' });
    image = await pushBusyboxImage(secured, 'private/busybox', '1');
  });
  afterAll(async () => {
    await secured?.stop();
  });

  async function runWith(extra: Record<string, string>) {
    const env = withActionEnv({
      model: tritonOnnxFolder(join(temp('md-model-'), 'resnet')),
      name: 'resnet',
      runtime: 'custom',
      'base-image': `${secured.host}/private/busybox:1`,
      ...extra,
    });
    const lines: string[] = [];
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    try {
      const ok = await run();
      return { ok, outputs: env.outputs(), log: lines.join('') };
    } finally {
      spy.mockRestore();
      env.restore();
    }
  }

  it('reads the base through the registry token flow with the given credentials, masking the password', async () => {
    const result = await runWith({
      'base-image-username': secured.username!,
      'base-image-password': secured.password!,
    });
    expect(result.ok, result.log).toBe(true);
    expect(JSON.parse(result.outputs.annotations!)['org.opencontainers.image.base.digest']).toBe(
      image.digest,
    );
    expect(result.log).toContain(`::add-mask::${secured.password}`);
    expect(
      secured.tokenServer!.requests().some((r) => JSON.stringify(r).includes('private/busybox')),
    ).toBe(true);
  });

  it('says that credentials are needed when none are given', async () => {
    const result = await runWith({});
    expect(result.ok).toBe(false);
    expect(result.log).toContain('HTTP 401');
    expect(result.log).toContain('give base-image-username and base-image-password');
    expect(result.log).toContain(`base image ${secured.host}/private/busybox:1`);
  });
});
