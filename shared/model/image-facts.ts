import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { cloudOfHost, registryAccessFor } from '../clouds/registry-access.ts';
import { MiB } from '../common/bounded-body.ts';
import { errorMessage, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Digest } from '../oci/digest.ts';
import { isIndexMediaType } from '../oci/media-types.ts';
import { formatReference, manifestReference, registryApiHost } from '../oci/reference.ts';
import type { ImageReference } from '../oci/reference.ts';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../oci/types.ts';
import { RegistryClient } from '../registry/client.ts';
import { ANNOTATION_PREFIX } from './annotations.ts';
import { RUNTIME_NAMES, type RuntimeName } from './runtimes/types.ts';

/**
 * What an image says about how it serves: the annotations package wrote
 * (runtime, model name and version), its model card (ports and health paths,
 * as package recorded them) and the image config (user and command). The
 * image is the contract between package and deploy.
 */
export interface ImageFacts {
  /** The serving runtime the image was packaged for; undefined for an image package did not build. */
  runtime?: RuntimeName;
  /** The model version (`org.opencontainers.image.version`). */
  version?: string;
  /** The model name as served. */
  modelName?: string;
  /** The ports the model card lists; the first is the HTTP port inference is served on. */
  ports?: number[];
  /** The health paths the model card lists, model name filled in. */
  health?: { live: string; ready: string };
  /** The image config's `User` (a uid, uid:gid or a name); undefined when the image runs as root by default. */
  user?: string;
  /** The image config's Entrypoint and Cmd, as the container runs them without args. */
  entrypoint?: string[];
  cmd?: string[];
  /** Where the facts were read: `annotations`, `model card`, `image config`. */
  sources: string[];
}

export interface ImageFactsOptions {
  logger: Logger;
  azureClientId?: string;
  azureTenantId?: string;
  endpoints?: Record<string, string>;
}

/** Where package writes the model card in the image (its config layer). */
export const MODEL_CARD_ENTRY = 'model-deploy/model.json';

/** A config layer holds the runtime config, the card, the OpenAPI document and protos: small. */
const MAX_CARD_LAYER_BYTES = 16 * MiB;
const MAX_CONFIG_BYTES = 4 * MiB;

/** Reads the facts from the image's registry; a UserError names the image when it cannot. */
export async function readImageFacts(
  reference: ImageReference,
  options: ImageFactsOptions,
): Promise<ImageFacts> {
  const host = registryApiHost(reference);
  const name = formatReference(reference);
  try {
    const access = await registryAccessFor(
      { cloud: cloudOfHost(reference.registry), host },
      {
        logger: options.logger,
        ...(options.azureClientId ? { azureClientId: options.azureClientId } : {}),
        ...(options.azureTenantId ? { azureTenantId: options.azureTenantId } : {}),
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
      },
    );
    const client = new RegistryClient({
      registry: host,
      credential: await access.credential(),
      logger: options.logger,
    });
    return await readFacts(client, reference, name, options.logger);
  } catch (err) {
    throw new UserError(`could not read ${name} from its registry: ${errorMessage(err)}`, {
      hint: `let the runner read the image (the cloud's login step, or docker login for other registries), or set input 'runtime' (${RUNTIME_NAMES.join(', ')})`,
      cause: err,
    });
  }
}

async function readFacts(
  client: RegistryClient,
  reference: ImageReference,
  name: string,
  logger: Logger,
): Promise<ImageFacts> {
  const repository = reference.repository;
  const top = await client.getManifest(repository, manifestReference(reference));
  if (top === undefined) {
    throw new UserError(`the registry has no manifest for ${name}`, {
      hint: 'check the image input: it should be an output of the push action',
    });
  }
  const parsed = JSON.parse(top.bytes.toString('utf8')) as ImageManifest | ImageIndex;
  const facts: ImageFacts = { sources: [], ...fromAnnotations(parsed.annotations) };
  if (facts.runtime !== undefined || facts.modelName !== undefined)
    facts.sources.push('annotations');

  let manifest: ImageManifest | undefined;
  if (isIndexMediaType(top.mediaType) || 'manifests' in parsed) {
    const chosen = choosePlatform((parsed as ImageIndex).manifests ?? []);
    if (chosen !== undefined) {
      const child = await client.getManifest(repository, chosen.digest);
      if (child !== undefined) manifest = JSON.parse(child.bytes.toString('utf8')) as ImageManifest;
    }
  } else {
    manifest = parsed as ImageManifest;
  }
  if (manifest === undefined) return facts;

  const config = await readJsonBlob<ImageConfig>(
    client,
    repository,
    manifest.config.digest,
    MAX_CONFIG_BYTES,
  );
  const runnable = config?.config;
  if (runnable) {
    facts.sources.push('image config');
    if (runnable.User) facts.user = runnable.User;
    if (runnable.Entrypoint?.length) facts.entrypoint = [...runnable.Entrypoint];
    if (runnable.Cmd?.length) facts.cmd = [...runnable.Cmd];
  }

  // package puts the card in its config layer, the image's last.
  const last = manifest.layers.at(-1);
  if (facts.runtime !== undefined && last !== undefined && last.size <= MAX_CARD_LAYER_BYTES) {
    try {
      const card = await readCard(client, repository, last);
      if (card) {
        facts.sources.push('model card');
        applyCard(facts, card);
      }
    } catch (err) {
      logger.debug(`no model card read from ${name}: ${errorMessage(err)}`);
    }
  }
  return facts;
}

