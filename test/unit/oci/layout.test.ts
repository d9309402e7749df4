import { mkdtempSync, writeFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LayoutWriter, readLayout, METADATA_FILE } from '../../../shared/oci/layout.ts';
import { MediaType } from '../../../shared/oci/media-types.ts';
import { sha256Digest, digestFile, type Digest } from '../../../shared/oci/digest.ts';
import type { ImageManifest } from '../../../shared/oci/types.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-layout-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('OCI layout', () => {
  it('writes blobs under their digest and reads the layout back with external blobs', async () => {
    const root = join(tempDir(), 'layout');
    const writer = await LayoutWriter.create(root);
    const layerBytes = Buffer.from('layer bytes');
    const layer = await writer.writeBlob(
      Readable.from([layerBytes.subarray(0, 4), layerBytes.subarray(4)]),
    );
    expect(layer.digest).toBe(`sha256:${createHash('sha256').update(layerBytes).digest('hex')}`);
    expect(layer.size).toBe(layerBytes.length);
    const config = await writer.writeJson(MediaType.ociConfig, {
      architecture: 'amd64',
      os: 'linux',
    });
    const external: Digest = `sha256:${'b'.repeat(64)}`;
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config,
      layers: [
        { mediaType: MediaType.ociLayerGzip, digest: external, size: 10 },
        { mediaType: MediaType.ociLayer, ...layer },
      ],
    };
    const top = await writer.writeJson(MediaType.ociManifest, manifest);
    await writer.writeIndex(top, '1');
    await writer.writeMetadata({
      schemaVersion: 1,
      name: 'm',
      version: '1',
      tag: '1',
      externalBlobs: {
        [external]: {
          repository: 'localhost:5000/base',
          size: 10,
          mediaType: MediaType.ociLayerGzip,
        },
      },
    });
    expect(readdirSync(join(root, 'blobs', 'sha256')).filter((f) => f.startsWith('.'))).toEqual([]);

    const read = await readLayout(root);
    expect(read.top.digest).toBe(top.digest);
    expect(read.tag).toBe('1');
    expect(read.manifests.get(top.digest)).toEqual(manifest);
    expect(read.blobs.map((b) => b.digest)).toEqual([config.digest, external, layer.digest]);
    expect([...read.externalBlobs.keys()]).toEqual([external]);
    expect(read.hasBlob(layer.digest)).toBe(true);
    expect(read.hasBlob(external)).toBe(false);
    expect((await digestFile(read.blobPath(layer.digest))).digest).toBe(layer.digest);
    expect((await read.readBlob(config.digest)).toString()).toBe(
      '{"architecture":"amd64","os":"linux"}',
    );
  });

  it('refuses a layout whose referenced blob is neither present nor external', async () => {
    const root = tempDir();
    const writer = await LayoutWriter.create(root);
    const config = await writer.writeJson(MediaType.ociConfig, {});
    const missing = sha256Digest('nothing');
    const top = await writer.writeJson(MediaType.ociManifest, {
      schemaVersion: 2,
      config,
      layers: [{ mediaType: MediaType.ociLayer, digest: missing, size: 1 }],
    });
    await writer.writeIndex(top, 'x');
    await expect(readLayout(root)).rejects.toThrow(
      `blob ${missing} is neither in blobs/ nor listed as external in ${METADATA_FILE}`,
    );
  });

  it('refuses to write into a non-empty folder that is not a layout, and replaces an old layout', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'precious.txt'), 'keep');
    await expect(LayoutWriter.create(root)).rejects.toThrow(
      'not empty and is not an OCI image layout',
    );
    expect(existsSync(join(root, 'precious.txt'))).toBe(true);
    const layoutRoot = tempDir();
    const first = await LayoutWriter.create(layoutRoot);
    await first.writeBytes(Buffer.from('old'), MediaType.ociLayer);
    await LayoutWriter.create(layoutRoot);
    expect(readdirSync(join(layoutRoot, 'blobs', 'sha256'))).toEqual([]);
  });

  it('refuses a folder without oci-layout', async () => {
    await expect(readLayout(tempDir())).rejects.toThrow('has no oci-layout file');
  });
});
