import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { mapConcurrently } from '../common/concurrency.ts';
import type { Logger } from '../common/logger.ts';
import { digestFile, type Digest } from '../oci/digest.ts';
import { extendConfig } from '../oci/image-config.ts';
import { LayoutWriter, type ExternalBlob, type LayoutMetadata } from '../oci/layout.ts';
import { MediaType } from '../oci/media-types.ts';
import { isValidTag } from '../oci/reference.ts';
import { compareBytes, writeLayer, type LayerEntry } from '../oci/tar-layer.ts';
import {
  platformString,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from '../oci/types.ts';
import type { RegistryCredential } from '../registry/credential.ts';
import {
  downloadBaseLayers,
  parsePlatform,
  resolveBaseImage,
  type BaseImage,
} from './base-image.ts';
import { chooseModelCompression } from './compression.ts';
import { collectModel, type ModelTree } from './files.ts';
import { grpcApiOf } from './grpc-api.ts';
import { openApiDocument } from './openapi-document.ts';
import type { Runtime, RuntimeContext, RuntimePlan } from './runtimes/types.ts';
import { ANNOTATION_PREFIX } from './annotations.ts';

/** Where the model came from, for the model card and lineage annotations. */
export interface ModelSource {
  kind: 'local' | 'mlflow' | 'dvc';
  /** As the user wrote it: a path, `models:/name/3`, or a `.dvc` file. */
  uri: string;
  mlflow?: {
    trackingUri: string;
    /** The registered model and version (`models:/<name>/…`); absent for runs:/ and logged models. */
    name?: string;
    version?: string;
    runId?: string;
    /** The MLflow 3 logged model (`m-…`). */
    modelId?: string;
    alias?: string;
    sourceUri?: string;
    /** Where the files were downloaded from: mlflow-artifacts:, s3://, gs://, wasbs://, abfss://. */
    artifactUri?: string;
  };
  dvc?: { file: string; md5: string; remote: string; stage?: string };
}

export interface PackageRequest {
  /** A local file or folder (MLflow and DVC models are fetched before). */
  modelPath: string;
  source: ModelSource;
  name: string;
  version: string;
  runtime: Runtime;
  /** A reference, or `scratch` for an image with no base. */
  baseImage: string;
  platforms: string[];
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  /** Replace the runtime's ports when given. */
  ports?: number[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  output: string;
  sourceDateEpoch: number;
  includeBaseLayers: boolean;
  /** `org.opencontainers.image.source` and `.revision`, usually from the GitHub run. */
  lineage: { source?: string; revision?: string };
  baseCredential?: RegistryCredential;
  insecureHosts?: string[];
  logger: Logger;
}

export interface PackagedLayer {
  role: 'base' | 'model' | 'runtime config';
  /** A large model file's path in the image, when the layer holds that file alone. */
  path?: string;
  mediaType: string;
  digest: Digest;
  size: number;
}

export interface PackageResult {
  layout: string;
  tag: string;
  /** The top manifest, or the index for a multi-platform image. */
  digest: Digest;
  mediaType: string;
  modelDigest: Digest;
  openapi: string;
  annotations: Record<string, string>;
  layers: PackagedLayer[];
  platforms: string[];
  base: { name: string; digest: Digest } | undefined;
  modelPath: string;
  modelCompressionRatio: number;
}

export const MODEL_CARD_PATH = '/model-deploy/model.json';
export const OPENAPI_PATH = '/model-deploy/openapi.json';
/** The `.proto` files of the runtime's gRPC API, when it serves one. */
export const GRPC_PROTO_DIR = '/model-deploy/grpc';

function isoDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Tags allow fewer characters than versions; the layout's tag is the version made tag-safe. */
export function tagFor(version: string): string {
  const cleaned = version.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[.-]+/, '');
  return isValidTag(cleaned) ? cleaned : 'latest';
}

/**
 * The model digest: sha256 of the model's `sha256sum` listing (`<hex>  <path>`
 * per file, sorted by path in byte order). It names the model's bytes and file
 * names regardless of where a runtime puts them, and anyone can recompute it:
 * `find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum` in the model folder.
 */
export function modelDigestOf(files: Array<{ path: string; sha256: Digest }>): Digest {
  const listing = [...files]
    .sort((a, b) => compareBytes(a.path, b.path))
    .map((f) => `${f.sha256.slice(7)}  ./${f.path}\n`)
    .join('');
  return `sha256:${createHash('sha256').update(listing).digest('hex')}`;
}

/**
 * Builds the image: resolves the base (manifest and config only), writes the
 * model layer and the runtime-config layer, then one config and manifest per
 * platform, and an index when the base is multi-platform.
 */
export async function packageModel(request: PackageRequest): Promise<PackageResult> {
  const { runtime, logger } = request;
  const tree = await collectModel(request.modelPath);
  const context: RuntimeContext = { name: request.name, version: request.version, tree };
  const plan = runtime.plan(context);

  let base: BaseImage | undefined;
  let scratchPlatforms: Platform[] = [];
  if (request.baseImage === 'scratch') {
    scratchPlatforms = (request.platforms.length > 0 ? request.platforms : ['linux/amd64']).map(
      (p) => parsePlatform(p),
    );
  } else {
    base = await resolveBaseImage(request.baseImage, {
      platforms: request.platforms,
      credential: request.baseCredential,
      insecureHosts: request.insecureHosts,
      logger,
    });
  }

  const layout = await LayoutWriter.create(request.output);
  try {
    return await writeImage(request, layout, base, scratchPlatforms, plan, tree, context);
  } catch (err) {
    // Nothing half-done: a failed build leaves no layout that push could pick up.
    await rm(request.output, { recursive: true, force: true });
    throw err;
  }
}

interface WrittenModel {
  layers: Array<WrittenLayer & { path: string | undefined }>;
  files: Array<{ path: string; imagePath: string; size: number; sha256: Digest }>;
  digest: Digest;
  /** The gzip sample ratio of the model's bytes. */
  ratio: number;
}

type WrittenLayer = Awaited<ReturnType<typeof writeLayer>>;
type BaseLineage = { name: string; digest: Digest } | undefined;

async function writeImage(
  request: PackageRequest,
  layout: LayoutWriter,
  base: BaseImage | undefined,
  scratchPlatforms: Platform[],
  plan: RuntimePlan,
  tree: ModelTree,
  context: RuntimeContext,
): Promise<PackageResult> {
  const created = isoDate(request.sourceDateEpoch);
  const model = await writeModelLayers(request, layout, plan, tree);
  const platforms = base ? base.images.map((i) => i.platform) : scratchPlatforms;
  const baseLineage: BaseLineage = base ? { name: base.name, digest: base.digest } : undefined;
  const annotations = lineageAnnotations(request, created, model.digest, baseLineage);
  const openapi = openApiDocument({
    runtime: request.runtime,
    name: request.name,
    version: request.version,
    signature: plan.signature,
  });
  const ports = request.ports ?? request.runtime.ports.map((p) => p.port);
  const openapiBytes = Buffer.from(JSON.stringify(openapi, null, 2) + '\n');
  const card = modelCard(request, plan, model, { created, ports, baseLineage });
  const configLayer = await writeConfigLayer(request, layout, plan, card, openapiBytes);
  const images = await writeManifests(request, layout, {
    base,
    platforms,
    created,
    context,
    model,
    configLayer,
    ports,
    annotations,
  });
  const top = await writeTop(layout, images.manifests, base, annotations);
  const tag = await finishLayout(request, layout, {
    top,
    base,
    baseLineage,
    external: images.external,
  });
  const openapiPath = join(request.output, 'openapi.json');
  await writeFile(openapiPath, openapiBytes);
  return {
    layout: request.output,
    tag,
    digest: top.digest,
    mediaType: top.mediaType,
    modelDigest: model.digest,
    openapi: openapiPath,
    annotations,
    layers: packagedLayers(base, model, configLayer),
    platforms: platforms.map(platformString),
    base: baseLineage,
    modelPath: plan.modelPath,
    modelCompressionRatio: model.ratio,
  };
}

/**
 * The model layers: only the model's bytes, so a new base or config never
 * re-uploads them; each large file in a layer of its own, so changing a small
 * file (a tokenizer, a config) re-uploads only the small files' layer.
 */
async function writeModelLayers(
  request: PackageRequest,
  layout: LayoutWriter,
  plan: RuntimePlan,
  tree: ModelTree,
): Promise<WrittenModel> {
  const groups = modelLayerGroups(plan);
  // Each group is sampled once; the model's ratio is theirs weighted by size.
  const choices = await Promise.all(
    groups.map((group) => chooseModelCompression(group.files.map((f) => f.file))),
  );
  const ratio = weightedRatio(groups, choices);
  request.logger.info(
    `model: ${plan.files.length} files, ${tree.totalSize} bytes in ${groups.length} layer${groups.length === 1 ? '' : 's'}; gzip sample ratio ${ratio.toFixed(3)}`,
  );
  const digestsByImagePath = new Map<string, Digest>();
  const sampled = groups.map((group, i) => ({ ...group, compression: choices[i]?.compression }));
  const layers = await mapConcurrently(sampled, LAYER_WRITERS, async (group) => {
    const compression = group.compression ?? 'none';
    const built = await writeLayer(layout, group.entries, {
      sourceDateEpoch: request.sourceDateEpoch,
      compression,
      gzipLevel: 6,
      onFileDigest: (path, digest) => digestsByImagePath.set(path, digest),
    });
    return { ...built, path: group.path };
  });
  const files = plan.files.map(({ file, imagePath }) => ({
    path: file.path,
    imagePath,
    size: file.size,
    sha256: digestsByImagePath.get(imagePath) as Digest,
  }));
  return { layers, files, digest: modelDigestOf(files), ratio };
}

/** The model's gzip sample ratio: each layer's, weighted by its bytes (no second sample of the whole). */
function weightedRatio(groups: LayerGroup[], choices: Array<{ ratio: number }>): number {
  let bytes = 0;
  let weighted = 0;
  groups.forEach((group, i) => {
    const size = group.files.reduce((sum, f) => sum + f.file.size, 0);
    bytes += size;
    weighted += size * (choices[i]?.ratio ?? 1);
  });
  return bytes === 0 ? 1 : weighted / bytes;
}

/** The manifest annotations: OCI lineage, the model and where it came from, then the user's. */
function lineageAnnotations(
  request: PackageRequest,
  created: string,
  modelDigest: Digest,
  baseLineage: BaseLineage,
): Record<string, string> {
  const { lineage, source } = request;
  return {
    'org.opencontainers.image.title': request.name,
    'org.opencontainers.image.version': request.version,
    'org.opencontainers.image.created': created,
    ...(lineage.source ? { 'org.opencontainers.image.source': lineage.source } : {}),
    ...(lineage.revision ? { 'org.opencontainers.image.revision': lineage.revision } : {}),
    ...(baseLineage
      ? {
          'org.opencontainers.image.base.name': baseLineage.name,
          'org.opencontainers.image.base.digest': baseLineage.digest,
        }
      : {}),
    [`${ANNOTATION_PREFIX}.model.name`]: request.name,
    [`${ANNOTATION_PREFIX}.model.version`]: request.version,
    [`${ANNOTATION_PREFIX}.model.digest`]: modelDigest,
    [`${ANNOTATION_PREFIX}.model.source`]: source.kind,
    [`${ANNOTATION_PREFIX}.runtime`]: request.runtime.name,
    ...(source.mlflow?.name !== undefined
      ? { [`${ANNOTATION_PREFIX}.mlflow.model`]: source.mlflow.name }
      : {}),
    ...(source.mlflow?.version !== undefined
      ? { [`${ANNOTATION_PREFIX}.mlflow.version`]: source.mlflow.version }
      : {}),
    ...(source.mlflow?.runId
      ? { [`${ANNOTATION_PREFIX}.mlflow.run-id`]: source.mlflow.runId }
      : {}),
    ...(source.mlflow?.modelId
      ? { [`${ANNOTATION_PREFIX}.mlflow.model-id`]: source.mlflow.modelId }
      : {}),
    ...(source.dvc ? { [`${ANNOTATION_PREFIX}.dvc.md5`]: source.dvc.md5 } : {}),
    ...request.annotations,
  };
}

/** The model card at MODEL_CARD_PATH: what is served, where, and where it came from. */
function modelCard(
  request: PackageRequest,
  plan: RuntimePlan,
  model: WrittenModel,
  facts: { created: string; ports: number[]; baseLineage: BaseLineage },
): object {
  const { runtime, lineage } = request;
  // The REST contract is the OpenAPI document; the gRPC one is the protocol's .proto.
  const grpc = grpcApiOf(runtime);
  return {
    schemaVersion: 1,
    name: request.name,
    version: request.version,
    runtime: runtime.name,
    protocol: runtime.protocol,
    modelPath: plan.modelPath,
    modelDigest: model.digest,
    files: model.files.map((f) => ({ path: f.imagePath, size: f.size, sha256: f.sha256 })),
    ports: facts.ports,
    health: {
      live: runtime.health.live.replace('{name}', request.name),
      ready: runtime.health.ready.replace('{name}', request.name),
    },
    source: sourceForCard(request.source),
    lineage: {
      created: facts.created,
      ...(lineage.source ? { source: lineage.source } : {}),
      ...(lineage.revision ? { revision: lineage.revision } : {}),
      ...(facts.baseLineage ? { base: facts.baseLineage } : {}),
    },
    ...(plan.signature ? { signature: plan.signature } : {}),
    ...(grpc
      ? {
          grpc: {
            port: grpc.port,
            package: grpc.api.package,
            services: grpc.api.services,
            proto: `${GRPC_PROTO_DIR}/${grpc.api.files[0]!.path}`,
          },
        }
      : {}),
  };
}

/** The runtime config layer: generated config, the model card, the OpenAPI document, the .proto files. */
function writeConfigLayer(
  request: PackageRequest,
  layout: LayoutWriter,
  plan: RuntimePlan,
  card: object,
  openapiBytes: Buffer,
): Promise<WrittenLayer> {
  const grpc = grpcApiOf(request.runtime);
  return writeLayer(
    layout,
    [
      ...plan.generated.map((g) => ({
        type: 'file' as const,
        path: g.imagePath,
        content: g.content,
      })),
      {
        type: 'file',
        path: MODEL_CARD_PATH,
        content: Buffer.from(JSON.stringify(card, null, 2) + '\n'),
      },
      { type: 'file', path: OPENAPI_PATH, content: openapiBytes },
      ...(grpc?.api.files ?? []).map((file) => ({
        type: 'file' as const,
        path: `${GRPC_PROTO_DIR}/${file.path}`,
        content: Buffer.from(file.text),
      })),
    ],
    { sourceDateEpoch: request.sourceDateEpoch, compression: 'gzip' },
  );
}

interface ManifestInputs {
  base: BaseImage | undefined;
  platforms: Platform[];
  created: string;
  context: RuntimeContext;
  model: WrittenModel;
  configLayer: WrittenLayer;
  ports: number[];
  annotations: Record<string, string>;
}

/** The image config of one platform: the base's, with our layers, env, command and ports. */
function platformConfig(
  request: PackageRequest,
  inputs: ManifestInputs,
  platform: Platform,
  baseConfig: ImageConfig | undefined,
): ImageConfig {
  const { runtime } = request;
  const command = runtime.command(inputs.context);
  const env: Array<[string, string]> = [
    ...Object.entries(runtime.env(inputs.context)),
    ['MODEL_DEPLOY_MODEL_NAME', request.name],
    ['MODEL_DEPLOY_MODEL_VERSION', request.version],
    ...Object.entries(request.env),
  ];
  return extendConfig(baseConfig, platform, {
    created: inputs.created,
    layers: [
      ...inputs.model.layers.map((l) => ({
        diffId: l.diffId,
        createdBy: `model-deploy: model ${request.name} ${request.version} (${runtime.name})${l.path ? `: ${l.path}` : ''}`,
      })),
      {
        diffId: inputs.configLayer.diffId,
        createdBy: `model-deploy: ${runtime.name} configuration and model card`,
      },
    ],
    env,
    ...((request.entrypoint ?? command.entrypoint)
      ? { entrypoint: request.entrypoint ?? command.entrypoint }
      : {}),
    ...((request.cmd ?? command.cmd) ? { cmd: request.cmd ?? command.cmd } : {}),
    exposedPorts: inputs.ports.map((p) => `${p}/tcp`),
    labels: { ...pickLineageLabels(inputs.annotations), ...request.labels },
  });
}

/** One config and manifest per platform; the base's layers are recorded as external blobs. */
async function writeManifests(
  request: PackageRequest,
  layout: LayoutWriter,
  inputs: ManifestInputs,
): Promise<{ manifests: Descriptor[]; external: Record<Digest, ExternalBlob> }> {
  const { base } = inputs;
  const ourLayers: Descriptor[] = [
    ...inputs.model.layers.map((l) => l.descriptor),
    inputs.configLayer.descriptor,
  ];
  const manifests: Descriptor[] = [];
  const external: Record<Digest, ExternalBlob> = {};
  for (const platform of inputs.platforms) {
    const image = base?.images.find((i) => i.platform === platform);
    const config = platformConfig(request, inputs, platform, image?.config);
    const configDescriptor = await layout.writeJson(MediaType.ociConfig, config);
    const baseLayers = image?.layers ?? [];
    for (const layer of baseLayers) {
      external[layer.digest] = {
        repository: base!.repository,
        size: layer.size,
        mediaType: layer.mediaType,
      };
    }
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers: [...baseLayers, ...ourLayers],
      annotations: image
        ? { ...inputs.annotations, 'org.opencontainers.image.base.digest': image.manifestDigest }
        : inputs.annotations,
    };
    const descriptor = await layout.writeJson(MediaType.ociManifest, manifest);
    manifests.push({ ...descriptor, platform });
  }
  return { manifests, external };
}