function fromAnnotations(annotations: Record<string, string> | undefined): Partial<ImageFacts> {
  const get = (key: string): string | undefined => {
    const value = annotations?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const runtime = get(`${ANNOTATION_PREFIX}.runtime`);
  const version = get('org.opencontainers.image.version');
  const modelName = get(`${ANNOTATION_PREFIX}.model.name`);
  return {
    ...(runtime !== undefined && (RUNTIME_NAMES as readonly string[]).includes(runtime)
      ? { runtime: runtime as RuntimeName }
      : {}),
    ...(version !== undefined ? { version } : {}),
    ...(modelName !== undefined ? { modelName } : {}),
  };
}

/** linux/amd64 when the index has it (what EKS, AKS and GKE nodes run most), else the first image. */
function choosePlatform(manifests: Descriptor[]): Descriptor | undefined {
  const images = manifests.filter((m) => m.platform?.os !== 'unknown');
  return (
    images.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
    images[0]
  );
}

async function readJsonBlob<T>(
  client: RegistryClient,
  repository: string,
  digest: Digest,
  limit: number,
): Promise<T | undefined> {
  const blob = await client.getBlob(repository, digest);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of blob.stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      blob.stream.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

interface ModelCard {
  name?: unknown;
  version?: unknown;
  runtime?: unknown;
  ports?: unknown;
  health?: { live?: unknown; ready?: unknown };
}

/** The model card from a (gzip) tar layer, or undefined when the layer has none. */
async function readCard(
  client: RegistryClient,
  repository: string,
  layer: Descriptor,
): Promise<ModelCard | undefined> {
  const blob = await client.getBlob(repository, layer.digest);
  const gzip = layer.mediaType.endsWith('gzip');
  const untar = extract();
  let found: Buffer | undefined;
  let read = 0;
  const done = new Promise<void>((resolve, reject) => {
    untar.on('entry', (header, stream, next) => {
      const entryName = header.name.replace(/^\.?\/+/, '');
      if (entryName !== MODEL_CARD_ENTRY) {
        stream.on('end', next);
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        found = Buffer.concat(chunks);
        // The card is all we want: stop reading the layer.
        untar.destroy();
        resolve();
      });
    });
    untar.on('finish', resolve);
    untar.on('close', resolve);
    untar.on('error', reject);
  });
  const source = blob.stream;
  source.on('data', (c: unknown) => {
    read += (c as Buffer).length;
    if (read > MAX_CARD_LAYER_BYTES)
      source.destroy(new Error('the layer is larger than a config layer'));
  });
  source.on('error', (err) => untar.destroy(err));
  if (gzip) {
    const gunzip = createGunzip();
    gunzip.on('error', (err) => untar.destroy(err));
    source.pipe(gunzip).pipe(untar);
  } else {
    source.pipe(untar);
  }
  await done;
  source.destroy();
  if (found === undefined) return undefined;
  try {
    return JSON.parse(found.toString('utf8')) as ModelCard;
  } catch {
    return undefined;
  }
}

function applyCard(facts: ImageFacts, card: ModelCard): void {
  if (typeof card.name === 'string' && card.name !== '' && facts.modelName === undefined) {
    facts.modelName = card.name;
  }
  if (Array.isArray(card.ports)) {
    const ports = card.ports.filter(
      (p): p is number => Number.isInteger(p) && (p as number) > 0 && (p as number) < 65536,
    );
    if (ports.length > 0) facts.ports = ports;
  }
  const live = card.health?.live;
  const ready = card.health?.ready;
  if (
    typeof live === 'string' &&
    typeof ready === 'string' &&
    live.startsWith('/') &&
    ready.startsWith('/')
  ) {
    facts.health = { live, ready };
  }
}
