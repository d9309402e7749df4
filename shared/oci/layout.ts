import { createReadStream, createWriteStream, existsSync, type ReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { UserError } from '../common/errors.ts';
import { DigestingStream, digestHex, isDigest, sha256Digest, type Digest } from './digest.ts';
import { isIndexMediaType, isManifestMediaType, MediaType } from './media-types.ts';
import type { Descriptor, ImageIndex, ImageManifest } from './types.ts';

/**
 * An OCI image layout on disk (image-spec `image-layout.md`): `oci-layout`,
 * `index.json`, `blobs/sha256/<hex>`; plus `model-deploy.json`, described below.
 */

export const OCI_LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const METADATA_FILE = 'model-deploy.json';
/** The index.json annotation that names a tag inside a layout (what `oci:<dir>:<tag>` selects). */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/**
 * `model-deploy.json` at the layout root. The OCI spec lets a layout hold other
 * files; skopeo and umoci ignore this one. It exists because a layout built
 * without the base image's layers is not complete on its own: it says where
 * those layers live so push can mount or copy them registry-to-registry.
 *
 * ```json
 * {
 *   "schemaVersion": 1,
 *   "name": "resnet50",                  // the model name
 *   "version": "3",                      // the model version
 *   "tag": "3",                          // the ref.name of the top descriptor in index.json
 *   "base": { "name": "docker.io/library/busybox:1.36", "digest": "sha256:…" },   // optional
 *   "externalBlobs": {                   // referenced by a manifest, absent from blobs/
 *     "sha256:…": { "repository": "docker.io/library/busybox", "size": 2152262,
 *                   "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip" }
 *   }
 * }
 * ```
 *
 * `repository` is `host/repository` as written in an image reference, with the
 * Docker Hub defaults applied (`docker.io/library/…`).
 */
export interface LayoutMetadata {
  schemaVersion: 1;
  name: string;
  version: string;
  tag: string;
  base?: { name: string; digest: Digest };
  externalBlobs: Record<Digest, ExternalBlob>;
}

export interface ExternalBlob {
  repository: string;
  size: number;
  mediaType: string;
}

function blobsDir(root: string): string {
  return join(root, 'blobs', 'sha256');
}

export function blobPath(root: string, digest: Digest): string {
  return join(blobsDir(root), digestHex(digest));
}

/**
 * Writes a layout. Blobs are streamed to a temporary file next to their final
 * place and renamed once their digest is known, so a blob file under its
 * digest name is always complete.
 */
export class LayoutWriter {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /**
   * Starts a layout in `root`: it must be missing, empty, or an earlier layout
   * (which is replaced). Anything else is refused rather than overwritten.
   */
  static async create(root: string, input = 'output'): Promise<LayoutWriter> {
    if (existsSync(root)) {
      const info = await stat(root);
      if (!info.isDirectory()) {
        throw new UserError(`input '${input}' points at a file, not a folder: ${root}`, {
          hint: `give a new or empty folder, e.g. ${input}: \${{ runner.temp }}/layout`,
        });
      }
      const entries = await readdir(root);
      if (entries.length > 0) {
        if (!entries.includes(OCI_LAYOUT_FILE)) {
          throw new UserError(
            `input '${input}' is a folder that is not empty and is not an OCI image layout: ${root}`,
            { hint: 'give an empty or new folder' },
          );
        }
        for (const entry of entries) await rm(join(root, entry), { recursive: true, force: true });
      }
    }
    await mkdir(blobsDir(root), { recursive: true });
    await writeFile(join(root, OCI_LAYOUT_FILE), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    return new LayoutWriter(root);
  }

  /** Writes into a layout that is already there, keeping what it holds. */
  static open(root: string): LayoutWriter {
    return new LayoutWriter(root);
  }

  /**
   * Streams bytes into a blob, through `transforms` (e.g. a compressor) first;
   * returns the digest and size of what was stored.
   */
  async writeBlob(
    source: Readable | AsyncIterable<Buffer>,
    ...transforms: Transform[]
  ): Promise<{ digest: Digest; size: number }> {
    const temporary = join(blobsDir(this.root), `.partial-${randomBytes(8).toString('hex')}`);
    const digesting = new DigestingStream();
    try {
      const sink = createWriteStream(temporary);
      await pipeline([Readable.from(source), ...transforms, digesting, sink]);
      await rename(temporary, blobPath(this.root, digesting.digest));
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
    return { digest: digesting.digest, size: digesting.size };
  }

  async writeBytes(bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = sha256Digest(bytes);
    await writeFile(blobPath(this.root, digest), bytes);
    return { mediaType, digest, size: bytes.length };
  }

  /**
   * JSON blobs (configs, manifests) are written compactly in the key order the
   * caller built them in, so the same inputs give the same bytes and digest.
   */
  async writeJson(
    mediaType: string,
    value: object,
    annotations?: Record<string, string>,
  ): Promise<Descriptor> {
    const descriptor = await this.writeBytes(Buffer.from(JSON.stringify(value)), mediaType);
    if (annotations !== undefined && Object.keys(annotations).length > 0)
      descriptor.annotations = annotations;
    return descriptor;
  }

  /** Writes index.json pointing at the top manifest or index, under `tag`. */
  async writeIndex(top: Descriptor, tag: string): Promise<void> {
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [{ ...top, annotations: { ...top.annotations, [REF_NAME_ANNOTATION]: tag } }],
    };
    await writeFile(join(this.root, INDEX_FILE), JSON.stringify(index, null, 2));
  }

  async writeMetadata(metadata: LayoutMetadata): Promise<void> {
    await writeLayoutMetadata(this.root, metadata);
  }
}

/** Writes model-deploy.json, also next to a layout another tool wrote. */
export async function writeLayoutMetadata(root: string, metadata: LayoutMetadata): Promise<void> {
  await writeFile(join(root, METADATA_FILE), JSON.stringify(metadata, null, 2) + '\n');
}

/** A layout as read back: what push needs to upload it. */
export interface OciLayout {
  root: string;
  /** index.json as written. */
  index: ImageIndex;
  /** The top manifest or image index (index.json's entry for the tag), its ref.name annotation included. */
  top: Descriptor;
  /** The tag the top descriptor is stored under, when it has one. */
  tag: string | undefined;
  /** Every manifest and index reachable from `top`, parsed, by digest. */
  manifests: Map<Digest, ImageManifest | ImageIndex>;
  /** Config and layer descriptors of every image manifest, each digest once, in manifest order. */
  blobs: Descriptor[];
  /** Blobs referenced but not in blobs/ and where they live (from model-deploy.json). */
  externalBlobs: Map<Digest, ExternalBlob>;
  metadata: LayoutMetadata | undefined;
  hasBlob(digest: Digest): boolean;
  blobPath(digest: Digest): string;
  openBlob(digest: Digest): ReadStream;
  readBlob(digest: Digest): Promise<Buffer>;
}

type Problem = (message: string) => UserError;

/** index.json and its entry for the tag (the only or first one without a tag). */
async function readTop(
  root: string,
  tag: string | undefined,
  problem: Problem,
): Promise<{ index: ImageIndex; top: Descriptor }> {
  if (!existsSync(join(root, OCI_LAYOUT_FILE))) throw problem(`it has no ${OCI_LAYOUT_FILE} file`);
  let index: ImageIndex;
  try {
    index = JSON.parse(await readFile(join(root, INDEX_FILE), 'utf8')) as ImageIndex;
  } catch (err) {
    throw problem(`${INDEX_FILE} cannot be read: ${(err as Error).message}`);
  }
  if (!Array.isArray(index.manifests) || index.manifests.length === 0) {
    throw problem(`${INDEX_FILE} lists no manifests`);
  }
  if (tag === undefined) return { index, top: index.manifests[0] as Descriptor };
  const top = index.manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
  if (top === undefined) throw problem(`${INDEX_FILE} has no image tagged '${tag}'`);
  return { index, top };
}

/** model-deploy.json, when there, and the external blobs it lists that blobs/ lacks. */
async function readMetadata(
  root: string,
  problem: Problem,
): Promise<{ metadata: LayoutMetadata | undefined; externalBlobs: Map<Digest, ExternalBlob> }> {
  let metadata: LayoutMetadata | undefined;
  if (existsSync(join(root, METADATA_FILE))) {
    try {
      metadata = JSON.parse(await readFile(join(root, METADATA_FILE), 'utf8')) as LayoutMetadata;
    } catch (err) {
      throw problem(`${METADATA_FILE} cannot be read: ${(err as Error).message}`);
    }
  }
  const externalBlobs = new Map<Digest, ExternalBlob>();
  for (const [digest, blob] of Object.entries(metadata?.externalBlobs ?? {})) {
    if (!isDigest(digest))
      throw problem(`${METADATA_FILE} lists '${digest}', which is not a digest`);
    if (!existsSync(blobPath(root, digest))) externalBlobs.set(digest, blob);
  }
  return { metadata, externalBlobs };
}

/** What a walk from the top descriptor finds: every manifest, and the blobs they reference. */
interface LayoutWalk {
  root: string;
  problem: Problem;
  externalBlobs: Map<Digest, ExternalBlob>;
  manifests: Map<Digest, ImageManifest | ImageIndex>;
  blobs: Descriptor[];
  seenBlobs: Set<Digest>;
}

async function visitDescriptor(walk: LayoutWalk, descriptor: Descriptor): Promise<void> {
  const { problem } = walk;
  if (!isDigest(descriptor.digest)) throw problem(`'${descriptor.digest}' is not a digest`);
  if (walk.manifests.has(descriptor.digest)) return;
  if (!existsSync(blobPath(walk.root, descriptor.digest)))
    throw problem(`manifest ${descriptor.digest} is missing from blobs/`);
  const bytes = await readFile(blobPath(walk.root, descriptor.digest));
  if (sha256Digest(bytes) !== descriptor.digest) {
    throw problem(`blob ${descriptor.digest} does not match its digest (the layout was altered)`);
  }
  const parsed = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
  walk.manifests.set(descriptor.digest, parsed);
  const mediaType = descriptor.mediaType ?? parsed.mediaType;
  if (isIndexMediaType(mediaType) || 'manifests' in parsed) {
    for (const child of (parsed as ImageIndex).manifests) await visitDescriptor(walk, child);
    return;
  }
  if (!isManifestMediaType(mediaType) && !('config' in parsed)) {
    throw problem(`${descriptor.digest} has media type '${mediaType}', not a manifest or index`);
  }
  addManifestBlobs(walk, parsed as ImageManifest);
}

function addManifestBlobs(walk: LayoutWalk, manifest: ImageManifest): void {
  for (const blob of [manifest.config, ...manifest.layers]) {
    if (!isDigest(blob.digest)) throw walk.problem(`'${blob.digest}' is not a digest`);
    if (!existsSync(blobPath(walk.root, blob.digest)) && !walk.externalBlobs.has(blob.digest)) {
      throw walk.problem(
        `blob ${blob.digest} is neither in blobs/ nor listed as external in ${METADATA_FILE}`,
      );
    }
    if (!walk.seenBlobs.has(blob.digest)) {
      walk.seenBlobs.add(blob.digest);
      walk.blobs.push(blob);
    }
  }
}

/**
 * Reads and checks a layout: every blob a manifest references is either in
 * blobs/ or recorded in model-deploy.json as external, else the layout is refused.
 * `tag` picks an index.json entry by ref.name; by default the only (or first) one.
 */
export async function readLayout(
  root: string,
  options: { tag?: string; input?: string } = {},
): Promise<OciLayout> {
  const input = options.input ?? 'layout';
  const problem = (message: string) =>
    new UserError(`input '${input}' (${root}) is not a usable OCI image layout: ${message}`, {
      hint: 'pass the layout output of the package action',
    });
  const { index, top } = await readTop(root, options.tag, problem);
  const { metadata, externalBlobs } = await readMetadata(root, problem);
  const walk: LayoutWalk = {
    root,
    problem,
    externalBlobs,
    manifests: new Map(),
    blobs: [],
    seenBlobs: new Set(),
  };
  await visitDescriptor(walk, top);
  return {
    root,
    index,
    top,
    tag: top.annotations?.[REF_NAME_ANNOTATION],
    manifests: walk.manifests,
    blobs: walk.blobs,
    externalBlobs,
    metadata,
    hasBlob: (digest) => existsSync(blobPath(root, digest)),
    blobPath: (digest) => blobPath(root, digest),
    openBlob: (digest) => createReadStream(blobPath(root, digest), { highWaterMark: 1 << 20 }),
    readBlob: (digest) => readFile(blobPath(root, digest)),
  };
}
