import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchDvcModel } from '../../../shared/model/sources/dvc.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { startAzureBlobDouble } from '../../support/azure-blob-double.ts';
import { startEntraDouble, verifyJwt } from '../../support/entra-double.ts';
import { startGcsDouble } from '../../support/gcs-double.ts';
import { startGoogleOAuthDouble } from '../../support/google-oauth-double.ts';
import { float32Weights } from '../../support/model-files.ts';
import { startProcess } from '../../support/processes.ts';

const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

/** A DVC project whose default remote is `url`, tracking the folder `classifier`. */
function dvcProject(url: string, extra: string, listing: string): string {
  const root = temp('md-dvc-cloud-');
  mkdirSync(join(root, '.dvc'));
  writeFileSync(
    join(root, '.dvc', 'config'),
    `[core]\n    remote = store\n['remote "store"']\n    url = ${url}\n${extra}`,
  );
  writeFileSync(
    join(root, 'classifier.dvc'),
    `outs:\n- md5: ${md5(listing)}.dir\n  nfiles: 2\n  hash: md5\n  path: classifier\n`,
  );
  return root;
}

/** A two-file model folder and its DVC 3 objects (key → bytes) under `prefix`. */
function folderObjects(prefix: string, seed: number) {
  const weights = float32Weights(4096, seed);
  const labels = Buffer.from(`{"labels": ${seed}}`);
  const listing = JSON.stringify([
    { md5: md5(weights), relpath: 'model.onnx' },
    { md5: md5(labels), relpath: 'labels.json' },
  ]);
  const key = (hash: string) => `${prefix}/files/md5/${hash.slice(0, 2)}/${hash.slice(2)}`;
  const objects = new Map<string, Buffer>([
    [key(md5(weights)), weights],
    [key(md5(labels)), labels],
    [key(`${md5(listing)}.dir`), Buffer.from(listing)],
  ]);
  return { weights, labels, listing, objects, labelsKey: key(md5(labels)) };
}

describe('DVC-tracked models (gs:// remote, against the Cloud Storage test double)', () => {
  it('fetches by md5 with the Google application default credentials and refuses a hash mismatch', async () => {
    const google = await startGoogleOAuthDouble();
    const gcs = await startGcsDouble({ acceptToken: (token) => google.isValid(token) });
    const saved = {
      GCE_METADATA_HOST: process.env.GCE_METADATA_HOST,
      MODEL_DEPLOY_GCS_ENDPOINT: process.env.MODEL_DEPLOY_GCS_ENDPOINT,
      GOOGLE_APPLICATION_CREDENTIALS: process.env.GOOGLE_APPLICATION_CREDENTIALS,
    };
    process.env.GCE_METADATA_HOST = google.metadataHost;
    process.env.MODEL_DEPLOY_GCS_ENDPOINT = gcs.endpoint;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    try {
      const model = folderObjects('dvc/cache', 31);
      for (const [key, data] of model.objects) gcs.put('md-models', key, data);
      const root = dvcProject('gs://md-models/dvc/cache', '', model.listing);

      const result = await fetchDvcModel(
        join(root, 'classifier.dvc'),
        join(temp('md-dvc-gs-out-'), 'model'),
        silentLogger,
      );
      expect(result).toMatchObject({ remote: 'gs://md-models/dvc/cache', files: 2 });
      expect(readFileSync(join(result.path, 'model.onnx')).equals(model.weights)).toBe(true);
      expect(readFileSync(join(result.path, 'labels.json')).equals(model.labels)).toBe(true);
      // The object name is one encoded path segment, and every request carried the Google token.
      const issued = new Set(google.issued.map((i) => `Bearer ${i.token}`));
      expect(gcs.requests.length).toBeGreaterThan(0);
      expect(gcs.requests.every((r) => r.authorization && issued.has(r.authorization))).toBe(true);
      expect(gcs.requests.map((r) => r.path)).toContain(
        `/storage/v1/b/md-models/o/${encodeURIComponent(model.labelsKey)}`,
      );
      expect(gcs.requests.filter((r) => r.media)).toHaveLength(3);

      const tampered = Buffer.from('{"labels": 32}');
      gcs.put('md-models', model.labelsKey, tampered);
      await expect(
        fetchDvcModel(
          join(root, 'classifier.dvc'),
          join(temp('md-dvc-gs-out-'), 'model'),
          silentLogger,
        ),
      ).rejects.toThrow(
        `DVC hash mismatch for classifier/labels.json: the remote's bytes hash to md5 ${md5(tampered)}, the .dvc file says ${md5(model.labels)}`,
      );
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await gcs.stop();
      await google.stop();
    }
  });

  it('names the bucket and the fix when Cloud Storage refuses the token', async () => {
    const google = await startGoogleOAuthDouble();
    const gcs = await startGcsDouble({ acceptToken: () => false });
    const saved = {
      GCE_METADATA_HOST: process.env.GCE_METADATA_HOST,
      MODEL_DEPLOY_GCS_ENDPOINT: process.env.MODEL_DEPLOY_GCS_ENDPOINT,
    };
    process.env.GCE_METADATA_HOST = google.metadataHost;
    process.env.MODEL_DEPLOY_GCS_ENDPOINT = gcs.endpoint;
    try {
      const model = folderObjects('cache', 33);
      const root = dvcProject('gs://md-models/cache', '', model.listing);
      await expect(
        fetchDvcModel(
          join(root, 'classifier.dvc'),
          join(temp('md-dvc-gs-out-'), 'model'),
          silentLogger,
        ),
      ).rejects.toThrow(
        /Cloud Storage refused reading gs:\/\/md-models\/cache\/.* \(401\): Invalid Credentials/,
      );
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await gcs.stop();
      await google.stop();
    }
  });
});

