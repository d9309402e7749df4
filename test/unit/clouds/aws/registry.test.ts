import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrRegistryAccess } from '../../../../shared/clouds/aws/registry.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import { startMoto, type LocalMoto } from '../../../support/moto.ts';
import { freePort } from '../../../support/processes.ts';

/** moto's default account, so GetAuthorizationToken and the repositories resolve in it. */
const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

function recordingLogger() {
  const secrets: string[] = [];
  const infos: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    secret: (v) => secrets.push(v),
    info: (m) => infos.push(m),
  };
  return { logger, secrets, infos };
}

/** An ECR client whose GetAuthorizationToken answers `token`: a test double for odd answers. */
function answering(token: string | undefined): ECRClient {
  return {
    send: async (command: unknown) => {
      expect(command).toBeInstanceOf(GetAuthorizationTokenCommand);
      return { authorizationData: token === undefined ? [] : [{ authorizationToken: token }] };
    },
  } as unknown as ECRClient;
}

/** Runs `task` with AWS_REGION and AWS_DEFAULT_REGION unset, then puts them back. */
async function withoutRegion<T>(task: () => Promise<T>): Promise<T> {
  const region = process.env.AWS_REGION;
  const fallback = process.env.AWS_DEFAULT_REGION;
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  try {
    return await task();
  } finally {
    if (region !== undefined) process.env.AWS_REGION = region;
    if (fallback !== undefined) process.env.AWS_DEFAULT_REGION = fallback;
  }
}

describe('ECR registry access against moto', () => {
  let moto: LocalMoto;
  const saved = { ...process.env };
  beforeAll(async () => {
    moto = await startMoto();
    // The SDK reads these itself: credentials for the default chain, the endpoint override.
    Object.assign(process.env, moto.env, { AWS_ENDPOINT_URL_ECR: moto.endpoint });
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await moto?.stop();
  });

  const ecr = () => new ECRClient({ region: 'us-east-1', endpoint: moto.endpoint });

  it('logs in as the user in the token and masks the token and the password', async () => {
    const { logger, secrets } = recordingLogger();
    const credential = await ecrRegistryAccess({ host: ECR_HOST, logger }).credential();
    if (credential.kind !== 'basic') throw new Error(`expected basic, got ${credential.kind}`);
    expect(credential.username).toBe('AWS');
    expect(credential.password).not.toBe('');
    // The token from ECR is base64 of user:password; both forms are secrets.
    const { authorizationData } = await ecr().send(new GetAuthorizationTokenCommand({}));
    const token = authorizationData?.[0]?.authorizationToken ?? '';
    expect(Buffer.from(token, 'base64').toString('utf8')).toBe(`AWS:${credential.password}`);
    expect(secrets).toEqual([token, credential.password]);
  });

  it('ignores a port on the host when reading the region and account from it', async () => {
    // With no region in the environment, only the host can give it.
    const credential = await withoutRegion(() =>
      ecrRegistryAccess({ host: `${ECR_HOST}:443`, logger: silentLogger }).credential(),
    );
    expect(credential.kind).toBe('basic');
  });

  it('creates a missing repository once, with scan on push and the tag mutability asked for', async () => {
    const { logger, infos } = recordingLogger();
    const access = ecrRegistryAccess({ host: ECR_HOST, logger });
    await access.ensureRepository!('models/fraud', { immutableTags: true });
    await access.ensureRepository!('models/fraud', { immutableTags: true });
    await access.ensureRepository!('models/churn', { immutableTags: false });
    expect(infos).toEqual([
      'creating ECR repository models/fraud (scan on push, tags immutable)',
      'creating ECR repository models/churn (scan on push, tags mutable)',
    ]);
    const { repositories } = await ecr().send(
      new DescribeRepositoriesCommand({ repositoryNames: ['models/fraud', 'models/churn'] }),
    );
    const byName = Object.fromEntries((repositories ?? []).map((r) => [r.repositoryName, r]));
    expect(byName['models/fraud']?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(byName['models/fraud']?.imageTagMutability).toBe('IMMUTABLE');
    expect(byName['models/churn']?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(byName['models/churn']?.imageTagMutability).toBe('MUTABLE');
  });

  it('takes a repository another job created in the meantime as created', async () => {
    // Another job creates the repository between this job's check and its create:
    // the client forwards to moto and, after moto answers "not found", creates it.
    const real = ecr();
    const between = {
      send: async (command: { constructor: unknown }) => {
        const answer = real.send(command as never);
        if (command instanceof DescribeRepositoriesCommand) {
          await answer.catch(async (err: unknown) => {
            await ecr().send(new CreateRepositoryCommand({ repositoryName: 'models/raced' }));
            throw err;
          });
        }
        return answer;
      },
    } as unknown as ECRClient;
    const { logger, infos } = recordingLogger();
    const access = ecrRegistryAccess({ host: ECR_HOST, logger, client: between });
    await access.ensureRepository!('models/raced', { immutableTags: true });
    expect(infos).toEqual(['creating ECR repository models/raced (scan on push, tags immutable)']);
    const { repositories } = await ecr().send(
      new DescribeRepositoriesCommand({ repositoryNames: ['models/raced'] }),
    );
    // The other job's repository stays as it made it.
    expect(repositories?.map((r) => r.imageTagMutability)).toEqual(['MUTABLE']);
  });

  it('refuses a host with no region when AWS_REGION is unset, before calling AWS', async () => {
    const access = ecrRegistryAccess({ host: 'registry.example.com', logger: silentLogger });
    await expect(withoutRegion(() => access.credential())).rejects.toThrow(
      'no AWS region is known for this registry',
    );
  });
});

describe('ECR registry access with odd answers', () => {
  it('says when ECR returns no token', async () => {
    const access = ecrRegistryAccess({
      host: 'r.example',
      logger: silentLogger,
      client: answering(undefined),
    });
    await expect(access.credential()).rejects.toThrow(
      new UserError('ECR returned no authorization token for r.example'),
    );
  });

  it('refuses a token that is not user:password, after masking it', async () => {
    const { logger, secrets } = recordingLogger();
    const token = Buffer.from('no-colon-here').toString('base64');
    const access = ecrRegistryAccess({ host: 'r.example', logger, client: answering(token) });
    await expect(access.credential()).rejects.toThrow(
      'the ECR authorization token for r.example is not user:password',
    );
    expect(secrets).toEqual([token]);
  });

  it('explains an unreachable ECR endpoint with the host it was logging in to', async () => {
    const port = await freePort();
    const client = new ECRClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const access = ecrRegistryAccess({ host: ECR_HOST, logger: silentLogger, client });
    const failure = await access.credential().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(`getting an ECR login for ${ECR_HOST}: `);
    expect((failure as UserError).hint).toMatch(/AWS_ENDPOINT_URL/);
  });
});
