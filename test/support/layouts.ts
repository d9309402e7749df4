import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pack } from 'tar-stream';
import { LayoutWriter, readLayout, blobPath, type OciLayout } from '../../shared/oci/layout.ts';
import type { Digest } from '../../shared/oci/digest.ts';
import { buildBusyboxLayout, type PushedImage } from './images.ts';
import { writeRegistryAuthFile, type RegistryCredentials } from './registry.ts';
import { requireTool } from './tools.ts';

const execFileAsync = promisify(execFile);

function sha256(data: Buffer | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An uncompressed tar with one file of random bytes: a stand-in for model weights. */
async function randomLayerTar(bytes: number): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  const common = { mtime: new Date(0), uid: 0, gid: 0 };
  tar.entry({ ...common, name: 'models/', type: 'directory', mode: 0o755 });
  tar.entry(
    { ...common, name: 'models/weights.bin', type: 'file', mode: 0o644 },
    randomBytes(bytes),
  );
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

export interface TestLayout {
  dir: string;
  layout: OciLayout;
  /** The digest of the layer with random bytes. */
  modelLayer: Digest;
  cleanup(): void;
}

/**
 * A busybox image plus a model layer of `modelBytes` random bytes, as the
 * package action would write it. With `base`, the busybox layer is left out
 * of blobs/ and recorded as external, pointing at the base image's registry.
 */
export async function buildTestLayout(
  options: { modelBytes?: number; base?: PushedImage & { repository: string }; tag?: string } = {},
): Promise<TestLayout> {
  const tag = options.tag ?? '1';
  const busyboxDir = mkdtempSync(join(tmpdir(), 'md-push-busybox-'));
  const busybox = await buildBusyboxLayout(busyboxDir, tag, undefined, {
    cmd: ['/bin/sh', '-c', 'cat /models/weights.bin | wc -c; echo pushed-ok'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'md-push-layout-'));
  const writer = await LayoutWriter.create(dir);
  const baseLayer = busybox.layer;
  if (!options.base) {
    await writer.writeBytes(
      readFileSync(blobPath(busyboxDir, baseLayer.digest as Digest)),
      baseLayer.mediaType,
    );
  }
  const tar = await randomLayerTar(options.modelBytes ?? 256 * 1024);
  const model = await writer.writeBytes(tar, 'application/vnd.oci.image.layer.v1.tar');
  const config = {
    created: '1970-01-01T00:00:00Z',
    architecture: busybox.manifests[0]!.platform!.architecture,
    os: 'linux',
    config: {
      Env: ['PATH=/bin'],
      Cmd: ['/bin/sh', '-c', 'echo pushed-ok; ls /models'],
      WorkingDir: '/',
    },
    rootfs: { type: 'layers', diff_ids: [baseLayer.diffId, sha256(tar)] },
  };
  const configDescriptor = await writer.writeJson(
    'application/vnd.oci.image.config.v1+json',
    config,
  );
  const manifest = await writer.writeJson('application/vnd.oci.image.manifest.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: configDescriptor,
    layers: [
      { mediaType: baseLayer.mediaType, digest: baseLayer.digest, size: baseLayer.size },
      model,
    ],
  });
  await writer.writeIndex(manifest, tag);
  await writer.writeMetadata({
    schemaVersion: 1,
    name: 'test-model',
    version: tag,
    tag,
    externalBlobs: options.base
      ? {
          [baseLayer.digest]: {
            repository: `${options.base.ref.split('/')[0]}/${options.base.repository}`,
            size: baseLayer.size,
            mediaType: baseLayer.mediaType,
          },
        }
      : {},
  });
  rmSync(busyboxDir, { recursive: true, force: true });
  return {
    dir,
    layout: await readLayout(dir),
    modelLayer: model.digest,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `skopeo inspect --raw` digest and the parsed manifest of a pushed image. */
export async function skopeoInspect(
  ref: string,
  registry: RegistryCredentials,
): Promise<{ digest: string; layers: string[] }> {
  requireTool('skopeo', 'skopeo');
  const work = mkdtempSync(join(tmpdir(), 'md-skopeo-inspect-'));
  try {
    const args = ['inspect', '--tls-verify=false'];
    if (registry.username)
      args.push('--authfile', writeRegistryAuthFile(registry, join(work, 'auth.json')));
    const { stdout } = await execFileAsync('skopeo', [...args, `docker://${ref}`]);
    const parsed = JSON.parse(stdout) as { Digest: string; Layers: string[] };
    return { digest: parsed.Digest, layers: parsed.Layers };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Overwrites a blob in the layout with other bytes of the same size. */
export function corruptBlob(dir: string, digest: Digest): void {
  const path = blobPath(dir, digest);
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1]! + 1) & 0xff;
  writeFileSync(path, bytes);
}
