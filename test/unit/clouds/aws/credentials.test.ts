import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  awsCredentials,
  awsRegion,
  explainAwsError,
} from '../../../../shared/clouds/aws/credentials.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { freePort } from '../../../support/processes.ts';

describe('awsRegion', () => {
  it('prefers the region of the ECR host', () => {
    expect(awsRegion('eu-central-1', { AWS_REGION: 'us-east-1' })).toBe('eu-central-1');
  });

  it('falls back to AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(awsRegion(undefined, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' })).toBe(
      'us-west-2',
    );
    expect(awsRegion(undefined, { AWS_DEFAULT_REGION: 'eu-west-1' })).toBe('eu-west-1');
  });

  it('says how to give a region when none is known', () => {
    let error: unknown;
    try {
      awsRegion(undefined, {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('no AWS region is known for this registry');
    expect((error as UserError).hint).toMatch(/AWS_REGION/);
    expect((error as UserError).hint).toMatch(/<account>\.dkr\.ecr\.<region>\.amazonaws\.com/);
  });
});

describe('awsCredentials and explainAwsError', () => {
  const saved = { ...process.env };
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'md-aws-creds-'));
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('reads keys from the environment, as configure-aws-credentials exports them', async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-example',
      AWS_SESSION_TOKEN: 'session-example',
    });
    const credentials = await awsCredentials()();
    expect(credentials.accessKeyId).toBe('AKIDEXAMPLE');
    expect(credentials.secretAccessKey).toBe('secret-example');
    expect(credentials.sessionToken).toBe('session-example');
  });

  it('turns an empty credential chain into a hint to run configure-aws-credentials', async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    // Nothing anywhere in the chain: no keys, no profile files, no web identity, no metadata.
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(empty, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const failure = await awsCredentials()().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeDefined();
    const explained = explainAwsError(failure, 'getting an ECR login for r.example');
    expect(explained).toBeInstanceOf(UserError);
    expect((explained as UserError).message).toMatch(
      /^getting an ECR login for r\.example: no AWS credentials were found \(/,
    );
    expect((explained as UserError).hint).toMatch(/aws-actions\/configure-aws-credentials/);
  });

  it('explains an endpoint nobody listens on, naming the endpoint variables', async () => {
    const port = await freePort();
    const client = new ECRClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const failure = await client.send(new GetAuthorizationTokenCommand({})).then(
      () => undefined,
      (err: unknown) => err,
    );
    const explained = explainAwsError(failure, 'getting an ECR login');
    expect(explained).toBeInstanceOf(UserError);
    expect((explained as UserError).message).toMatch(/^getting an ECR login: /);
    expect((explained as UserError).message).toMatch(/refused/);
    expect((explained as UserError).hint).toMatch(/AWS_ENDPOINT_URL_<SERVICE>/);
    expect((explained as UserError).cause).toBe(failure);
  });

  it('names the refusal and what to check when AWS says no', () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform ecr:CreateRepository'),
      {
        name: 'AccessDeniedException',
      },
    );
    const explained = explainAwsError(denied, 'creating ECR repository models/a');
    expect(explained).toBeInstanceOf(UserError);
    expect((explained as UserError).message).toBe(
      'creating ECR repository models/a: AWS refused the request (AccessDeniedException: User is not authorized to perform ecr:CreateRepository)',
    );
    expect((explained as UserError).hint).toMatch(/role or keys/);
    const expired = Object.assign(
      new Error('The security token included in the request is expired'),
      {
        name: 'ExpiredTokenException',
      },
    );
    expect((explainAwsError(expired, 'x') as UserError).message).toMatch(/AWS refused the request/);
  });

  it('passes other errors through unchanged', () => {
    const other = Object.assign(new Error('repository policy is invalid'), {
      name: 'InvalidParameterException',
    });
    expect(explainAwsError(other, 'x')).toBe(other);
  });
});
