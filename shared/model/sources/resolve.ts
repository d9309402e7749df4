import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { ModelSource } from '../package.ts';
import { fetchDvcModel, isDvcFile } from './dvc.ts';
import { MlflowClient, parseMlflowUri, withoutCredentials, type MlflowAuth } from './mlflow.ts';

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

/** Turns the `model` input into local files: a path, an MLflow model version, or a DVC-tracked path. */
export async function resolveModel(model: string, options: ResolveOptions): Promise<ResolvedModel> {
  if (model.startsWith('models:')) {
    const uri = parseMlflowUri(model);
    if (uri === undefined) {
      throw new InputError(
        'model',
        `is not an MLflow model URI: '${model}'`,
        'models:/resnet50/3 or models:/resnet50@champion',
      );
    }
    const trackingUri = options.mlflowTrackingUri;
    if (!trackingUri) {
      throw new InputError(
        'mlflow-tracking-uri',
        `is needed for ${model} (or set MLFLOW_TRACKING_URI)`,
        'https://mlflow.example.com',
      );
    }
    const client = new MlflowClient(trackingUri, options.mlflowAuth, options.logger);
    const version = await client.resolve(uri);
    const destination = join(options.workDir, 'mlflow', `${version.name}-${version.version}`);
    const downloaded = await client.download(version.artifactUri, destination, options.logger);
    options.logger.info(
      `MLflow: ${version.name} version ${version.version} (run ${version.runId ?? 'unknown'}): ${downloaded.files} files`,
    );
    return {
      path: destination,
      version: version.version,
      source: {
        kind: 'mlflow',
        uri: model,
        mlflow: {
          trackingUri: withoutCredentials(trackingUri),
          name: version.name,
          version: version.version,
          ...(version.runId ? { runId: version.runId } : {}),
          ...(uri.alias ? { alias: uri.alias } : {}),
          ...(version.source ? { sourceUri: version.source } : {}),
        },
      },
    };
  }
  const dvcFile = model.endsWith('.dvc')
    ? model
    : !existsSync(model) && existsSync(`${model}.dvc`)
      ? `${model}.dvc`
      : undefined;
  if (dvcFile !== undefined && isDvcFile(dvcFile)) {
    const fetched = await fetchDvcModel(dvcFile, join(options.workDir, 'dvc'), options.logger);
    return {
      path: fetched.path,
      source: {
        kind: 'dvc',
        uri: model,
        dvc: { file: dvcFile, md5: fetched.md5, remote: fetched.remote },
      },
    };
  }
  return { path: model, source: { kind: 'local', uri: model } };
}
