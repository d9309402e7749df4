import { InputError, UserError, errorMessage, isUserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { DigestingStream, type Digest } from '../oci/digest.ts';
import { rm } from 'node:fs/promises';
import { blobPath, type LayoutWriter } from '../oci/layout.ts';
import { isIndexMediaType, toOciLayerMediaType } from '../oci/media-types.ts';
import {
  formatReference,
  manifestReference,
  parseReference,
  registryApiHost,
  repositoryName,
  type ImageReference,
} from '../oci/reference.ts';
import {
  platformString,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from '../oci/types.ts';
import { RegistryClient } from '../registry/client.ts';
import type { RegistryCredential } from '../registry/credential.ts';

/** One platform of the base image: its manifest and config, never its layers' bytes. */
export interface BasePlatformImage {
  platform: Platform;
  manifestDigest: Digest;
  config: ImageConfig;
  /** The base layers as OCI layer descriptors (Docker gzip types mapped to their OCI names). */
  layers: Descriptor[];
}

export interface BaseImage {
  reference: ImageReference;
  /** `host/repository:tag` as written in lineage annotations. */
  name: string;
  /** `host/repository`: where the base layers live, for push to mount or copy. */
  repository: string;
  /** The digest the reference resolved to: the index digest for a multi-arch base. */
  digest: Digest;
  isIndex: boolean;
  images: BasePlatformImage[];
  /** The client that read it, reused to download layers when they are wanted. */
  client: RegistryClient;
}

export interface BaseImageOptions {
  /** `os/arch[/variant]` wanted from a multi-arch base; empty means all it has. */
  platforms: string[];
  credential?: RegistryCredential;
  insecureHosts?: readonly string[];
  logger: Logger;
}

export function parsePlatform(text: string, input = 'platforms'): Platform {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
    throw new InputError(
      input,
      `has '${text}', which is not os/arch[/variant]`,
      'linux/amd64, linux/arm64',
    );
  }
  const platform: Platform = { os: parts[0]!, architecture: parts[1]! };
  if (parts[2] !== undefined) platform.variant = parts[2];
  return platform;
}

function samePlatform(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os &&
    a.architecture === b.architecture &&
    (b.variant === undefined || a.variant === b.variant)
  );
}

/** One base image being read: the registry client and how its failures are reported. */
interface BaseFetch {
  client: RegistryClient;
  reference: ImageReference;
  /** The reference as the messages show it. */
  name: string;
  wrap<T>(what: string, task: () => Promise<T>): Promise<T>;
}

const BASE_INPUT = 'base-image';

/** Failures as user errors that name the base image, with a hint for a private one. */
function baseErrors(name: string, credential: RegistryCredential | undefined): BaseFetch['wrap'] {
  return async <T>(what: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (err) {
      if (isUserError(err)) {
        const anonymous = (credential ?? { kind: 'anonymous' }).kind === 'anonymous';
        const denied = /\b401\b|needs credentials/.test(err.message);
        throw new UserError(`base image ${name}: ${err.message}`, {
          hint:
            anonymous && denied
              ? 'the base image is private: give base-image-username and base-image-password'
              : (err.hint ?? undefined),
          cause: err,
        });
      }
      throw new UserError(`base image ${name}: could not ${what}: ${errorMessage(err)}`, {
        hint: `check input '${BASE_INPUT}' and that the registry is reachable from the runner`,
        cause: err,
      });
    }
  };
}

/** The config blob, checked against its digest. */
function fetchConfig(fetch: BaseFetch, manifest: ImageManifest): Promise<Buffer> {
  return fetch.wrap('fetch its config', async () => {
    const blob = await fetch.client.getBlob(fetch.reference.repository, manifest.config.digest);
    const hasher = new DigestingStream();
    const chunks: Buffer[] = [];
    for await (const chunk of blob.stream.pipe(hasher)) chunks.push(chunk as Buffer);
    if (hasher.digest !== manifest.config.digest) {
      throw new UserError(`config blob hashes to ${hasher.digest}, not ${manifest.config.digest}`);
    }
    return Buffer.concat(chunks);
  });
}

async function loadImage(
  fetch: BaseFetch,
  manifestDigest: Digest,
  manifest: ImageManifest,
  declared?: Platform,
): Promise<BasePlatformImage> {
  const configBytes = await fetchConfig(fetch, manifest);
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
  const platform: Platform = declared ?? { os: config.os, architecture: config.architecture };
  if (declared === undefined && config.variant !== undefined) platform.variant = config.variant;
  return {
    platform,
    manifestDigest,
    config,
    layers: manifest.layers.map((l) => ({
      mediaType: toOciLayerMediaType(l.mediaType),
      digest: l.digest,
      size: l.size,
      ...(l.urls ? { urls: l.urls } : {}),
    })),
  };
}