/** The one manifest, or an index of them when the base is multi-platform. */
async function writeTop(
  layout: LayoutWriter,
  manifests: Descriptor[],
  base: BaseImage | undefined,
  annotations: Record<string, string>,
): Promise<Descriptor> {
  if (manifests.length === 1 && !base?.isIndex) {
    const { platform: _platform, ...single } = manifests[0]!;
    return single;
  }
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests,
    annotations,
  };
  return layout.writeJson(MediaType.ociIndex, index);
}

/** Base layers when asked for, index.json under the version's tag, and model-deploy.json. */
async function finishLayout(
  request: PackageRequest,
  layout: LayoutWriter,
  written: {
    top: Descriptor;
    base: BaseImage | undefined;
    baseLineage: BaseLineage;
    external: Record<Digest, ExternalBlob>;
  },
): Promise<string> {
  if (written.base && request.includeBaseLayers) {
    await downloadBaseLayers(written.base, layout, request.logger);
  }
  const tag = tagFor(request.version);
  await layout.writeIndex(written.top, tag);
  const metadata: LayoutMetadata = {
    schemaVersion: 1,
    name: request.name,
    version: request.version,
    tag,
    ...(written.baseLineage ? { base: written.baseLineage } : {}),
    externalBlobs: request.includeBaseLayers ? {} : written.external,
  };
  await layout.writeMetadata(metadata);
  return tag;
}

