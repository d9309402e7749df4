import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, type LocalMoto } from '../../support/moto.ts';
import { resolveModel } from '../../../shared/model/sources/resolve.ts';
import { packageModel } from '../../../shared/model/package.ts';
import { RUNTIMES } from '../../../shared/model/runtimes/index.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import type { ImageManifest } from '../../../shared/oci/types.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { startMlflowDouble, type MlflowDouble } from '../../support/mlflow-double.ts';
import { sklearnFolder, float32Weights, sha256Hex } from '../../support/model-files.ts';

const temps: string[] = [];
const temp = (prefix = 'md-src-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('MLflow model versions (against the MLflow test double)', () => {
  let mlflow: MlflowDouble;
  let artifacts: string;
  const token = 'mlflow-test-token';

  beforeAll(async () => {
    artifacts = temp('md-mlflow-');
    sklearnFolder(join(artifacts, '1', 'run-a', 'artifacts', 'model'), { mlmodel: true });
    mkdirSync(join(artifacts, '1', 'run-a', 'artifacts', 'model', 'nested'), { recursive: true });
    writeFileSync(
      join(artifacts, '1', 'run-a', 'artifacts', 'model', 'nested', 'requirements.txt'),
      'scikit-learn==1.5.2\n',
    );
    sklearnFolder(join(artifacts, '1', 'run-b', 'artifacts', 'model'));
    mlflow = await startMlflowDouble({
      artifactRoot: artifacts,
      token,
      basic: { username: 'ml', password: 'p@ss' },
      versions: [
        {
          name: 'iris',
          version: '4',
          status: 'READY',
          runId: 'run-a',
          artifactPath: '1/run-a/artifacts/model',
        },
        {
          name: 'iris',
          version: '5',
          status: 'PENDING_REGISTRATION',
          runId: 'run-b',
          artifactPath: '1/run-b/artifacts/model',
        },
      ],
      aliases: { 'iris@champion': '4', 'iris@next': '5' },
    });
  });
  afterAll(() => mlflow?.stop());

  const options = () => ({
    mlflowTrackingUri: mlflow.url,
    mlflowAuth: { token },
    workDir: temp(),
    logger: silentLogger,
  });

  it('resolves an alias, checks READY, downloads through the artifact proxy, and records lineage', async () => {
    const resolved = await resolveModel('models:/iris@champion', options());
    expect(resolved.version).toBe('4');
    expect(resolved.source.mlflow).toMatchObject({
      name: 'iris',
      version: '4',
      runId: 'run-a',
      alias: 'champion',
    });
    const original = join(artifacts, '1', 'run-a', 'artifacts', 'model');
    for (const file of ['model.joblib', 'MLmodel', 'nested/requirements.txt']) {
      expect(sha256Hex(readFileSync(join(resolved.path, file)))).toBe(
        sha256Hex(readFileSync(join(original, file))),
      );
    }
    expect(
      mlflow.requests.some((r) =>
        r.startsWith('GET /api/2.0/mlflow/registered-models/alias?name=iris&alias=champion'),
      ),
    ).toBe(true);
    expect(
      mlflow.requests.some((r) =>
        r.startsWith(
          'GET /api/2.0/mlflow-artifacts/artifacts/1/run-a/artifacts/model/model.joblib',
        ),
      ),
    ).toBe(true);

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
      'dev.model-deploy.mlflow.version': '4',
      'dev.model-deploy.mlflow.run-id': 'run-a',
      'dev.model-deploy.model.source': 'mlflow',
    });
    const openapi = JSON.parse(readFileSync(result.openapi, 'utf8'));
    expect(openapi['x-model-signature'].inputs[0]).toMatchObject({
      datatype: 'FP64',
      shape: [-1, 4],
    });
    const layout = await readLayout(result.layout);
    expect((layout.manifests.get(result.digest) as ImageManifest).layers).toHaveLength(2);
  });

  it('uses credentials written into the tracking URI as basic auth and records the URI without them', async () => {
    const withCredentials = mlflow.url.replace('http://', 'http://ml:p%40ss@');
    const resolved = await resolveModel('models:/iris/4', {
      ...options(),
      mlflowTrackingUri: withCredentials,
      mlflowAuth: {},
    });
    expect(resolved.source.mlflow?.trackingUri).toBe(`${mlflow.url}/`);
    expect(JSON.stringify(resolved.source)).not.toContain('p%40ss');
  });

  it('resolves an explicit version', async () => {
    const resolved = await resolveModel('models:/iris/4', options());
    expect(resolved.version).toBe('4');
  });

  it('refuses a version that is not READY', async () => {
    await expect(resolveModel('models:/iris/5', options())).rejects.toThrow(
      "MLflow model 'iris' version 5 is PENDING_REGISTRATION, not READY",
    );
    await expect(resolveModel('models:/iris@next', options())).rejects.toThrow('not READY');
  });

  it('names what is missing: an unknown version or alias, a bad token', async () => {
    await expect(resolveModel('models:/iris/9', options())).rejects.toThrow(
      "input 'model' model 'iris' has no version 9",
    );
    await expect(resolveModel('models:/iris@gone', options())).rejects.toThrow(
      "has no alias 'gone'",
    );
    await expect(
      resolveModel('models:/iris/4', { ...options(), mlflowAuth: { token: 'wrong' } }),
    ).rejects.toThrow('HTTP 401');
    await expect(
      resolveModel('models:/iris/4', { ...options(), mlflowTrackingUri: undefined }),
    ).rejects.toThrow("input 'mlflow-tracking-uri' is needed for models:/iris/4");
  });
});

