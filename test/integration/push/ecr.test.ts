import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ecrRegistryAccess } from '../../../shared/clouds/aws/registry.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { run } from '../../../actions/push/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { startMoto, type LocalMoto } from '../../support/moto.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../../support/registry-stand-ins.ts';
import { buildTestLayout, skopeoInspect, type TestLayout } from '../../support/layouts.ts';

const ECR_HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('ECR against moto', () => {
  let moto: LocalMoto;
  let registry: LocalRegistry;
  let layout: TestLayout;
  const saved = { ...process.env };
  beforeAll(async () => {
    [moto, registry, layout] = await Promise.all([
      startMoto(),
      startRegistry({ auth: 'none' }),
      buildTestLayout({ modelBytes: 6 * 1024 * 1024 }),
    ]);
    // The SDK reads these itself: credentials for the default chain, the endpoint override.
    Object.assign(process.env, moto.env, { AWS_ENDPOINT_URL_ECR: moto.endpoint });
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    layout?.cleanup();
    await Promise.all([moto?.stop(), registry?.stop()]);
  });

  function ecr() {
    return new ECRClient({ region: 'us-east-1', endpoint: moto.endpoint });
  }

  it('creates a missing repository with scan on push and the requested tag mutability, once', async () => {
    const access = ecrRegistryAccess({ host: ECR_HOST, logger: silentLogger });
    await access.ensureRepository!('models/immutable', { immutableTags: true });
    await access.ensureRepository!('models/immutable', { immutableTags: true });
    await access.ensureRepository!('models/mutable', { immutableTags: false });
    const { repositories } = await ecr().send(
      new DescribeRepositoriesCommand({ repositoryNames: ['models/immutable', 'models/mutable'] }),
    );
    const byName = Object.fromEntries((repositories ?? []).map((r) => [r.repositoryName, r]));
    expect(byName['models/immutable']?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(byName['models/immutable']?.imageTagMutability).toBe('IMMUTABLE');
    expect(byName['models/mutable']?.imageTagMutability).toBe('MUTABLE');
  });

  it('turns GetAuthorizationToken into Basic credentials and masks them', async () => {
    const masked: string[] = [];
    const access = ecrRegistryAccess({
      host: ECR_HOST,
      logger: { ...silentLogger, secret: (v) => masked.push(v) },
    });
    const credential = await access.credential();
    expect(credential.kind).toBe('basic');
    if (credential.kind !== 'basic') return;
    expect(credential.username).toBe('AWS');
    expect(credential.password.length).toBeGreaterThan(0);
    expect(masked).toContain(credential.password);
  });

  it('pushes through the action with the ECR token to a registry that accepts it', async () => {
    const credential = await ecrRegistryAccess({
      host: ECR_HOST,
      logger: silentLogger,
    }).credential();
    if (credential.kind !== 'basic') throw new Error('expected Basic credentials from ECR');
    const standIn: RegistryStandIn = await startRegistryStandIn(registry.url, {
      basicAuth: { username: credential.username, password: credential.password },
      minChunkBytes: 5 * 1024 * 1024,
      patchStatus: 201,
    });
    const env = withActionEnv({
      layout: layout.dir,
      destinations: `aws:${standIn.host}/models/resnet`,
      'immutable-tags': 'true',
    });
    try {
      expect(await run()).toBe(true);
      const digest = layout.layout.top.digest;
      expect(env.outputs().digest).toBe(digest);
      expect((await skopeoInspect(`${registry.host}/models/resnet:1`, registry)).digest).toBe(
        digest,
      );
      // ECR's chunked rules held and unauthenticated requests were only the challenge.
      expect(standIn.stats.refused.filter((r) => r.status !== 401)).toEqual([]);
      expect(standIn.stats.patches).toBeGreaterThan(0);
      const { repositories } = await ecr().send(
        new DescribeRepositoriesCommand({ repositoryNames: ['models/resnet'] }),
      );
      expect(repositories?.[0]?.imageTagMutability).toBe('IMMUTABLE');
    } finally {
      env.restore();
      Object.assign(process.env, moto.env, { AWS_ENDPOINT_URL_ECR: moto.endpoint });
      await standIn.stop();
    }
  });
});
