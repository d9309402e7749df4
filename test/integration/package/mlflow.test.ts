import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { resolveModel, type ResolvedModel } from '../../../shared/model/sources/resolve.ts';
import { packageModel } from '../../../shared/model/package.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { startAzurite, type LocalAzurite } from '../../support/azurite.ts';
import { startEntraDouble, type EntraDouble } from '../../support/entra-double.ts';
import { startFakeGcs, type LocalFakeGcs } from '../../support/fake-gcs.ts';
import {
  startGoogleOAuthDouble,
  type GoogleOAuthDouble,
} from '../../support/google-oauth-double.ts';
import {
  startMlflow,
  type LocalMlflow,
  type RegisteredModels,
} from '../../support/mlflow-server.ts';
import { sha256Hex } from '../../support/model-files.ts';
import { startMoto, type LocalMoto } from '../../support/moto.ts';
import { resolveInChild } from '../../support/resolve-in-child.ts';

const temps: string[] = [];
const temp = (prefix = 'md-mlflow-test-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** relative path → sha256 of every file under `dir`. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = sha256Hex(readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** Runs `action` with these variables set, restoring them after. */
async function withEnv<T>(env: Record<string, string>, action: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await action();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('MLflow through the artifact proxy (real mlflow server --serve-artifacts)', () => {
  let mlflow: LocalMlflow;
  let ids: RegisteredModels;

  beforeAll(async () => {
    mlflow = await startMlflow({ mode: 'proxy' });
    console.log(`mlflow server (--serve-artifacts) answered in ${mlflow.startMs} ms`);
    ids = (await mlflow.register([{ label: 'proxy', model: 'iris', everything: true }])).proxy!;
  }, 900_000);
  afterAll(() => mlflow?.stop());

  const options = () => ({
    mlflowTrackingUri: mlflow.url,
    mlflowAuth: {},
    workDir: temp(),
    logger: silentLogger,
  });
  /** The files MLflow wrote for a logged model, from the proxy's own folder. */
  const written = (artifactLocation: string) =>
    tree(join(mlflow.artifactsDir, artifactLocation.replace(/^mlflow-artifacts:\//, '')));

  it('resolves an alias, downloads the files MLflow wrote, and packages them with the lineage', async () => {
    const resolved = await resolveModel('models:/iris@champion', options());
    expect(resolved.version).toBe('2');
    expect(resolved.source.mlflow).toMatchObject({
      name: 'iris',
      version: '2',
      alias: 'champion',
      runId: ids.versions['2']!.run_id,
      modelId: ids.versions['2']!.model_id,
      artifactUri: ids.versions['2']!.artifact_location,
    });
    const files = tree(resolved.path);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['MLmodel', 'model.skops', 'requirements.txt']),
    );
    expect(files).toEqual(written(ids.versions['2']!.artifact_location));

    const result = await packageModel({
      modelPath: resolved.path,
      source: resolved.source,
      name: 'iris',
      version: resolved.version!,
      runtime: RUNTIMES.mlserver,
      baseImage: 'scratch',
      platforms: [],
      env: {},
      labels: {},
      annotations: {},
      output: join(temp(), 'layout'),
      sourceDateEpoch: 0,
      includeBaseLayers: false,
      lineage: {},
      logger: silentLogger,
    });
    expect(result.annotations).toMatchObject({
      'dev.model-deploy.mlflow.model': 'iris',
      'dev.model-deploy.mlflow.version': '2',
      'dev.model-deploy.mlflow.run-id': ids.versions['2']!.run_id,
      'dev.model-deploy.mlflow.model-id': ids.versions['2']!.model_id,
      'dev.model-deploy.model.source': 'mlflow',
    });
    // The signature MLflow wrote into MLmodel: four float64 features.
    const openapi = JSON.parse(readFileSync(result.openapi, 'utf8'));
    expect(openapi['x-model-signature'].inputs[0]).toMatchObject({
      datatype: 'FP64',
      shape: [-1, 4],
    });
  });

  it('resolves an explicit version, and records the tracking URI without credentials', async () => {
    const resolved = await resolveModel('models:/iris/3', {
      ...options(),
      mlflowTrackingUri: mlflow.url.replace('http://', 'http://ml:p%40ss@'),
    });
    expect(resolved.version).toBe('3');
    expect(resolved.source.mlflow?.runId).toBe(ids.versions['3']!.run_id);
    expect(resolved.source.mlflow?.trackingUri).toBe(`${mlflow.url}/`);
    expect(JSON.stringify(resolved.source)).not.toContain('p%40ss');
    expect(tree(resolved.path)).toEqual(written(ids.versions['3']!.artifact_location));
    expect(tree(resolved.path)).not.toEqual(written(ids.versions['2']!.artifact_location));
  });

  it('resolves an MLflow 3 logged model (models:/m-…) and the same model as runs:/<run>/<name>', async () => {
    const runOnly = ids.run_only!;
    const logged = await resolveModel(`models:/${runOnly.model_id}`, options());
    expect(logged.version).toBeUndefined();
    expect(logged.source.mlflow).toMatchObject({
      modelId: runOnly.model_id,
      runId: runOnly.run_id,
    });
    expect(logged.source.mlflow?.name).toBeUndefined();
    const byRun = await resolveModel(`runs:/${runOnly.run_id}/${runOnly.name}`, options());
    expect(byRun.source.mlflow).toMatchObject({ runId: runOnly.run_id, modelId: runOnly.model_id });
    expect(tree(byRun.path)).toEqual(tree(logged.path));
    expect(Object.keys(tree(logged.path))).toContain('MLmodel');
  });

  it('downloads plain run artifacts with runs:/<run>/<path>', async () => {
    const resolved = await resolveModel(`runs:/${ids.run_without_model}/notes`, options());
    expect(readFileSync(join(resolved.path, 'readme.txt'), 'utf8')).toBe('no model here\n');
  });

  /** Refused naming the model URI, the server and the fix, and nothing left to package. */
  async function refused(model: string, problem: string | RegExp, fix: string | RegExp) {
    const opts = options();
    const err = (await resolveModel(model, opts).then(
      () => undefined,
      (e: unknown) => e,
    )) as (Error & { hint?: string }) | undefined;
    expect(err, `${model} should be refused`).toBeInstanceOf(Error);
    expect(err!.message).toContain(model);
    expect(err!.message).toContain(mlflow.url);
    expect(err!.message).toMatch(problem);
    expect(err!.hint ?? '').toMatch(fix);
    expect(existsSync(join(opts.workDir, 'mlflow', 'model'))).toBe(false);
  }

  it('refuses a version still PENDING_REGISTRATION', async () => {
    await refused(
      `models:/iris/${ids.pending_version}`,
      `version ${ids.pending_version} is PENDING_REGISTRATION, not READY`,
      /wait for the registration to finish/,
    );
  });

  it('refuses a deleted version', async () => {
    await refused(
      `models:/iris/${ids.deleted_version}`,
      `has no version ${ids.deleted_version} (it was deleted, or never registered)`,
      /pick a version that exists/,
    );
  });

  it('refuses an alias that does not exist', async () => {
    await refused('models:/iris@production', "has no alias 'production'", /set the alias/);
  });

  it('refuses a run without the artifact path', async () => {
    await refused(
      `runs:/${ids.run_without_model}/model`,
      "has no artifacts at 'model' and logged no model named 'model'",
      /Artifacts tab/,
    );
    await refused(
      'runs:/0123456789abcdef0123456789abcdef/model',
      'there is no run 0123456789abcdef0123456789abcdef',
      /run id/,
    );
  });

  it('refuses URIs it cannot resolve before asking the server', async () => {
    await expect(resolveModel('models:/iris/latest', options())).rejects.toThrow(
      "input 'model' is not an MLflow model URI: 'models:/iris/latest'",
    );
    await expect(resolveModel('runs:/abc/../../etc', options())).rejects.toThrow(
      'is not an MLflow model URI',
    );
    await expect(
      resolveModel('models:/iris/3', { ...options(), mlflowTrackingUri: undefined }),
    ).rejects.toThrow("input 'mlflow-tracking-uri' is needed for models:/iris/3");
  });
});

describe('MLflow with direct artifact roots on S3 (moto), Cloud Storage (fake-gcs-server) and Azure Blob (Azurite)', () => {
  let moto: LocalMoto;
  let gcs: LocalFakeGcs;
  let azurite: LocalAzurite;
  let google: GoogleOAuthDouble;
  let entra: EntraDouble;
  let mlflow: LocalMlflow;
  let ids: Record<string, RegisteredModels>;
  let caBundle: string;
  const CLIENT_ID = '8f0c5a2e-1b3d-4c5e-9f70-222233334444';
  const SECRET = 'mlflow-blob-reader';

  beforeAll(async () => {
    [moto, gcs, azurite, google, entra] = await Promise.all([
      startMoto(),
      startFakeGcs(),
      startAzurite(),
      startGoogleOAuthDouble(),
      startEntraDouble({ secrets: { [CLIENT_ID]: SECRET } }),
    ]);
    console.log(
      `fake-gcs-server answered in ${gcs.startMs} ms, azurite-blob in ${azurite.startMs} ms`,
    );
    caBundle = join(temp(), 'ca.pem');
    writeFileSync(
      caBundle,
      `${readFileSync(entra.caPath, 'utf8')}\n${readFileSync(azurite.caPath, 'utf8')}`,
    );
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'mlflow-artifacts' }));
    await gcs.createBucket('mlflow-gcs');
    await azurite.createContainer('mlflow');
    // What MLflow's own clients use to reach each store.
    mlflow = await startMlflow({
      mode: 'direct',
      defaultArtifactRoot: 's3://mlflow-artifacts/root',
      env: {
        ...moto.env,
        MLFLOW_S3_ENDPOINT_URL: moto.endpoint,
        STORAGE_EMULATOR_HOST: gcs.endpoint,
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        REQUESTS_CA_BUNDLE: azurite.caPath,
      },
    });
    console.log(`mlflow server (--no-serve-artifacts) answered in ${mlflow.startMs} ms`);
    ids = await mlflow.register([
      { label: 's3', model: 'iris-s3' },
      { label: 'gcs', model: 'iris-gcs', artifact_location: 'gs://mlflow-gcs/experiments' },
      {
        label: 'azure',
        model: 'iris-azure',
        artifact_location: `wasbs://mlflow@${azurite.account}.blob.core.windows.net/experiments`,
      },
    ]);
  }, 900_000);
  afterAll(async () => {
    await Promise.all([
      mlflow?.stop(),
      moto?.stop(),
      gcs?.stop(),
      azurite?.stop(),
      google?.stop(),
      entra?.stop(),
    ]);
  });

  const expectModel = (resolved: ResolvedModel, artifactUri: RegExp) => {
    expect(resolved.version).toBe('2');
    expect(resolved.source.mlflow?.artifactUri).toMatch(artifactUri);
    const files = tree(resolved.path);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['MLmodel', 'model.skops', 'requirements.txt']),
    );
    expect(readFileSync(join(resolved.path, 'MLmodel'), 'utf8')).toContain('signature:');
    return files;
  };

  it('downloads from s3:// with the standard AWS credentials and MLFLOW_S3_ENDPOINT_URL', async () => {
    const resolved = await withEnv({ ...moto.env, MLFLOW_S3_ENDPOINT_URL: moto.endpoint }, () =>
      resolveModel('models:/iris-s3@champion', {
        mlflowTrackingUri: mlflow.url,
        mlflowAuth: {},
        workDir: temp(),
        logger: silentLogger,
      }),
    );
    expectModel(resolved, /^s3:\/\/mlflow-artifacts\/root\/.+\/models\/m-[0-9a-f]+\/artifacts$/);
    expect(resolved.source.mlflow?.runId).toBe(ids.s3!.versions['2']!.run_id);
  });

  it('downloads from gs:// with the Google application default credentials', async () => {
    const before = google.issued.length;
    const resolved = await withEnv(
      { GCE_METADATA_HOST: google.metadataHost, MODEL_DEPLOY_GCS_ENDPOINT: gcs.endpoint },
      () =>
        resolveModel('models:/iris-gcs/2', {
          mlflowTrackingUri: mlflow.url,
          mlflowAuth: {},
          workDir: temp(),
          logger: silentLogger,
        }),
    );
    expectModel(resolved, /^gs:\/\/mlflow-gcs\/experiments\/.+\/artifacts$/);
    expect(google.issued.length).toBeGreaterThan(before);
  });

  it('downloads from wasbs:// with an Entra token for Azure Storage (Azurite checks it)', async () => {
    const azureEnv = {
      NODE_EXTRA_CA_CERTS: caBundle,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: CLIENT_ID,
      AZURE_CLIENT_SECRET: SECRET,
      MODEL_DEPLOY_AZURE_BLOB_ENDPOINT: azurite.endpoint,
    };
    const result = await resolveInChild(
      'models:/iris-azure@champion',
      { mlflowTrackingUri: mlflow.url, workDir: temp() },
      azureEnv,
    );
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    if (!result.ok) return;
    expectModel(
      result.resolved,
      new RegExp(`^wasbs://mlflow@${azurite.account}\\.blob\\.core\\.windows\\.net/experiments/`),
    );
    expect(entra.requests).toContainEqual(
      expect.objectContaining({
        clientId: CLIENT_ID,
        scope: 'https://storage.azure.com/.default',
        granted: true,
      }),
    );

    // Without a token Azure Storage accepts, the store is named with the fix.
    const denied = await resolveInChild(
      'models:/iris-azure/1',
      { mlflowTrackingUri: mlflow.url, workDir: temp() },
      { ...azureEnv, AZURE_CLIENT_SECRET: 'wrong' },
    );
    expect(denied.ok).toBe(false);
    if (denied.ok) return;
    expect(denied.error).toMatch(/AZURE_CLIENT_SECRET|invalid_client|Entra|credential/i);
  });
});
