import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactRegistryAccess } from '../../../shared/clouds/gcp/registry.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { run } from '../../../actions/push/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import {
  startArtifactRegistryDouble,
  type ArtifactRegistryDouble,
} from '../../support/artifact-registry-double.ts';
import {
  startGoogleOAuthDouble,
  type GoogleOAuthDouble,
} from '../../support/google-oauth-double.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, skopeoInspect, type TestLayout } from '../../support/layouts.ts';

describe('Artifact Registry against the Google test doubles', () => {
  let registry: LocalRegistry;
  let google: GoogleOAuthDouble;
  let ar: ArtifactRegistryDouble;
  let layout: TestLayout;
  let home: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    [registry, google, layout] = await Promise.all([
      startRegistry({ auth: 'none' }),
      startGoogleOAuthDouble(),
      buildTestLayout({ modelBytes: 4 * 1024 * 1024 }),
    ]);
    ar = await startArtifactRegistryDouble({
      upstream: registry.url,
      isValidGoogleToken: google.isValid,
    });
    home = mkdtempSync(join(tmpdir(), 'md-gcp-home-'));
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    // Application default credentials from the metadata server, as on Google compute.
    Object.assign(process.env, {
      HOME: home,
      GCE_METADATA_HOST: google.metadataHost,
      METADATA_SERVER_DETECTION: 'assume-present',
      CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY: `${ar.url}/`,
      CLOUDSDK_ARTIFACTS_LOCATION: 'us-central1',
    });
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    layout?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
    await Promise.all([ar?.stop(), google?.stop(), registry?.stop()]);
  });

  it('creates a missing Docker repository with immutable tags through the REST API, once', async () => {
    const access = artifactRegistryAccess({
      host: 'us-central1-docker.pkg.dev',
      logger: silentLogger,
    });
    await access.ensureRepository!('md-test-project/models/resnet', { immutableTags: true });
    await access.ensureRepository!('md-test-project/models/other', { immutableTags: true });
    const repo = ar.repositories.get(
      'projects/md-test-project/locations/us-central1/repositories/models',
    );
    expect(repo).toMatchObject({ format: 'DOCKER', dockerConfig: { immutableTags: true } });
    // The second image in the same repository only looked it up.
    expect(ar.stats.restCalls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
    const credential = await access.credential();
    expect(credential).toMatchObject({ kind: 'basic', username: 'oauth2accesstoken' });
    if (credential.kind === 'basic') expect(google.isValid(credential.password)).toBe(true);
  });

  it('pushes through the action: repository ensured, oauth2accesstoken login, monolithic uploads', async () => {
    const env = withActionEnv({
      layout: layout.dir,
      destinations: `gcp:${ar.host}/md-test-project/pushed/resnet`,
    });
    try {
      expect(await run()).toBe(true);
      const digest = layout.layout.top.digest;
      expect(env.outputs().digest).toBe(digest);
      expect(
        ar.repositories.has('projects/md-test-project/locations/us-central1/repositories/pushed'),
      ).toBe(true);
      expect(ar.stats.patchesRefused).toBe(0);
      expect(google.issued.some((i) => i.via === 'metadata')).toBe(true);
      expect(
        (await skopeoInspect(`${registry.host}/md-test-project/pushed/resnet:1`, registry)).digest,
      ).toBe(digest);
    } finally {
      env.restore();
    }
  });
});