function packagedLayers(
  base: BaseImage | undefined,
  model: WrittenModel,
  configLayer: WrittenLayer,
): PackagedLayer[] {
  const firstBase = base?.images[0]?.layers ?? [];
  return [
    ...firstBase.map((l) => ({
      role: 'base' as const,
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
    })),
    ...model.layers.map((l) => ({
      role: 'model' as const,
      ...l.descriptor,
      ...(l.path ? { path: l.path } : {}),
    })),
    { role: 'runtime config', ...configLayer.descriptor },
  ];
}

/** Model files from this size up get a layer of their own. */
export const OWN_LAYER_BYTES = 4 * 1024 * 1024;
/**
 * At most this many files get their own layer (the largest ones), so that
 * with a base image's layers the image stays far below the layer depth
 * overlay filesystems mount (128).
 */
export const MAX_FILE_LAYERS = 32;
/** Layers written at once: hashing is the work, one core each. */
const LAYER_WRITERS = Math.max(1, Math.min(2, availableParallelism()));

type PlannedFile = RuntimePlan['files'][number];

interface LayerGroup {
  /** The large file's image path, for a layer of one file. */
  path?: string;
  files: PlannedFile[];
  entries: LayerEntry[];
}

/**
 * The model's files as layers: the small files, the directories and links
 * together first, then each large file alone (by path). The split depends only
 * on the files' sizes and paths, so the same model gives the same layers.
 */
