import { join } from 'node:path';
import type { Logger } from '../common/logger.ts';
import { buildDockerfile, refuseUnsupportedSettings } from '../model/dockerfile.ts';
import {
  digestModel,
  packageModel,
  tagFor,
  type ModelSource,
  type PackageResult,
} from '../model/package.ts';
import { RUNTIMES } from '../model/runtimes/index.ts';
import type { Runtime, RuntimeName } from '../model/runtimes/types.ts';
import type { MlflowAuth } from '../model/sources/mlflow.ts';
import { resolveModel, type ResolvedModel } from '../model/sources/resolve.ts';
import type { RegistryCredential } from '../registry/credential.ts';

/** What the package action asks for: the model, how to serve it, and what to build on. */
export interface BuildModelImageRequest {
  /** A path, an MLflow model URI, or a DVC-tracked path. */
  model: string;
  name: string;
  /** Default: the version the source names (MLflow), else `1`. */
  version: string | undefined;
  runtime: RuntimeName;
  /** Default: the runtime's base image. */
  baseImage: string | undefined;
  platforms: string[];
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  env: Record<string, string>;
  ports: number[] | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Default: `<workDir>/layout-<tag>`. */
  output: string | undefined;
  sourceDateEpoch: number;
  includeBaseLayers: boolean;
  dockerfile: string | undefined;
  context: string | undefined;
  mlflowTrackingUri: string | undefined;
  mlflowAuth: MlflowAuth;
  baseCredential: RegistryCredential;
  insecureRegistries: string[];
  /** `org.opencontainers.image.source` and `.revision`. */
  lineage: { source?: string; revision?: string };
  /** A private folder for fetched models and the default layout. */
  workDir: string;
}

export interface BuildModelImageResult extends PackageResult {
  version: string;
  runtime: Runtime;
  source: ModelSource;
}

export interface BuildModelImageDeps {
  logger: Logger;
  /** Runs one step under a heading (a log group on GitHub). */
  group?: <T>(name: string, step: () => Promise<T>) => Promise<T>;
}

const noGroup = <T>(_name: string, step: () => Promise<T>): Promise<T> => step();

/**
 * Resolves the model (fetching MLflow and DVC models), then packages it
 * daemonlessly on the base image, or builds the user's Dockerfile.
 */
export async function buildModelImage(
  request: BuildModelImageRequest,
  deps: BuildModelImageDeps,
): Promise<BuildModelImageResult> {
  const group = deps.group ?? noGroup;
  const runtime = RUNTIMES[request.runtime];
  if (request.dockerfile !== undefined) refuseUnsupportedSettings(request);
  const resolved = await group('Resolving the model', () =>
    resolveModel(request.model, {
      mlflowTrackingUri: request.mlflowTrackingUri,
      mlflowAuth: request.mlflowAuth,
      workDir: join(request.workDir, 'source'),
      logger: deps.logger,
    }),
  );
  const version = request.version ?? resolved.version ?? '1';
  const output = request.output ?? join(request.workDir, `layout-${tagFor(version)}`);
  const built =
    request.dockerfile !== undefined
      ? await group('Building the Dockerfile', () =>
          buildFromDockerfile(
            request,
            request.dockerfile!,
            resolved,
            runtime,
            version,
            output,
            deps,
          ),
        )
      : await group('Packaging', () =>
          packageResolved(request, resolved, runtime, version, output, deps),
        );
  return { ...built, version, runtime, source: resolved.source };
}

function packageResolved(
  request: BuildModelImageRequest,
  resolved: ResolvedModel,
  runtime: Runtime,
  version: string,
  output: string,
  deps: BuildModelImageDeps,
): Promise<PackageResult> {
  return packageModel({
    modelPath: resolved.path,
    source: resolved.source,
    name: request.name,
    version,
    runtime,
    baseImage: request.baseImage ?? runtime.defaultBaseImage!,
    platforms: request.platforms,
    entrypoint: request.entrypoint,
    cmd: request.cmd,
    env: request.env,
    ports: request.ports,
    labels: request.labels,
    annotations: request.annotations,
    output,
    sourceDateEpoch: request.sourceDateEpoch,
    includeBaseLayers: request.includeBaseLayers,
    lineage: request.lineage,
    baseCredential: request.baseCredential,
    insecureHosts: request.insecureRegistries,
    logger: deps.logger,
  });
}

async function buildFromDockerfile(
  request: BuildModelImageRequest,
  dockerfile: string,
  resolved: ResolvedModel,
  runtime: Runtime,
  version: string,
  output: string,
  deps: BuildModelImageDeps,
): Promise<PackageResult> {
  const model = await digestModel(resolved.path);
  const tag = tagFor(version);
  const built = await buildDockerfile({
    dockerfile,
    context: request.context ?? '.',
    output,
    tag,
    name: request.name,
    version,
    labels: request.labels,
    sourceDateEpoch: request.sourceDateEpoch,
    logger: deps.logger,
    baseCredential: request.baseCredential,
    ...(request.baseImage ? { baseImage: request.baseImage } : {}),
    insecureHosts: request.insecureRegistries,
    platforms: request.platforms,
    ...(request.entrypoint ? { entrypoint: request.entrypoint } : {}),
    ...(request.cmd ? { cmd: request.cmd } : {}),
    env: request.env,
    ...(request.ports ? { ports: request.ports } : {}),
    annotations: request.annotations,
    includeBaseLayers: request.includeBaseLayers,
  });
  return {
    layout: output,
    tag,
    digest: built.digest,
    mediaType: built.mediaType,
    modelDigest: model.digest,
    openapi: await model.writeOpenApi(runtime, request.name, version, output),
    annotations: {},
    layers: [],
    platforms: [],
    base: undefined,
    modelPath: resolved.path,
    modelCompressionRatio: 1,
  };
}
