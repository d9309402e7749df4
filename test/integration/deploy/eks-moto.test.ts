import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import {
  eksToken,
  TOKEN_PREFIX,
  TOKEN_RENEW_AFTER_MS,
} from '../../../shared/clouds/aws/cluster.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { startLocalEks, type LocalEks } from '../../support/eks-cluster.ts';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import {
  assumeRole,
  MOTO_ENV,
  startMoto,
  type AssumedRoleCredentials,
  type LocalMoto,
} from '../../support/moto.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { kubectlJson, runDeploy } from '../../support/deploy-fixture.ts';

/**
 * deploy to EKS, all the way: moto's EKS knows the cluster, DescribeCluster
 * answers with the local API server's address and CA, and the API server
 * authenticates deploy's `k8s-aws-v1.` token through the aws-iam-authenticator
 * test double (moto's STS says who signed it; the access entry maps the
 * role to the group `model-deployers`), which is bound to exactly the
 * documented ClusterRole (docs/rbac/deployer-role.yaml) in `models`.
 */
const ROLE_ARN = 'arn:aws:iam::123456789012:role/model-release';
const SESSION_ARN = 'arn:aws:sts::123456789012:assumed-role/model-release/gha';

let moto: LocalMoto;
let registry: LocalRegistry;
let eks: LocalEks;
let image: PushedImage;
let role: AssumedRoleCredentials;
let saved: NodeJS.ProcessEnv;

beforeAll(async () => {
  [moto, registry] = await Promise.all([startMoto(), startRegistry()]);
  image = await pushBusyboxImage(registry, 'models/echo', 'v1', {
    cmd: ['httpd', '-f', '-p', '8080', '-h', '/'],
    exposedPorts: ['8080/tcp'],
  });
  // What configure-aws-credentials leaves for role-to-assume: the role's session credentials.
  role = await assumeRole(moto, ROLE_ARN, 'gha');
  eks = await startLocalEks({
    moto,
    name: 'models',
    accessEntries: [{ principalArn: ROLE_ARN, kubernetesGroups: ['model-deployers'] }],
    secrets: { [role.AWS_ACCESS_KEY_ID]: role.AWS_SECRET_ACCESS_KEY },
    cluster: { registryHosts: [registry.host] },
  });
  await eks.cluster.apply(
    readFileSync(
      fileURLToPath(new URL('../../../docs/rbac/deployer-role.yaml', import.meta.url)),
      'utf8',
    ),
  );
  await eks.cluster.kubectl(['create', 'namespace', 'models']);
  await eks.cluster.kubectl([
    'create',
    'rolebinding',
    'model-deploy',
    '-n',
    'models',
    '--clusterrole',
    'model-deploy',
    '--group',
    'model-deployers',
  ]);
  saved = { ...process.env };
  Object.assign(process.env, MOTO_ENV, role, {
    AWS_ENDPOINT_URL_EKS: eks.eksEndpoint,
    AWS_ENDPOINT_URL_STS: moto.endpoint,
  });
}, 180_000);

afterAll(async () => {
  if (saved) {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  await eks?.stop();
  await registry?.stop();
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

/** A GET to the API server with this bearer token: its status. */
async function apiStatus(token: string): Promise<number> {
  const answer = await request(`${eks.cluster.server}/api/v1/namespaces/models`, {
    headers: { authorization: `Bearer ${token}` },
    dispatcher: new Agent({ connect: { ca: eks.cluster.caPem } }),
  });
  await answer.body.text();
  return answer.statusCode;
}

describe('EKS connection against moto', () => {
  it('takes the endpoint and CA from DescribeCluster and signs a GetCallerIdentity token for the cluster', async () => {
    // moto's own answer names an endpoint that resolves nowhere; the stand-in gives the local one.
    expect(eks.motoEndpointOfCluster).toMatch(/^https:\/\/[a-z0-9.-]+\.eks\.amazonaws\.com\/?$/i);
    const connection = await connectCluster(parseClusterSpec('eks:us-east-1/models'), {
      logger: silentLogger,
    });
    expect(connection.server).toBe(eks.cluster.server);
    expect(connection.caData).toBe(eks.cluster.caPem);
    expect(connection.cloud).toBe('aws');
    expect(connection.displayName).toBe('eks:us-east-1/models');
    expect(eks.standIn.rewritten.models).toBeGreaterThan(0);
    const url = decode(connection.token ?? '');
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      new RegExp(`^${role.AWS_ACCESS_KEY_ID}/\\d{8}/us-east-1/sts/aws4_request$`),
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(role.AWS_SESSION_TOKEN);
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

describe('deploy to EKS through the authenticator, with the documented permissions', () => {
  it('deploys: the assumed role signs in as its access entry says and the rollout completes', async () => {
    const result = await runDeploy({
      cluster: 'eks:us-east-1/models',
      namespace: 'models',
      name: 'echo',
      image: image.digestRef,
      runtime: 'custom',
      port: '8080',
      'health-path': '/',
      timeout: '60s',
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    expect(eks.authenticator.reviews).toContainEqual({
      authenticated: true,
      username: SESSION_ARN,
      groups: ['model-deployers'],
    });
    const deployment = await kubectlJson(eks.cluster.kubeconfigPath, [
      '-n',
      'models',
      'get',
      'deployment',
      'echo',
      '--show-managed-fields',
    ]);
    expect(deployment.status.availableReplicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0].image).toBe(image.digestRef);
  });

  it('the cluster names the role session in a refusal, with what to grant', async () => {
    const result = await runDeploy({
      cluster: 'eks:us-east-1/models',
      namespace: 'elsewhere',
      name: 'echo',
      image: image.digestRef,
      runtime: 'custom',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      `reading namespace elsewhere: forbidden by the cluster: ${SESSION_ARN} may not get namespaces in the core API group in namespace elsewhere`,
    );
  });

  it('a token signed for another cluster is refused: STS would not match its signature', async () => {
    const credentials = {
      accessKeyId: role.AWS_ACCESS_KEY_ID,
      secretAccessKey: role.AWS_SECRET_ACCESS_KEY,
      sessionToken: role.AWS_SESSION_TOKEN,
    };
    const forModels = await eksToken({ region: 'us-east-1', clusterName: 'models', credentials });
    const forOther = await eksToken({ region: 'us-east-1', clusterName: 'other', credentials });
    expect(await apiStatus(forModels)).toBe(200);
    expect(await apiStatus(forOther)).toBe(401);
    expect(eks.authenticator.reviews.at(-1)).toEqual({
      authenticated: false,
      error: 'SignatureDoesNotMatch: the token was not signed for cluster models',
    });
  });

  it('an identity with no access entry is refused as EKS refuses it: 401', async () => {
    const result = await runDeploy(
      {
        cluster: 'eks:us-east-1/models',
        namespace: 'models',
        name: 'echo',
        image: image.digestRef,
        runtime: 'custom',
      },
      // moto's default test credentials: GetCallerIdentity says arn:aws:sts::123456789012:user/moto.
      { ...MOTO_ENV },
    );
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      'reading namespace models: the cluster eks:us-east-1/models rejected the credentials (401)',
    );
    expect(eks.authenticator.reviews.at(-1)).toEqual({
      authenticated: false,
      error: 'no access entry for arn:aws:sts::123456789012:user/moto',
    });
  });
});