/** The index's images of the wanted platforms (all of them when none is named). */
async function indexImages(
  fetch: BaseFetch,
  index: ImageIndex,
  wanted: Platform[],
): Promise<BasePlatformImage[]> {
  const candidates = index.manifests.filter(
    (m) =>
      m.platform !== undefined &&
      m.platform.os !== 'unknown' &&
      m.platform.architecture !== 'unknown',
  );
  const chosen =
    wanted.length === 0
      ? candidates
      : wanted.map((w) => {
          const match = candidates.find((c) => samePlatform(c.platform!, w));
          if (match === undefined) {
            throw new InputError(
              'platforms',
              `asks for ${platformString(w)}, which base image ${fetch.name} does not have (it has ${candidates.map((c) => platformString(c.platform!)).join(', ')})`,
            );
          }
          return match;
        });
  const images: BasePlatformImage[] = [];
  for (const descriptor of chosen) {
    const child = await fetch.wrap('fetch a platform manifest', () =>
      fetch.client.getManifest(fetch.reference.repository, descriptor.digest),
    );
    if (child === undefined)
      throw new UserError(
        `base image ${fetch.name}: platform manifest ${descriptor.digest} is missing from the registry`,
      );
    images.push(
      await loadImage(
        fetch,
        child.digest,
        JSON.parse(child.bytes.toString('utf8')) as ImageManifest,
        descriptor.platform,
      ),
    );
  }
  return images;
}

/** A single-platform base, which every wanted platform must be. */
async function singleImage(
  fetch: BaseFetch,
  digest: Digest,
  manifest: ImageManifest,
  wanted: Platform[],
): Promise<BasePlatformImage> {
  const image = await loadImage(fetch, digest, manifest);
  for (const w of wanted) {
    if (!samePlatform(image.platform, w)) {
      throw new InputError(
        'platforms',
        `asks for ${platformString(w)}, but base image ${fetch.name} is a single ${platformString(image.platform)} image`,
      );
    }
  }
  return image;
}

/**
 * Reads a base image's manifest (or index, choosing platforms) and configs
 * through the registry client. Layers are described, not downloaded.
 */
export async function resolveBaseImage(
  text: string,
  options: BaseImageOptions,
): Promise<BaseImage> {
  const reference = parseReference(text, BASE_INPUT);
  const client = new RegistryClient({
    registry: registryApiHost(reference),
    credential: options.credential ?? { kind: 'anonymous' },
    insecureHosts: options.insecureHosts ?? [],
    logger: options.logger,
    input: BASE_INPUT,
  });
  const name = formatReference({
    ...reference,
    tag: reference.tag ?? (reference.digest ? undefined : 'latest'),
  });
  const fetch: BaseFetch = { client, reference, name, wrap: baseErrors(name, options.credential) };
  const top = await fetch.wrap('fetch its manifest', () =>
    client.getManifest(reference.repository, manifestReference(reference)),
  );
  if (top === undefined) {
    throw new InputError(
      BASE_INPUT,
      `names ${name}, which the registry does not have (manifest not found)`,
      'busybox:1.36',
    );
  }
  const wanted = options.platforms.map((p) => parsePlatform(p));
  const parsed = JSON.parse(top.bytes.toString('utf8')) as ImageManifest | ImageIndex;
  const isIndex = isIndexMediaType(top.mediaType) || 'manifests' in parsed;
  const images = isIndex
    ? await indexImages(fetch, parsed as ImageIndex, wanted)
    : [await singleImage(fetch, top.digest, parsed as ImageManifest, wanted)];
  options.logger.info(
    `base image ${name} → ${top.digest} (${images.map((i) => platformString(i.platform)).join(', ')})`,
  );
  return {
    reference,
    name,
    repository: repositoryName(reference),
    digest: top.digest,
    isIndex,
    images,
    client,
  };
}

/** Downloads the base layers into the layout, verifying each digest (for include-base-layers). */
export async function downloadBaseLayers(
  base: BaseImage,
  layout: LayoutWriter,
  logger: Logger,
): Promise<void> {
  const client = base.client;
  const seen = new Set<Digest>();
  for (const image of base.images) {
    for (const layer of image.layers) {
      if (seen.has(layer.digest)) continue;
      seen.add(layer.digest);
      logger.info(`downloading base layer ${layer.digest} (${layer.size} bytes)`);
      const blob = await client.getBlob(base.reference.repository, layer.digest);
      const written = await layout.writeBlob(blob.stream);
      if (written.digest !== layer.digest) {
        await rm(blobPath(layout.root, written.digest), { force: true });
        throw new UserError(
          `base image ${base.name}: layer ${layer.digest} downloaded as ${written.digest}`,
        );
      }
    }
  }
}
