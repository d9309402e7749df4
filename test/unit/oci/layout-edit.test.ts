import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editLayoutImages } from '../../../shared/oci/layout-edit.ts';
import { LayoutWriter, readLayout } from '../../../shared/oci/layout.ts';
import { MediaType } from '../../../shared/oci/media-types.ts';
import type {
  Descriptor,
  ImageConfig,
  ImageIndex,
  ImageManifest,
} from '../../../shared/oci/types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function image(layout: LayoutWriter, architecture: string) {
  const layer = await layout.writeBytes(Buffer.from(`layer ${architecture}`), MediaType.ociLayer);
  const config: ImageConfig = {
    architecture,
    os: 'linux',
    config: { Env: ['A=1'], Cmd: ['old'] },
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  };
  const configDescriptor = await layout.writeJson(MediaType.ociConfig, config);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDescriptor,
    layers: [layer],
    annotations: { kept: 'yes' },
  };
  return { layer, descriptor: await layout.writeJson(MediaType.ociManifest, manifest) };
}

const edit = {
  config: (config: ImageConfig): ImageConfig => ({
    ...config,
    config: { ...config.config, Cmd: ['new'] },
  }),
  annotations: { added: 'too' },
};

async function configOf(root: string, manifestDigest: Descriptor['digest']) {
  const layout = await readLayout(root);
  const manifest = layout.manifests.get(manifestDigest) as ImageManifest;
  return {
    manifest,
    config: JSON.parse((await layout.readBlob(manifest.config.digest)).toString()) as ImageConfig,
  };
}

describe('editLayoutImages', () => {
  it("rewrites one image's config and annotations, keeps its layers and drops the old blobs", async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-edit-'));
    dirs.push(root);
    const layout = await LayoutWriter.create(root);
    const { layer, descriptor } = await image(layout, 'amd64');
    await layout.writeIndex(descriptor, '1');
    const before = await readLayout(root);
    const oldConfig = (before.manifests.get(descriptor.digest) as ImageManifest).config.digest;

    const top = await editLayoutImages(root, '1', edit);
    expect(top.digest).not.toBe(descriptor.digest);
    const after = await readLayout(root, { tag: '1' });
    expect(after.top.digest).toBe(top.digest);
    const { manifest, config } = await configOf(root, top.digest);
    expect(config.config?.Cmd).toEqual(['new']);
    expect(config.config?.Env).toEqual(['A=1']);
    expect(manifest.layers).toEqual([layer]);
    expect(manifest.annotations).toEqual({ kept: 'yes', added: 'too' });
    expect(after.hasBlob(descriptor.digest)).toBe(false);
    expect(after.hasBlob(oldConfig)).toBe(false);
    expect(after.hasBlob(layer.digest)).toBe(true);
  });

  it('rewrites every image of an index, keeping each platform', async () => {
    const root = mkdtempSync(join(tmpdir(), 'md-edit-'));
    dirs.push(root);
    const layout = await LayoutWriter.create(root);
    const amd = await image(layout, 'amd64');
    const arm = await image(layout, 'arm64');
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        { ...amd.descriptor, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm.descriptor, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    };
    await layout.writeIndex(await layout.writeJson(MediaType.ociIndex, index), '2');

    const top = await editLayoutImages(root, '2', edit);
    const after = await readLayout(root);
    const edited = after.manifests.get(top.digest) as ImageIndex;
    expect(edited.annotations).toEqual({ added: 'too' });
    expect(edited.manifests.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    for (const child of edited.manifests) {
      const { config } = await configOf(root, child.digest);
      expect(config.config?.Cmd).toEqual(['new']);
      expect(config.architecture).toBe(child.platform?.architecture);
    }
  });
});