describe('DVC-tracked models (local remote)', () => {
  const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

  function project(layout: 'dvc3' | 'dvc2') {
    const root = temp('md-dvc-');
    const remote = temp('md-dvc-remote-');
    mkdirSync(join(root, '.dvc'));
    writeFileSync(
      join(root, '.dvc', 'config'),
      `[core]\n    remote = storage\n['remote "storage"']\n    url = ${remote}\n`,
    );
    const store = (hash: string, data: Buffer | string) => {
      const dir =
        layout === 'dvc3'
          ? join(remote, 'files', 'md5', hash.slice(0, 2))
          : join(remote, hash.slice(0, 2));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, hash.slice(2)), data);
      return join(dir, hash.slice(2));
    };
    return { root, remote, store };
  }

  it('fetches a file by md5 from a DVC 3 remote and packages it', async () => {
    const { root, store } = project('dvc3');
    const weights = float32Weights(8192, 11);
    store(md5(weights), weights);
    mkdirSync(join(root, 'models'));
    writeFileSync(
      join(root, 'models', 'model.onnx.dvc'),
      `outs:\n- md5: ${md5(weights)}\n  size: ${weights.length}\n  hash: md5\n  path: model.onnx\n`,
    );
    const resolved = await resolveModel(join(root, 'models', 'model.onnx'), {
      mlflowAuth: {},
      workDir: temp(),
      logger: silentLogger,
    });
    expect(resolved.source.kind).toBe('dvc');
    expect(resolved.source.dvc?.md5).toBe(md5(weights));
    expect(readFileSync(resolved.path).equals(weights)).toBe(true);
  });

  it('fetches a folder (.dir listing) from a DVC 2 style remote', async () => {
    const { root, store } = project('dvc2');
    const a = float32Weights(1024, 12);
    const b = Buffer.from('{"name": "tokenizer"}');
    const listing = JSON.stringify([
      { md5: md5(a), relpath: 'model.safetensors' },
      { md5: md5(b), relpath: 'sub/tokenizer.json' },
    ]);
    store(md5(a), a);
    store(md5(b), b);
    store(`${md5(listing)}.dir`, listing);
    writeFileSync(
      join(root, 'llm.dvc'),
      `outs:\n- md5: ${md5(listing)}.dir\n  nfiles: 2\n  path: llm\n`,
    );
    const resolved = await resolveModel(join(root, 'llm.dvc'), {
      mlflowAuth: {},
      workDir: temp(),
      logger: silentLogger,
    });
    expect(readFileSync(join(resolved.path, 'model.safetensors')).equals(a)).toBe(true);
    expect(readFileSync(join(resolved.path, 'sub', 'tokenizer.json')).equals(b)).toBe(true);
  });

  it('refuses bytes whose md5 does not match the .dvc file', async () => {
    const { root, store } = project('dvc3');
    const weights = float32Weights(4096, 13);
    const path = store(md5(weights), weights);
    const corrupt = Buffer.from(weights);
    corrupt[100] = corrupt[100]! ^ 0xff;
    writeFileSync(path, corrupt);
    writeFileSync(
      join(root, 'model.onnx.dvc'),
      `outs:\n- md5: ${md5(weights)}\n  size: ${weights.length}\n  hash: md5\n  path: model.onnx\n`,
    );
    await expect(
      resolveModel(join(root, 'model.onnx.dvc'), {
        mlflowAuth: {},
        workDir: temp(),
        logger: silentLogger,
      }),
    ).rejects.toThrow(
      `DVC hash mismatch for model.onnx: the remote's bytes hash to md5 ${md5(corrupt)}, the .dvc file says ${md5(weights)}`,
    );
  });

  it('says when the object is missing from the remote', async () => {
    const { root } = project('dvc3');
    writeFileSync(join(root, 'm.dvc'), `outs:\n- md5: ${'0'.repeat(32)}\n  path: m.onnx\n`);
    await expect(
      resolveModel(join(root, 'm.dvc'), { mlflowAuth: {}, workDir: temp(), logger: silentLogger }),
    ).rejects.toThrow('is not in the remote');
  });
});

