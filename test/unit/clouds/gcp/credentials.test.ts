import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compute, GoogleAuth } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_PLATFORM_SCOPE,
  googleAccessToken,
  googleAuth,
} from '../../../../shared/clouds/gcp/credentials.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import {
  startGoogleOAuthDouble,
  type GoogleOAuthDouble,
} from '../../../support/google-oauth-double.ts';

function masking() {
  const secrets: string[] = [];
  const logger: Logger = { ...silentLogger, secret: (v) => secrets.push(v) };
  return { logger, secrets };
}

describe('Google application default credentials', () => {
  let google: GoogleOAuthDouble;
  let empty: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    google = await startGoogleOAuthDouble({ projectId: 'md-creds' });
    empty = mkdtempSync(join(tmpdir(), 'md-gcp-creds-'));
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  afterAll(async () => {
    rmSync(empty, { recursive: true, force: true });
    await google?.stop();
  });

  /** No credential file anywhere: the chain goes on to the metadata server. */
  function onlyMetadata() {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.CLOUDSDK_CONFIG = empty;
    process.env.HOME = empty;
    process.env.GCE_METADATA_HOST = google.metadataHost;
    // Skip the library's probe for GCE residency: the metadata double is there.
    process.env.METADATA_SERVER_DETECTION = 'assume-present';
  }

  it('gets a token from the metadata server and masks it', async () => {
    onlyMetadata();
    const { logger, secrets } = masking();
    const auth = googleAuth();
    const token = await googleAccessToken(auth, logger);
    expect(google.isValid(token)).toBe(true);
    expect(google.issued.at(-1)).toEqual({ via: 'metadata', token });
    expect(secrets).toEqual([token]);
    // The metadata server's client asks for the cloud-platform scope.
    expect(CLOUD_PLATFORM_SCOPE).toBe('https://www.googleapis.com/auth/cloud-platform');
    expect(((await auth.getClient()) as Compute).scopes).toEqual([CLOUD_PLATFORM_SCOPE]);
  });

  it('says to run google-github-actions/auth when the credentials file is missing', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = join(empty, 'gha-creds-missing.json');
    const { logger, secrets } = masking();
    const failure = await googleAccessToken(googleAuth(), logger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(/^could not get a Google access token: /);
    expect((failure as UserError).message).toContain('gha-creds-missing.json');
    // Only the first line of the library's message: the rest is a wall of advice.
    expect((failure as UserError).message).not.toMatch(/\n/);
    expect((failure as UserError).hint).toMatch(/google-github-actions\/auth/);
    expect((failure as UserError).cause).toBeInstanceOf(Error);
    expect(secrets).toEqual([]);
  });

  it('refuses an empty token instead of sending no credentials', async () => {
    // A GoogleAuth double: the library answering without a token.
    const auth = { getAccessToken: async () => null } as unknown as GoogleAuth;
    await expect(googleAccessToken(auth, silentLogger)).rejects.toThrow(
      new UserError('Google application default credentials returned no access token'),
    );
  });
});
