import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { TOKEN_PREFIX, TOKEN_RENEW_AFTER_MS } from '../../../shared/clouds/aws/cluster.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { startMoto, type LocalMoto } from '../../support/moto.ts';
import { runDeploy } from './fixture.ts';

let moto: LocalMoto;
let saved: NodeJS.ProcessEnv;
let created: { endpoint: string; ca: string };

beforeAll(async () => {
  moto = await startMoto();
  saved = { ...process.env };
  Object.assign(process.env, moto.env, { AWS_ENDPOINT_URL_EKS: moto.endpoint });
  const eks = new EKSClient({ region: 'us-east-1', endpoint: moto.endpoint });
  const answer = await eks.send(
    new CreateClusterCommand({
      name: 'models',
      roleArn: 'arn:aws:iam::123456789012:role/eks',
      resourcesVpcConfig: { subnetIds: ['subnet-1'] },
    }),
  );
  eks.destroy();
  created = {
    endpoint: answer.cluster?.endpoint ?? '',
    ca: answer.cluster?.certificateAuthority?.data ?? '',
  };
}, 60_000);

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await moto?.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

function decode(token: string): URL {
  expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
  const encoded = token.slice(TOKEN_PREFIX.length);
  expect(encoded).not.toContain('=');
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

describe('EKS connection against moto', () => {
  it('takes the endpoint and CA from DescribeCluster and signs a GetCallerIdentity token for the cluster', async () => {
    expect(created.endpoint).toMatch(/^https:\/\//);
    const connection = await connectCluster(parseClusterSpec('eks:us-east-1/models'), {
      logger: silentLogger,
    });
    expect(connection.server).toBe(created.endpoint);
    expect(connection.cloud).toBe('aws');
    expect(connection.displayName).toBe('eks:us-east-1/models');
    expect(created.ca).not.toBe('');
    expect(connection.caData).toBe(Buffer.from(created.ca, 'base64').toString('utf8'));
    const url = decode(connection.token ?? '');
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^testing\/\d{8}\/us-east-1\/sts\/aws4_request$/,
    );
  });

  it('renews the token before the authenticator would reject it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-28T12:00:00Z'));
    const connection = await connectCluster(parseClusterSpec('eks:us-east-1/models'), {
      logger: silentLogger,
    });
    const first = connection.token;
    vi.setSystemTime(new Date(Date.parse('2026-11-28T12:00:00Z') + TOKEN_RENEW_AFTER_MS - 1000));
    expect(await connection.refresh?.()).toBe(first);
    vi.setSystemTime(new Date(Date.parse('2026-11-28T12:00:00Z') + TOKEN_RENEW_AFTER_MS + 1000));
    const renewed = await connection.refresh?.();
    expect(renewed).not.toBe(first);
    expect(TOKEN_RENEW_AFTER_MS).toBeLessThan(14 * 60_000);
    expect(decode(renewed ?? '').searchParams.get('X-Amz-Date')).toBe('20261128T121001Z');
  });

  it('names a cluster that does not exist', async () => {
    const result = await runDeploy({
      cluster: 'eks:us-east-1/nope',
      name: 'm',
      image: `registry.example.com/m@sha256:${'a'.repeat(64)}`,
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain("EKS cluster 'nope' was not found in us-east-1");
  });
});
