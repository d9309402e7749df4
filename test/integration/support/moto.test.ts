import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type LocalMoto } from '../../support/moto.ts';
import { isAlive } from '../../support/processes.ts';

describe('moto as the ECR control plane', () => {
  let moto: LocalMoto;
  let ecr: ECRClient;

  beforeAll(async () => {
    moto = await startMoto();
    ecr = new ECRClient({
      endpoint: moto.endpoint,
      region: moto.env.AWS_REGION,
      credentials: {
        accessKeyId: moto.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY!,
      },
    });
  });
  afterAll(async () => {
    ecr?.destroy();
    await moto?.stop();
  });

  it('creates a repository and lists it', async () => {
    const created = await ecr.send(
      new CreateRepositoryCommand({ repositoryName: 'models/resnet' }),
    );
    expect(created.repository?.repositoryName).toBe('models/resnet');
    expect(created.repository?.repositoryUri).toMatch(
      /^\d{12}\.dkr\.ecr\.us-east-1\.amazonaws\.com\/models\/resnet$/,
    );
    const listed = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(listed.repositories?.map((r) => r.repositoryName)).toContain('models/resnet');
  });

  it('refuses to create the same repository twice', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'models/twice' }));
    await expect(
      ecr.send(new CreateRepositoryCommand({ repositoryName: 'models/twice' })),
    ).rejects.toMatchObject({ name: 'RepositoryAlreadyExistsException' });
  });

  it('issues an authorization token in the AWS:password Basic form', async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const token = authorizationData?.[0]?.authorizationToken ?? '';
    expect(Buffer.from(token, 'base64').toString()).toMatch(/^AWS:.+/);
  });
});

describe('stopping moto', () => {
  it('ends the server process', async () => {
    const moto = await startMoto();
    expect(isAlive(moto.pid)).toBe(true);
    await moto.stop();
    expect(isAlive(moto.pid)).toBe(false);
  });
});