export function modelLayerGroups(plan: RuntimePlan): LayerGroup[] {
  const byPath = (a: PlannedFile, b: PlannedFile) => compareBytes(a.imagePath, b.imagePath);
  const large = new Set(
    plan.files
      .filter((f) => f.file.size >= OWN_LAYER_BYTES)
      .sort((a, b) => b.file.size - a.file.size || byPath(a, b))
      .slice(0, MAX_FILE_LAYERS),
  );
  const fileEntry = ({ file, imagePath }: PlannedFile): LayerEntry => ({
    type: 'file',
    path: imagePath,
    size: file.size,
    executable: file.executable,
    source: file.source,
  });
  const small = plan.files.filter((f) => !large.has(f));
  const groups: LayerGroup[] = [];
  const shared: LayerEntry[] = [
    ...plan.directories.map((path) => ({ type: 'directory' as const, path })),
    ...small.map(fileEntry),
    ...plan.symlinks.map((l) => ({
      type: 'symlink' as const,
      path: l.imagePath,
      target: l.target,
    })),
  ];
  if (shared.length > 0 || large.size === 0) groups.push({ files: small, entries: shared });
  // writeLayer adds each file's parent directories, so a file's layer stands on its own.
  for (const planned of [...large].sort(byPath)) {
    groups.push({ path: planned.imagePath, files: [planned], entries: [fileEntry(planned)] });
  }
  return groups;
}