describe('DVC-tracked models (azure:// remote, against the Entra and Blob service test doubles)', () => {
  const CLIENT_ID = '5d1e6c2a-7f3b-4a8e-9c0d-111122223333';
  const SECRET = 'blob-reader-secret';

  /**
   * Runs the fetch in a child process: Node trusts the Entra double's
   * certificate only through NODE_EXTRA_CA_CERTS, which is read at start-up.
   */
  async function fetchInChild(dvcFile: string, out: string, env: NodeJS.ProcessEnv) {
    const module = fileURLToPath(new URL('../../../shared/model/sources/dvc.ts', import.meta.url));
    const logger = fileURLToPath(new URL('../../../shared/common/logger.ts', import.meta.url));
    const script = [
      `const { fetchDvcModel } = await import(${JSON.stringify(module)});`,
      `const { silentLogger } = await import(${JSON.stringify(logger)});`,
      'try {',
      '  const result = await fetchDvcModel(process.argv[1], process.argv[2], silentLogger);',
      '  process.stdout.write(JSON.stringify(result));',
      '} catch (err) {',
      "  process.stderr.write('FAILED: ' + err.message);",
      '  process.exitCode = 1;',
      '}',
    ].join('\n');
    const child = startProcess(
      'dvc-azure-fetch',
      process.execPath,
      ['--input-type=module', '-e', script, dvcFile, out],
      { env: { PATH: process.env.PATH, HOME: temp('md-dvc-az-home-'), ...env } },
    );
    const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
    return { code, output: child.output() };
  }

  it('fetches by md5 with an Entra token for Azure Storage and refuses a hash mismatch', async () => {
    const entra = await startEntraDouble({ secrets: { [CLIENT_ID]: SECRET } });
    const blob = await startAzureBlobDouble({
      authority: entra.authorityHost,
      acceptToken: (token) =>
        verifyJwt(token, entra.publicKey)?.payload.aud === 'https://storage.azure.com',
    });
    try {
      const model = folderObjects('dvc', 41);
      for (const [key, data] of model.objects) blob.put('models', key, data);
      const root = dvcProject(
        'azure://models/dvc',
        `    account_name = ${blob.account}\n`,
        model.listing,
      );
      const env = {
        NODE_EXTRA_CA_CERTS: entra.caPath,
        AZURE_AUTHORITY_HOST: entra.authorityHost,
        AZURE_TENANT_ID: entra.tenantId,
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: SECRET,
        MODEL_DEPLOY_AZURE_BLOB_ENDPOINT: blob.endpoint,
      };
      const out = join(temp('md-dvc-az-out-'), 'model');
      const fetched = await fetchInChild(join(root, 'classifier.dvc'), out, env);
      expect(fetched.code, `${fetched.output}\nEntra saw: ${entra.paths.join('\n')}`).toBe(0);
      expect(JSON.parse(fetched.output)).toMatchObject({
        remote: 'azure://models/dvc',
        files: 2,
      });
      expect(readFileSync(join(out, 'classifier', 'model.onnx')).equals(model.weights)).toBe(true);
      expect(readFileSync(join(out, 'classifier', 'labels.json')).equals(model.labels)).toBe(true);
      expect(entra.requests).toContainEqual(
        expect.objectContaining({
          clientId: CLIENT_ID,
          scope: expect.stringContaining('https://storage.azure.com/.default'),
          granted: true,
        }),
      );
      expect(blob.requests.length).toBeGreaterThan(0);
      for (const r of blob.requests) {
        expect(r.path.startsWith(`/${blob.account}/models/dvc/`)).toBe(true);
        expect(r.version).toBeDefined();
        expect(r.authorization).toMatch(/^Bearer /);
      }
      expect(blob.requests.filter((r) => r.method === 'GET')).toHaveLength(3);

      const tampered = float32Weights(4096, 42);
      const weightsKey = [...model.objects].find(([, data]) => data === model.weights)![0];
      blob.put('models', weightsKey, tampered);
      const refused = await fetchInChild(
        join(root, 'classifier.dvc'),
        join(temp('md-dvc-az-out-'), 'model'),
        env,
      );
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(
        `DVC hash mismatch for classifier/model.onnx: the remote's bytes hash to md5 ${md5(tampered)}, the .dvc file says ${md5(model.weights)}`,
      );
    } finally {
      await blob.stop();
      await entra.stop();
    }
  });

  it('asks for the storage account when the remote names none', async () => {
    const model = folderObjects('dvc', 43);
    const root = dvcProject('azure://models/dvc', '', model.listing);
    const saved = process.env.AZURE_STORAGE_ACCOUNT;
    delete process.env.AZURE_STORAGE_ACCOUNT;
    try {
      await expect(
        fetchDvcModel(
          join(root, 'classifier.dvc'),
          join(temp('md-dvc-az-out-'), 'model'),
          silentLogger,
        ),
      ).rejects.toThrow("the DVC remote 'store' (azure://models/dvc) names no storage account");
    } finally {
      if (saved !== undefined) process.env.AZURE_STORAGE_ACCOUNT = saved;
    }
  });
});
