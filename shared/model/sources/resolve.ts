import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { ModelSource } from '../package.ts';
import { fetchDvcLockOutput, fetchDvcModel, findDvcLockOutput, isDvcFile } from './dvc.ts';
import {
  isMlflowUri,
  MLFLOW_URI_EXAMPLES,
  MlflowClient,
  parseMlflowUri,
  withoutCredentials,
  type MlflowAuth,
} from './mlflow.ts';

export interface ResolveOptions {
  mlflowTrackingUri?: string;
  mlflowAuth: MlflowAuth;
  /** Where fetched models go (under RUNNER_TEMP). */
  workDir: string;
  logger: Logger;
}

export interface ResolvedModel {
  path: string;
  source: ModelSource;
  /** The version the source names (MLflow), used when the `version` input is empty. */
  version?: string;
}

/**
 * Turns the `model` input into local files: a path; an MLflow model
 * (`models:/<name>/<version>`, `models:/<name>@<alias>`, `models:/m-<id>`,
 * `runs:/<run>/<path>`); or a DVC-tracked path (a `.dvc` file, a path whose
 * `.dvc` file sits next to it, or a stage output listed in `dvc.lock`).
 */
export async function resolveModel(model: string, options: ResolveOptions): Promise<ResolvedModel> {
  if (isMlflowUri(model)) return resolveMlflowModel(model, options);
  const dvcFile = model.endsWith('.dvc')
    ? model
    : !existsSync(model) && existsSync(`${model}.dvc`)
      ? `${model}.dvc`
      : undefined;
  if (dvcFile !== undefined && isDvcFile(dvcFile)) {
    return resolveDvcFile(model, dvcFile, options);
  }
  if (!existsSync(model)) {
    const staged = await findDvcLockOutput(model);
    if (staged !== undefined) return resolveDvcStageOutput(model, staged, options);
  }
  return { path: model, source: { kind: 'local', uri: model } };
}

async function resolveMlflowModel(model: string, options: ResolveOptions): Promise<ResolvedModel> {
  const uri = parseMlflowUri(model);
  if (uri === undefined) {
    throw new InputError('model', `is not an MLflow model URI: '${model}'`, MLFLOW_URI_EXAMPLES);
  }
  const trackingUri = options.mlflowTrackingUri;
  if (!trackingUri) {
    throw new InputError(
      'mlflow-tracking-uri',
      `is needed for ${model} (or set MLFLOW_TRACKING_URI)`,
      'https://mlflow.example.com',
    );
  }
  const client = new MlflowClient(trackingUri, options.mlflowAuth, options.logger, model);
  const resolved = await client.resolve(uri);
  // A fixed folder of ours: nothing the server answers becomes part of the path.
  const destination = join(options.workDir, 'mlflow', 'model');
  const downloaded = await client.download(resolved, destination, options.logger);
  const what =
    resolved.name !== undefined
      ? `${resolved.name} version ${resolved.version}`
      : resolved.modelId !== undefined
        ? `logged model ${resolved.modelId}`
        : `run ${resolved.runId}`;
  options.logger.info(
    `MLflow: ${what} (run ${resolved.runId ?? 'unknown'}) from ${resolved.artifactUri}: ${downloaded.files} files, ${downloaded.bytes} bytes`,
  );
  return {
    path: destination,
    ...(resolved.version !== undefined ? { version: resolved.version } : {}),
    source: {
      kind: 'mlflow',
      uri: model,
      mlflow: {
        trackingUri: withoutCredentials(trackingUri),
        ...(resolved.name !== undefined ? { name: resolved.name } : {}),
        ...(resolved.version !== undefined ? { version: resolved.version } : {}),
        ...(resolved.runId ? { runId: resolved.runId } : {}),
        ...(resolved.modelId ? { modelId: resolved.modelId } : {}),
        ...(resolved.alias ? { alias: resolved.alias } : {}),
        ...(resolved.source ? { sourceUri: resolved.source } : {}),
        artifactUri: resolved.artifactUri,
      },
    },
  };
}

async function resolveDvcFile(
  model: string,
  dvcFile: string,
  options: ResolveOptions,
): Promise<ResolvedModel> {
  const fetched = await fetchDvcModel(
    dvcFile,
    join(options.workDir, 'dvc'),
    options.logger,
    'model',
    model,
  );
  return {
    path: fetched.path,
    source: {
      kind: 'dvc',
      uri: model,
      dvc: { file: dvcFile, md5: fetched.md5, remote: fetched.remote },
    },
  };
}

async function resolveDvcStageOutput(
  model: string,
  staged: NonNullable<Awaited<ReturnType<typeof findDvcLockOutput>>>,
  options: ResolveOptions,
): Promise<ResolvedModel> {
  const fetched = await fetchDvcLockOutput(
    staged,
    join(options.workDir, 'dvc'),
    options.logger,
    'model',
    model,
  );
  return {
    path: fetched.path,
    source: {
      kind: 'dvc',
      uri: model,
      dvc: { file: staged.file, md5: fetched.md5, remote: fetched.remote, stage: staged.stage },
    },
  };
}
