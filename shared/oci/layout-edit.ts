import { rm } from 'node:fs/promises';
import type { Digest } from './digest.ts';
import { blobPath, LayoutWriter, readLayout, type OciLayout } from './layout.ts';
import { isIndexMediaType } from './media-types.ts';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from './types.ts';

/** What changes in every image of a layout. */
export interface ImageEdit {
  config(config: ImageConfig): ImageConfig;
  /** Added to each manifest's (and the index's) annotations. */
  annotations: Record<string, string>;
}

interface EditState {
  layout: OciLayout;
  writer: LayoutWriter;
  edit: ImageEdit;
  /** Blobs the edit replaced, removed once the new ones are written. */
  replaced: Set<Digest>;
  written: Set<Digest>;
}

/**
 * Rewrites the image (or every image of an index) under `tag`: each config
 * through `edit.config`, each manifest with the annotations added, then the
 * index, and index.json. Layers stay as they are. Returns the new top descriptor.
 */
export async function editLayoutImages(
  root: string,
  tag: string,
  edit: ImageEdit,
): Promise<Descriptor> {
  const layout = await readLayout(root, { tag, input: 'output' });
  const state: EditState = {
    layout,
    writer: LayoutWriter.open(root),
    edit,
    replaced: new Set(),
    written: new Set(),
  };
  const { annotations: _ref, ...top } = layout.top;
  const edited = await editDescriptor(state, top);
  await state.writer.writeIndex(edited, tag);
  for (const digest of state.replaced) {
    if (!state.written.has(digest)) await rm(blobPath(root, digest), { force: true });
  }
  return edited;
}

async function editDescriptor(state: EditState, descriptor: Descriptor): Promise<Descriptor> {
  const parsed = state.layout.manifests.get(descriptor.digest);
  if (parsed === undefined) return descriptor;
  const edited =
    isIndexMediaType(descriptor.mediaType) || 'manifests' in parsed
      ? await editIndex(state, parsed as ImageIndex)
      : await editManifest(state, parsed as ImageManifest);
  const written = await state.writer.writeJson(descriptor.mediaType, edited);
  state.replaced.add(descriptor.digest);
  state.written.add(written.digest);
  return { ...descriptor, digest: written.digest, size: written.size };
}

async function editIndex(state: EditState, index: ImageIndex): Promise<ImageIndex> {
  const manifests: Descriptor[] = [];
  for (const child of index.manifests) manifests.push(await editDescriptor(state, child));
  return { ...index, manifests, annotations: withAnnotations(index.annotations, state.edit) };
}

async function editManifest(state: EditState, manifest: ImageManifest): Promise<ImageManifest> {
  const bytes = await state.layout.readBlob(manifest.config.digest);
  const config = state.edit.config(JSON.parse(bytes.toString('utf8')) as ImageConfig);
  const written = await state.writer.writeJson(manifest.config.mediaType, config);
  if (written.digest !== manifest.config.digest) state.replaced.add(manifest.config.digest);
  state.written.add(written.digest);
  return {
    ...manifest,
    config: { ...manifest.config, digest: written.digest, size: written.size },
    annotations: withAnnotations(manifest.annotations, state.edit),
  };
}

function withAnnotations(
  current: Record<string, string> | undefined,
  edit: ImageEdit,
): Record<string, string> | undefined {
  if (Object.keys(edit.annotations).length === 0) return current;
  return { ...current, ...edit.annotations };
}
