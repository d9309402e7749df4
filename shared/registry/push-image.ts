import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { mapConcurrently } from '../common/concurrency.ts';
import { errorMessage, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Digest } from '../oci/digest.ts';
import type { OciLayout } from '../oci/layout.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/types.ts';
import { teeStream } from './byte-streams.ts';
import type { RegistryClient } from './client.ts';
import { DigestMismatchError } from './errors.ts';
import type { UploadPolicy } from './policy.ts';
import { startUpload, uploadBlob, type BlobSource } from './upload.ts';

export interface PushDestination {
  /** `host/repository`, as the user wrote it (without tag), for outputs and messages. */
  name: string;
  client: RegistryClient;
  repository: string;
  policy: UploadPolicy;
  tags: readonly string[];
}

export interface DestinationResult {
  name: string;
  ok: boolean;
  error?: string;
  /** `host/repository@sha256:…` when pushed. */
  ref?: string;
  digest: Digest;
  uploadedBytes: number;
  skippedBytes: number;
  mountedBytes: number;
  ms: number;
}

export interface PushImageOptions {
  layout: OciLayout;
  destinations: readonly PushDestination[];
  /** A client for a registry that holds the layout's external (base image) blobs. */
  sourceClient(registry: string): Promise<RegistryClient>;
  logger: Logger;
  /** Blobs transferred at once. */
  concurrency?: number;
}

/** A failure as one line, with the fix when the error carries one. */
export function explainFailure(err: unknown): string {
  const hint = err instanceof UserError ? err.hint : undefined;
  return errorMessage(err) + (hint ? ` (how to fix: ${hint})` : '');
}

interface DestinationState {
  destination: PushDestination;
  result: DestinationResult;
  started: number;
}

/** `host/repository` → the host and the repository, as the layout metadata writes it. */
function splitRepository(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  return { registry: name.slice(0, slash), repository: name.slice(slash + 1) };
}

/**
 * Pushes one layout to every destination. A destination that already holds
 * the top manifest holds every blob under it (a registry stores a manifest
 * only once its blobs are there), so it only gets the tags it lacks: nothing
 * is read or uploaded. Elsewhere each blob is read once and streamed to every
 * destination that lacks it, the largest first; base-image blobs come straight
 * from their registry (mounted when it is the same registry). Manifests go up
 * by digest only after all blobs are in place, tags last, so a failed push
 * leaves no tag. A failing destination does not stop the others; the results
 * say which failed.
 */
export async function pushImage(options: PushImageOptions): Promise<DestinationResult[]> {
  const { layout, logger } = options;
  const digest = layout.top.digest;
  const states: DestinationState[] = options.destinations.map((destination) => ({
    destination,
    started: performance.now(),
    result: {
      name: destination.name,
      ok: true,
      digest,
      uploadedBytes: 0,
      skippedBytes: 0,
      mountedBytes: 0,
      ms: 0,
    },
  }));
  const fail = (state: DestinationState, err: unknown) => {
    if (!state.result.ok) return;
    state.result.ok = false;
    state.result.error = explainFailure(err);
    logger.error(`${state.destination.name}: ${state.result.error}`);
  };

  await Promise.all(
    states.map((s) => s.destination.client.ping().catch((err: unknown) => fail(s, err))),
  );
  const top = topManifest(layout);
  await Promise.all(
    states
      .filter((s) => s.result.ok)
      .map((s) => tagIfPresent(s, layout, top).catch((err: unknown) => fail(s, err))),
  );
  // Still to push: the destinations that neither failed nor held the manifest.
  const live = () => states.filter((s) => s.result.ok && s.result.ref === undefined);

  if (live().length > 0) {
    // A destination's failure is recorded by fail(); the others go on.
    await mapConcurrently(largestFirst(layout.blobs), options.concurrency ?? 3, (blob) =>
      transferBlob(blob, live(), options, fail),
    );
    await Promise.all(
      live().map((state) => pushManifests(state, layout, top).catch((err) => fail(state, err))),
    );
  }
  for (const s of states) s.result.ms = performance.now() - s.started;
  return states.map((s) => s.result);
}

/** The top manifest (or index): its bytes read once, when first needed, and its media type. */
interface TopManifest {
  bytes(): Promise<Buffer>;
  mediaType: string;
}

function topManifest(layout: OciLayout): TopManifest {
  const digest = layout.top.digest;
  let bytes: Promise<Buffer> | undefined;
  return {
    bytes: () => (bytes ??= layout.readBlob(digest)),
    mediaType: mediaTypeOf(layout.manifests.get(digest)!, digest, layout),
  };
}

