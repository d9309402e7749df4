import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aksConnection, AKS_SERVER_APP_SCOPE } from '../../../shared/clouds/azure/cluster.ts';
import { gkeConnection } from '../../../shared/clouds/gcp/cluster.ts';
import type { ClusterConnection } from '../../../shared/clouds/types.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { renderServing } from '../../../shared/kube/manifests.ts';
import { cloudProfile, defaultProfileFor } from '../../../shared/kube/profiles.ts';
import { runRelease } from '../../../shared/kube/release.ts';
import { runtimeServing } from '../../../shared/model/runtimes/serving.ts';
import { startArmDouble, type ArmDouble } from '../../support/aks-arm-double.ts';
import { startGkeDouble, type GkeDouble } from '../../support/gke-container-double.ts';
import { startGoogleOAuthDouble } from '../../support/google-oauth-double.ts';
import {
  kubectlJson,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';
let world: DeployWorld;
let arm: ArmDouble;
let gke: GkeDouble;

beforeAll(async () => {
  world = await startWorld();
  arm = await startArmDouble({ acceptToken: 'arm-access-token' });
  // On GKE one Google access token is good for the container API and the cluster alike.
  gke = await startGkeDouble({ acceptToken: world.cluster.token });
  const common = { server: world.cluster.server, caPem: world.cluster.caPem };
  arm.addCluster({
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-models',
    name: 'local',
    localToken: world.cluster.token,
    ...common,
  });
  arm.addCluster({
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-models',
    name: 'entra',
    ...common,
  });
  gke.addCluster({
    project: 'my-project-1',
    location: 'europe-west4',
    name: 'serving',
    endpoint: world.cluster.server.replace(/^https:\/\//, ''),
    caPem: world.cluster.caPem,
  });
}, 120_000);
afterAll(async () => {
  await arm?.stop();
  await gke?.stop();
  await world?.stop();
});

/** Entra as the identity library would answer: an ARM token, and the cluster's token for the AKS server app. */
function entraStandIn(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      const wanted = Array.isArray(scope) ? (scope[0] as string) : scope;
      scopes.push(wanted);
      const token =
        wanted === 'https://management.azure.com/.default'
          ? 'arm-access-token'
          : wanted === AKS_SERVER_APP_SCOPE
            ? world.cluster.token
            : 'unexpected-scope';
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

async function deployThrough(connection: ClusterConnection, namespace: string): Promise<void> {
  const client = new KubeClient(connection);
  const objects = renderServing({
    name: 'echo',
    namespace,
    image: world.images.v1.digestRef,
    runtime: { ...runtimeServing('custom', 'echo'), readinessPath: '/', livenessPath: '/' },
    replicas: 1,
    resources: {},
    env: {},
    expose: { mode: 'load-balancer' },
    profile: cloudProfile(defaultProfileFor(connection.cloud)),
    progressDeadlineSeconds: 60,
  });
  const outcome = await runRelease(client, {
    release: 'echo',
    namespace,
    objects,
    image: world.images.v1.digestRef,
    timeoutMs: 60_000,
    rollbackOnFailure: true,
    prune: true,
    dryRun: false,
    historyLimit: 10,
    holder: 'test',
    logger: silentLogger,
    pollMs: 200,
  });
  expect(outcome.status).toBe('deployed');
}

describe('AKS through the ARM API', () => {
  it('uses the kubeconfig of a cluster with local accounts', async () => {
    const credential = entraStandIn();
    const connection = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
      { logger: silentLogger, endpoints: { arm: arm.endpoint } },
      credential,
    );
    expect(connection).toMatchObject({
      server: world.cluster.server,
      cloud: 'azure',
      caData: world.cluster.caPem,
    });
    expect(credential.scopes).toEqual(['https://management.azure.com/.default']);
    const call = arm.requests.at(-1);
    expect(call).toMatchObject({
      method: 'POST',
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-models/providers/Microsoft.ContainerService/managedClusters/local/listClusterUserCredential`,
      apiVersion: '2024-05-01',
      authorization: 'Bearer arm-access-token',
    });
    await deployThrough(connection, 'aks-local');
    const service = await kubectlJson(world.cluster.kubeconfigPath, [
      '-n',
      'aks-local',
      'get',
      'service',
      'echo',
    ]);
    // The azure profile came from the cluster: a public load balancer needs no annotation there.
    expect(service.spec.type).toBe('LoadBalancer');
    expect(
      service.metadata.annotations?.['service.beta.kubernetes.io/aws-load-balancer-type'],
    ).toBeUndefined();
  });

  it('signs in for the AKS server application on an Entra ID cluster instead of running kubelogin', async () => {
    const credential = entraStandIn();
    const connection = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'entra' },
      { logger: silentLogger, endpoints: { arm: arm.endpoint } },
      credential,
    );
    expect(credential.scopes).toEqual([
      'https://management.azure.com/.default',
      AKS_SERVER_APP_SCOPE,
    ]);
    expect(connection.token).toBe(world.cluster.token);
    expect(await connection.refresh?.()).toBe(world.cluster.token);
    await deployThrough(connection, 'aks-entra');
    expect(
      (
        await kubectlJson(world.cluster.kubeconfigPath, [
          '-n',
          'aks-entra',
          'get',
          'deployment',
          'echo',
        ])
      ).status.availableReplicas,
    ).toBe(1);
  });

  it('explains a missing cluster and a refused token', async () => {
    await expect(
      aksConnection(
        { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'nope' },
        { logger: silentLogger, endpoints: { arm: arm.endpoint } },
        entraStandIn(),
      ),
    ).rejects.toThrow(
      /AKS cluster nope was not found in resource group rg-models: ResourceNotFound/,
    );
    const wrong: TokenCredential = {
      getToken: async () => ({ token: 'stale', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    await expect(
      aksConnection(
        { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
        { logger: silentLogger, endpoints: { arm: arm.endpoint } },
        wrong,
      ),
    ).rejects.toThrow(
      /Azure refused listClusterUserCredential for local \(401\): InvalidAuthenticationToken/,
    );
  });
});

describe('GKE through the container API', () => {
  it('takes the endpoint and CA from clusters.get and uses the Google access token', async () => {
    const connection = await gkeConnection(
      { project: 'my-project-1', location: 'europe-west4', name: 'serving' },
      { logger: silentLogger, endpoints: { gke: gke.endpoint } },
      async () => world.cluster.token,
    );
    expect(gke.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/v1/projects/my-project-1/locations/europe-west4/clusters/serving',
      authorization: `Bearer ${world.cluster.token}`,
    });
    expect(connection).toMatchObject({
      server: world.cluster.server,
      caData: world.cluster.caPem,
      cloud: 'gcp',
      token: world.cluster.token,
    });
    await deployThrough(connection, 'gke');
    expect(
      (await kubectlJson(world.cluster.kubeconfigPath, ['-n', 'gke', 'get', 'deployment', 'echo']))
        .status.availableReplicas,
    ).toBe(1);
  });

  it('explains a missing cluster and a refused token', async () => {
    await expect(
      gkeConnection(
        { project: 'my-project-1', location: 'europe-west4', name: 'nope' },
        { logger: silentLogger, endpoints: { gke: gke.endpoint } },
        async () => world.cluster.token,
      ),
    ).rejects.toThrow(/GKE cluster nope was not found in my-project-1\/europe-west4: NOT_FOUND/);
    await expect(
      gkeConnection(
        { project: 'my-project-1', location: 'europe-west4', name: 'serving' },
        { logger: silentLogger, endpoints: { gke: gke.endpoint } },
        async () => 'expired',
      ),
    ).rejects.toThrow(/Google refused clusters.get for serving \(401\): UNAUTHENTICATED/);
  });
});

describe('GKE through the action', () => {
  it('gets a Google token from the metadata server, reads the cluster and presents the token to it', async () => {
    const google = await startGoogleOAuthDouble({ projectId: 'my-project-1' });
    const container = await startGkeDouble({ acceptToken: (token) => google.isValid(token) });
    container.addCluster({
      project: 'my-project-1',
      location: 'europe-west4-a',
      name: 'serving',
      endpoint: world.cluster.server.replace(/^https:\/\//, ''),
      caPem: world.cluster.caPem,
    });
    try {
      const result = await runDeploy(
        {
          cluster: 'gke:my-project-1/europe-west4-a/serving',
          namespace: 'gke-action',
          name: 'echo',
          image: world.images.v1.digestRef,
        },
        { GCE_METADATA_HOST: google.metadataHost, MODEL_DEPLOY_GKE_ENDPOINT: container.endpoint },
      );
      const issued = google.issued.map((i) => i.token);
      expect(issued.length).toBeGreaterThan(0);
      expect(container.requests.at(-1)).toMatchObject({
        path: '/v1/projects/my-project-1/locations/europe-west4-a/clusters/serving',
        authorization: `Bearer ${issued.at(-1)}`,
      });
      // The cluster double knows only its own token, where GKE would accept the Google one:
      // it answers 401, which proves the token went to the cluster the container API named.
      expect(result.ok).toBe(false);
      expect(result.failure).toContain(
        'the cluster gke:my-project-1/europe-west4-a/serving rejected the credentials (401)',
      );
      expect(result.log).toContain(`::add-mask::${issued.at(-1)}`);
    } finally {
      await container.stop();
      await google.stop();
    }
  });
});
