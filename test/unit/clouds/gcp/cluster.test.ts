import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultGoogleTokens, gkeConnection } from '../../../../shared/clouds/gcp/cluster.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import { startGkeDouble, type GkeDouble } from '../../../support/gke-container-double.ts';
import {
  startGoogleOAuthDouble,
  type GoogleOAuthDouble,
} from '../../../support/google-oauth-double.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';
const TOKEN = 'ya29.cluster-test-token';

describe('GKE connection through the container API double', () => {
  let gke: GkeDouble;
  let google: GoogleOAuthDouble;
  const saved = { ...process.env };
  beforeAll(async () => {
    google = await startGoogleOAuthDouble({ projectId: 'proj-1' });
    gke = await startGkeDouble({ acceptToken: (t) => t === TOKEN || google.isValid(t) });
    gke.addCluster({
      project: 'proj-1',
      location: 'europe-west4',
      name: 'serving',
      endpoint: '34.90.1.2',
      caPem: CA,
    });
    gke.addCluster({
      project: 'proj-1',
      location: 'us-central1-a',
      name: 'https-endpoint',
      endpoint: 'https://10.0.0.2:443',
      caPem: CA,
    });
    gke.addCluster({
      project: 'proj-1',
      location: 'europe-west4',
      name: 'starting',
      endpoint: '',
      caPem: CA,
      status: 'PROVISIONING',
    });
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  afterAll(async () => {
    await gke?.stop();
    await google?.stop();
  });

  const context = () => ({ logger: silentLogger, endpoints: { gke: gke.endpoint } });

  it('connects to the endpoint over https with the CA and the token, renewable', async () => {
    let calls = 0;
    const tokens = async () => {
      calls++;
      return TOKEN;
    };
    const connection = await gkeConnection(
      { project: 'proj-1', location: 'europe-west4', name: 'serving' },
      context(),
      tokens,
    );
    expect(gke.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/v1/projects/proj-1/locations/europe-west4/clusters/serving',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(connection).toMatchObject({
      server: 'https://34.90.1.2',
      caData: CA,
      token: TOKEN,
      cloud: 'gcp',
      displayName: 'gke:proj-1/europe-west4/serving',
    });
    // refresh asks the token source again (the library caches and renews there).
    expect(calls).toBe(1);
    await expect(connection.refresh?.()).resolves.toBe(TOKEN);
    expect(calls).toBe(2);
  });

  it('keeps an endpoint that already has a scheme', async () => {
    const connection = await gkeConnection(
      { project: 'proj-1', location: 'us-central1-a', name: 'https-endpoint' },
      context(),
      async () => TOKEN,
    );
    expect(connection.server).toBe('https://10.0.0.2:443');
  });

  it('reads MODEL_DEPLOY_GKE_ENDPOINT when the context names no endpoint, trailing slash and all', async () => {
    process.env.MODEL_DEPLOY_GKE_ENDPOINT = `${gke.endpoint}/`;
    const connection = await gkeConnection(
      { project: 'proj-1', location: 'europe-west4', name: 'serving' },
      { logger: silentLogger },
      async () => TOKEN,
    );
    expect(connection.server).toBe('https://34.90.1.2');
    expect(gke.requests.at(-1)?.path).toBe(
      '/v1/projects/proj-1/locations/europe-west4/clusters/serving',
    );
  });

  it('escapes the parts of the cluster name in the URL', async () => {
    await expect(
      gkeConnection(
        { project: 'proj-1', location: 'europe-west4', name: 'a/b' },
        context(),
        async () => TOKEN,
      ),
    ).rejects.toThrow(UserError);
    expect(gke.requests.at(-1)?.path).toBe(
      '/v1/projects/proj-1/locations/europe-west4/clusters/a%2Fb',
    );
  });

  it('explains a missing cluster with the cluster input format', async () => {
    const failure = await gkeConnection(
      { project: 'proj-1', location: 'europe-west1', name: 'serving' },
      context(),
      async () => TOKEN,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(
      /^GKE cluster serving was not found in proj-1\/europe-west1: .*NOT_FOUND/,
    );
    expect((failure as UserError).hint).toMatch(/gke:<project>\/<location>\/<name>/);
  });

  it('explains a refused token with the role to grant', async () => {
    const failure = await gkeConnection(
      { project: 'proj-1', location: 'europe-west4', name: 'serving' },
      context(),
      async () => 'ya29.someone-else',
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(
      /^Google refused clusters\.get for serving \(401\): .*UNAUTHENTICATED/,
    );
    expect((failure as UserError).hint).toMatch(/roles\/container\.developer/);
  });

  it('says to wait for a cluster that has no endpoint yet', async () => {
    const failure = await gkeConnection(
      { project: 'proj-1', location: 'europe-west4', name: 'starting' },
      context(),
      async () => TOKEN,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as UserError).message).toBe(
      'GKE cluster starting has no endpoint (status PROVISIONING)',
    );
    expect((failure as UserError).hint).toMatch(/RUNNING/);
  });

  it('lets a failure of the token source through before calling the API', async () => {
    const before = gke.requests.length;
    const refused = new UserError('could not get a Google access token: nope');
    await expect(
      gkeConnection(
        { project: 'proj-1', location: 'europe-west4', name: 'serving' },
        context(),
        () => Promise.reject(refused),
      ),
    ).rejects.toBe(refused);
    expect(gke.requests.length).toBe(before);
  });

  it('uses the application default credentials by default, masking the token', async () => {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.CLOUDSDK_CONFIG = '/nonexistent-md-gcloud';
    process.env.GCE_METADATA_HOST = google.metadataHost;
    // Skip the library's probe for GCE residency: the metadata double is there.
    process.env.METADATA_SERVER_DETECTION = 'assume-present';
    const secrets: string[] = [];
    const logger: Logger = { ...silentLogger, secret: (v) => secrets.push(v) };
    const ctx = { logger, endpoints: { gke: gke.endpoint } };
    const connection = await gkeConnection(
      { project: 'proj-1', location: 'europe-west4', name: 'serving' },
      ctx,
      defaultGoogleTokens(ctx),
    );
    expect(google.isValid(connection.token ?? '')).toBe(true);
    expect(gke.requests.at(-1)?.authorization).toBe(`Bearer ${connection.token}`);
    expect(secrets).toContain(connection.token);
  });
});