/** The biggest blob starts first, so it does not begin late behind small ones and make the push longer. */
function largestFirst(blobs: readonly Descriptor[]): Descriptor[] {
  return [...blobs].sort((a, b) => b.size - a.size);
}

/**
 * When the destination already has every manifest by digest, writes the
 * tags that do not name it yet and reports the push done, every blob counted
 * as present. A registry that does not say (no digest in its answer) or an
 * answer that fails leaves the destination to the full push, which checks
 * each blob itself.
 */
async function tagIfPresent(
  state: DestinationState,
  layout: OciLayout,
  top: TopManifest,
): Promise<void> {
  const { client, repository, tags, name } = state.destination;
  const digest = layout.top.digest;
  // Every manifest of the layout (an index's children too), so an index whose child was deleted is pushed again.
  const manifests = [...layout.manifests.keys()];
  // The tags are asked at the same time: one round trip when all is there.
  const heads = await Promise.all(
    [...manifests, ...tags].map((ref) =>
      client.headManifest(repository, ref).catch(() => undefined),
    ),
  );
  if (manifests.some((d, i) => heads[i]?.digest !== d)) return;
  const current = heads.slice(manifests.length);
  for (const [i, tag] of tags.entries()) {
    if (current[i]?.digest !== digest) {
      await client.putManifest(repository, tag, await top.bytes(), top.mediaType);
    }
  }
  state.result.skippedBytes += layout.blobs.reduce((sum, blob) => sum + blob.size, 0);
  state.result.ref = `${name}@${digest}`;
  client.logger.info(`${name}: already holds ${digest}; nothing to upload`);
}

/** Every manifest by digest (children first), the top one read back and checked, then the tags. */
async function pushManifests(
  state: DestinationState,
  layout: OciLayout,
  top: TopManifest,
): Promise<void> {
  const { client, repository, tags } = state.destination;
  const digest = layout.top.digest;
  for (const [manifestDigest, parsed] of [...layout.manifests.entries()].reverse()) {
    const bytes = await layout.readBlob(manifestDigest);
    await client.putManifest(
      repository,
      manifestDigest,
      bytes,
      mediaTypeOf(parsed, manifestDigest, layout),
    );
  }
  const fetched = await client.getManifest(repository, digest);
  if (fetched?.digest !== digest) {
    throw new DigestMismatchError(
      `${state.destination.name} does not return manifest ${digest} after it was pushed`,
    );
  }
  for (const tag of tags)
    await client.putManifest(repository, tag, await top.bytes(), top.mediaType);
  state.result.ref = `${state.destination.name}@${digest}`;
}

function mediaTypeOf(
  parsed: ImageManifest | ImageIndex,
  digest: Digest,
  layout: OciLayout,
): string {
  if (parsed.mediaType) return parsed.mediaType;
  if (digest === layout.top.digest) return layout.top.mediaType;
  for (const candidate of layout.manifests.values()) {
    const child =
      'manifests' in candidate ? candidate.manifests.find((m) => m.digest === digest) : undefined;
    if (child) return child.mediaType;
  }
  return 'manifests' in parsed
    ? 'application/vnd.oci.image.index.v1+json'
    : 'application/vnd.oci.image.manifest.v1+json';
}

/**
 * One blob to every destination that still needs it. Per registry, one
 * destination receives the bytes and the others mount them from it, so two
 * repositories on one registry cost one upload.
 */
async function transferBlob(
  blob: Descriptor,
  states: DestinationState[],
  options: PushImageOptions,
  fail: (state: DestinationState, err: unknown) => void,
): Promise<void> {
  const external = options.layout.externalBlobs.get(blob.digest);
  const origin = external ? splitRepository(external.repository) : undefined;

  const present = await Promise.all(
    states.map(async (state) => {
      const { client, repository } = state.destination;
      try {
        return (await client.blobSize(repository, blob.digest)) !== undefined;
      } catch (err) {
        fail(state, err);
        return true;
      }
    }),
  );
  const leaders: DestinationState[] = [];
  const followers: DestinationState[] = [];
  for (const [i, state] of states.entries()) {
    if (present[i]) {
      if (state.result.ok) state.result.skippedBytes += blob.size;
      continue;
    }
    const host = state.destination.client.registry;
    if (leaders.some((l) => l.destination.client.registry === host)) followers.push(state);
    else leaders.push(state);
  }

  await sendOnce(blob, leaders, options, origin, fail);

  const source = blobSource(blob, options, origin);
  await Promise.all(
    followers.map(async (state) => {
      const { client, repository, policy } = state.destination;
      const leader = leaders.find((l) => l.destination.client.registry === client.registry);
      const from = leader?.result.ok
        ? leader.destination.repository
        : origin?.registry === client.registry
          ? origin.repository
          : undefined;
      try {
        const started = await startUpload(
          client,
          repository,
          from === undefined ? {} : { mount: { digest: blob.digest, from } },
        );
        if (started.mounted) {
          state.result.mountedBytes += blob.size;
          return;
        }
        await uploadBlob(client, repository, source, started.location, {
          policy,
          onBytes: (n) => (state.result.uploadedBytes += n),
          label: `${state.destination.name}@${blob.digest.slice(0, 19)}`,
        });
      } catch (err) {
        fail(state, err);
      }
    }),
  );
}