describe('DVC-tracked models (S3 remote, against moto)', () => {
  let moto: LocalMoto;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(moto.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto?.stop();
  });

  it('fetches a folder by md5 from s3:// with the standard AWS credentials, verifying every file', async () => {
    const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
    const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1' });
    await s3.send(new CreateBucketCommand({ Bucket: 'dvc-store' }));
    const weights = float32Weights(4096, 21);
    const card = Buffer.from('{"labels": 10}');
    const listing = JSON.stringify([
      { md5: md5(weights), relpath: 'model.onnx' },
      { md5: md5(card), relpath: 'labels.json' },
    ]);
    const put = (hash: string, body: Buffer | string) =>
      s3.send(
        new PutObjectCommand({
          Bucket: 'dvc-store',
          Key: `cache/files/md5/${hash.slice(0, 2)}/${hash.slice(2)}`,
          Body: body,
        }),
      );
    await put(md5(weights), weights);
    await put(md5(card), card);
    await put(`${md5(listing)}.dir`, listing);

    const root = temp('md-dvc-s3-');
    mkdirSync(join(root, '.dvc'));
    writeFileSync(
      join(root, '.dvc', 'config'),
      `[core]\n    remote = s3\n['remote "s3"']\n    url = s3://dvc-store/cache\n    endpointurl = ${moto.endpoint}\n`,
    );
    writeFileSync(
      join(root, 'classifier.dvc'),
      `outs:\n- md5: ${md5(listing)}.dir\n  nfiles: 2\n  hash: md5\n  path: classifier\n`,
    );
    const resolved = await resolveModel(join(root, 'classifier.dvc'), {
      mlflowAuth: {},
      workDir: temp(),
      logger: silentLogger,
    });
    expect(resolved.source.dvc?.remote).toBe('s3://dvc-store/cache');
    expect(readFileSync(join(resolved.path, 'model.onnx')).equals(weights)).toBe(true);
    expect(readFileSync(join(resolved.path, 'labels.json')).equals(card)).toBe(true);

    await put(md5(card), Buffer.from('{"labels": 11}'));
    await expect(
      resolveModel(join(root, 'classifier.dvc'), {
        mlflowAuth: {},
        workDir: temp(),
        logger: silentLogger,
      }),
    ).rejects.toThrow('DVC hash mismatch for classifier/labels.json');
  });
});
