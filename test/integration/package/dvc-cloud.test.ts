import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchDvcModel } from '../../../shared/model/sources/dvc.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { startAzurite } from '../../support/azurite.ts';
import { startEntraDouble } from '../../support/entra-double.ts';
import { startFakeGcs } from '../../support/fake-gcs.ts';
import { startGoogleOAuthDouble } from '../../support/google-oauth-double.ts';
import { float32Weights } from '../../support/model-files.ts';
import { resolveInChild } from '../../support/resolve-in-child.ts';

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

describe('DVC-tracked models (gs:// remote, against fake-gcs-server)', () => {
  it('fetches by md5 with the Google application default credentials and refuses a hash mismatch', async () => {
    const [google, gcs] = await Promise.all([startGoogleOAuthDouble(), startFakeGcs()]);
    const saved = {
      GCE_METADATA_HOST: process.env.GCE_METADATA_HOST,
      MODEL_DEPLOY_GCS_ENDPOINT: process.env.MODEL_DEPLOY_GCS_ENDPOINT,
      GOOGLE_APPLICATION_CREDENTIALS: process.env.GOOGLE_APPLICATION_CREDENTIALS,
    };
    process.env.GCE_METADATA_HOST = google.metadataHost;
    process.env.MODEL_DEPLOY_GCS_ENDPOINT = gcs.endpoint;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    try {
      // Object names with slashes: the JSON API takes each as one encoded path segment.
      const model = folderObjects('dvc/cache', 31);
      for (const [key, data] of model.objects) await gcs.put('md-models', key, data);
      const root = dvcProject('gs://md-models/dvc/cache', '', model.listing);

      const result = await fetchDvcModel(
        join(root, 'classifier.dvc'),
        join(temp('md-dvc-gs-out-'), 'model'),
        silentLogger,
      );
      expect(result).toMatchObject({ remote: 'gs://md-models/dvc/cache', files: 2 });
      expect(readFileSync(join(result.path, 'model.onnx')).equals(model.weights)).toBe(true);
      expect(readFileSync(join(result.path, 'labels.json')).equals(model.labels)).toBe(true);
      // The token came from the metadata server, as on a GCP runner or after google-github-actions/auth.
      expect(google.issued.map((i) => i.via)).toContain('metadata');

      const tampered = Buffer.from('{"labels": 32}');
      await gcs.put('md-models', model.labelsKey, tampered);
      await expect(
        fetchDvcModel(
          join(root, 'classifier.dvc'),
          join(temp('md-dvc-gs-out-'), 'model'),
          silentLogger,
        ),
      ).rejects.toThrow(
        `DVC hash mismatch for classifier/labels.json: the bytes in the remote gs://md-models/dvc/cache hash to md5 ${md5(tampered)}, DVC recorded ${md5(model.labels)}`,
      );

      await gcs.remove('md-models', model.labelsKey);
      await expect(
        fetchDvcModel(
          join(root, 'classifier.dvc'),
          join(temp('md-dvc-gs-out-'), 'model'),
          silentLogger,
        ),
      ).rejects.toThrow(
        `DVC object ${md5(model.labels)} for classifier/labels.json is not in the remote gs://md-models/dvc/cache`,
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

describe('DVC-tracked models (azure:// remote, against Azurite with Entra tokens)', () => {
  const CLIENT_ID = '5d1e6c2a-7f3b-4a8e-9c0d-111122223333';
  const SECRET = 'blob-reader-secret';

  it('fetches by md5 with an Entra token Azurite checks, and refuses a hash mismatch', async () => {
    const [entra, azurite] = await Promise.all([
      startEntraDouble({ secrets: { [CLIENT_ID]: SECRET } }),
      startAzurite(),
    ]);
    try {
      const model = folderObjects('dvc', 41);
      for (const [key, data] of model.objects) await azurite.put('models', key, data);
      const root = dvcProject(
        'azure://models/dvc',
        `    account_name = ${azurite.account}\n`,
        model.listing,
      );
      // Node trusts both self-signed certificates only through NODE_EXTRA_CA_CERTS, read at start-up.
      const ca = join(temp('md-dvc-az-ca-'), 'ca.pem');
      writeFileSync(
        ca,
        `${readFileSync(entra.caPath, 'utf8')}\n${readFileSync(azurite.caPath, 'utf8')}`,
      );
      const env = {
        NODE_EXTRA_CA_CERTS: ca,
        AZURE_AUTHORITY_HOST: entra.authorityHost,
        AZURE_TENANT_ID: entra.tenantId,
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: SECRET,
        MODEL_DEPLOY_AZURE_BLOB_ENDPOINT: azurite.endpoint,
      };
      const workDir = temp('md-dvc-az-out-');
      const fetched = await resolveInChild(join(root, 'classifier.dvc'), { workDir }, env);
      expect(
        fetched,
        `${JSON.stringify(fetched)}\nEntra saw: ${entra.paths.join('\n')}`,
      ).toMatchObject({ ok: true });
      if (!fetched.ok) return;
      expect(fetched.resolved.source.dvc).toMatchObject({ remote: 'azure://models/dvc' });
      expect(readFileSync(join(fetched.resolved.path, 'model.onnx')).equals(model.weights)).toBe(
        true,
      );
      expect(readFileSync(join(fetched.resolved.path, 'labels.json')).equals(model.labels)).toBe(
        true,
      );
      expect(entra.requests).toContainEqual(
        expect.objectContaining({
          clientId: CLIENT_ID,
          scope: expect.stringContaining('https://storage.azure.com/.default'),
          granted: true,
        }),
      );

      const tampered = float32Weights(4096, 42);
      const weightsKey = [...model.objects].find(([, data]) => data === model.weights)![0];
      await azurite.put('models', weightsKey, tampered);
      const refused = await resolveInChild(
        join(root, 'classifier.dvc'),
        { workDir: temp('md-dvc-az-out-') },
        env,
      );
      expect(refused).toMatchObject({
        ok: false,
        error: expect.stringContaining(
          `DVC hash mismatch for classifier/model.onnx: the bytes in the remote azure://models/dvc hash to md5 ${md5(tampered)}, DVC recorded ${md5(model.weights)}`,
        ),
      });
    } finally {
      await azurite.stop();
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

  it("refuses a BlobEndpoint in the repository's config that is not an https Azure storage host, before any token is asked for", async () => {
    const model = folderObjects('dvc', 44);
    const root = dvcProject(
      'azure://models/dvc',
      '    connection_string = "AccountName=attacker;BlobEndpoint=http://198.51.100.7:8080/"\n',
      model.listing,
    );
    await expect(
      fetchDvcModel(
        join(root, 'classifier.dvc'),
        join(temp('md-dvc-az-out-'), 'model'),
        silentLogger,
      ),
    ).rejects.toThrow(
      "the DVC remote 'store' sends its Azure token to BlobEndpoint=http://198.51.100.7:8080/, which is not an https Azure storage host",
    );
  });
});