/** Reads the blob once and streams it to each destination at the same time. */
async function sendOnce(
  blob: Descriptor,
  states: DestinationState[],
  options: PushImageOptions,
  origin: { registry: string; repository: string } | undefined,
  fail: (state: DestinationState, err: unknown) => void,
): Promise<void> {
  const sessions: Array<{ state: DestinationState; location: string }> = [];
  await Promise.all(
    states.map(async (state) => {
      const { client, repository } = state.destination;
      try {
        const sameRegistry = origin !== undefined && origin.registry === client.registry;
        const started = await startUpload(
          client,
          repository,
          sameRegistry ? { mount: { digest: blob.digest, from: origin.repository } } : {},
        );
        if (started.mounted) {
          state.result.mountedBytes += blob.size;
          return;
        }
        sessions.push({ state, location: started.location });
      } catch (err) {
        fail(state, err);
      }
    }),
  );
  if (sessions.length === 0) return;

  const source = blobSource(blob, options, origin);
  let first: AsyncIterable<Uint8Array>;
  try {
    first = await source.open(0);
  } catch (err) {
    const where = origin ? `${origin.registry}/${origin.repository}` : options.layout.root;
    for (const { state } of sessions)
      fail(
        state,
        new Error(`cannot read blob ${blob.digest} from ${where}: ${errorMessage(err)}`, {
          cause: err,
        }),
      );
    return;
  }
  const branches = teeStream(verified(first, blob.digest, blob.size), sessions.length);
  await Promise.all(
    sessions.map(async ({ state, location }, i) => {
      const { client, repository, policy } = state.destination;
      try {
        await uploadBlob(client, repository, source, location, {
          policy,
          stream: branches[i],
          onBytes: (n) => (state.result.uploadedBytes += n),
          label: `${state.destination.name}@${blob.digest.slice(0, 19)}`,
        });
      } catch (err) {
        // Release this branch so the others keep their pace.
        await branches[i]?.[Symbol.asyncIterator]().return?.();
        fail(state, err);
      }
    }),
  );
}

function blobSource(
  blob: Descriptor,
  options: PushImageOptions,
  origin: { registry: string; repository: string } | undefined,
): BlobSource {
  const { layout } = options;
  if (origin === undefined) {
    return {
      digest: blob.digest,
      size: blob.size,
      open: async (offset) =>
        createReadStream(layout.blobPath(blob.digest), { start: offset, highWaterMark: 1 << 20 }),
    };
  }
  return {
    digest: blob.digest,
    size: blob.size,
    open: async (offset) => {
      const client = await options.sourceClient(origin.registry);
      return (await client.getBlob(origin.repository, blob.digest, { offset })).stream;
    },
  };
}

/**
 * Hashes the one read of a blob as it streams. The last chunk is held back
 * until the whole blob is hashed and checked, so bytes that do not match
 * their digest (or their size) fail every upload of it before the upload can
 * complete: a changed layout never lands, whether or not the registry checks.
 */
async function* verified(
  source: AsyncIterable<Uint8Array>,
  digest: Digest,
  size: number,
): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let seen = 0;
  const check = () => {
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== digest) {
      throw new DigestMismatchError(`blob ${digest} read as ${actual}: its bytes changed`);
    }
  };
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > size) {
      throw new DigestMismatchError(`blob ${digest} is longer than its ${size} bytes: it changed`);
    }
    hash.update(chunk);
    if (seen === size) check();
    yield chunk;
  }
  if (seen < size) {
    throw new DigestMismatchError(`blob ${digest} ended after ${seen} of its ${size} bytes`);
  }
  if (size === 0) check();
}