/**
 * A local path as the card records it: relative to the workspace when inside
 * it, else just its name, so the image does not depend on where the checkout is.
 */
function portablePath(path: string): string {
  const absolute = resolve(path);
  const workspace = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd());
  const rel = relative(workspace, absolute);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return basename(absolute);
}

/**
 * The model digest and OpenAPI document without building an image (the
 * Dockerfile path, where the user's build places the files).
 */
export async function digestModel(modelPath: string): Promise<{
  digest: Digest;
  writeOpenApi(runtime: Runtime, name: string, version: string, folder: string): Promise<string>;
}> {
  const tree = await collectModel(modelPath);
  const files: Array<{ path: string; sha256: Digest }> = [];
  for (const file of tree.files)
    files.push({ path: file.path, sha256: (await digestFile(file.source)).digest });
  return {
    digest: modelDigestOf(files),
    async writeOpenApi(runtime, name, version, folder) {
      const path = join(folder, 'openapi.json');
      await writeFile(
        path,
        JSON.stringify(openApiDocument({ runtime, name, version }), null, 2) + '\n',
      );
      return path;
    },
  };
}

/** Lineage also as config labels, which `docker inspect` and registries' UIs show. */
function pickLineageLabels(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).filter(([k]) => k.startsWith('org.opencontainers.image.')),
  );
}

function sourceForCard(source: ModelSource): object {
  return {
    kind: source.kind,
    uri: source.kind === 'local' ? portablePath(source.uri) : source.uri,
    ...(source.mlflow ? { mlflow: source.mlflow } : {}),
    ...(source.dvc ? { dvc: source.dvc } : {}),
  };
}
