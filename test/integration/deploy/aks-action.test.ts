import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFileCommands } from '../../support/actions-env.ts';
import { startArmDouble, type ArmDouble } from '../../support/aks-arm-double.ts';
import {
  startEntraDouble,
  startGithubOidcDouble,
  verifyJwt,
  type EntraDouble,
  type GithubOidcDouble,
} from '../../support/entra-double.ts';
import { startProcess } from '../../support/processes.ts';
import { kubectlJson, startWorld, type DeployWorld } from '../../support/deploy-fixture.ts';

/**
 * The deploy action started as the runner starts it (its own node process,
 * so MSAL can trust the Entra double's certificate through
 * NODE_EXTRA_CA_CERTS): GitHub OIDC → Entra (federated credential) → ARM
 * listClusterUserCredential → the cluster.
 */
const CLIENT_ID = '22222222-3333-4444-5555-666666666666';
const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';

let world: DeployWorld;
let oidc: GithubOidcDouble;
let entra: EntraDouble;
let arm: ArmDouble;

beforeAll(async () => {
  world = await startWorld();
  oidc = await startGithubOidcDouble();
  entra = await startEntraDouble({
    federated: [
      {
        clientId: CLIENT_ID,
        issuer: oidc.issuer,
        subject: oidc.subject,
        issuerKey: oidc.publicKey,
      },
    ],
  });
  arm = await startArmDouble({
    acceptToken: (token) =>
      verifyJwt(token, entra.publicKey)?.payload.aud === 'https://management.azure.com',
  });
  arm.addCluster({
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-models',
    name: 'prod',
    server: world.cluster.server,
    caPem: world.cluster.caPem,
    localToken: world.cluster.token,
  });
}, 120_000);
afterAll(async () => {
  await Promise.all([arm?.stop(), entra?.stop(), oidc?.stop()]);
  await world?.stop();
});

describe('deploy to AKS through the action', () => {
  it('signs in with GitHub OIDC federated to Entra, gets the kubeconfig from ARM and deploys', async () => {
    const work = mkdtempSync(join(tmpdir(), 'md-aks-action-'));
    const files = {
      GITHUB_OUTPUT: join(work, 'output'),
      GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
      GITHUB_STATE: join(work, 'state'),
      GITHUB_ENV: join(work, 'env'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const entry = fileURLToPath(new URL('../../../actions/deploy/index.ts', import.meta.url));
    const child = startProcess('deploy-action', process.execPath, [entry], {
      env: {
        PATH: process.env.PATH,
        HOME: work,
        RUNNER_TEMP: work,
        ...files,
        NODE_EXTRA_CA_CERTS: entra.caPath,
        AZURE_AUTHORITY_HOST: entra.authorityHost,
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        MODEL_DEPLOY_ARM_ENDPOINT: arm.endpoint,
        INPUT_CLUSTER: `aks:${SUBSCRIPTION}/rg-models/prod`,
        INPUT_NAMESPACE: 'aks',
        INPUT_NAME: 'echo',
        INPUT_IMAGE: world.images.v1.digestRef,
        'INPUT_HEALTH-PATH': '/',
        INPUT_EXPOSE: 'internal-load-balancer',
        'INPUT_SERVICE-ACCOUNT': CLIENT_ID,
        'INPUT_AZURE-CLIENT-ID': CLIENT_ID,
        'INPUT_AZURE-TENANT-ID': entra.tenantId,
        INPUT_TIMEOUT: '60s',
      },
    });
    const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
    expect(code, `${child.output()}\nEntra saw: ${entra.paths.join('\n')}`).toBe(0);
    const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    expect(outputs).toMatchObject({ status: 'deployed', revision: '1' });
    expect(oidc.audiences).toContain('api://AzureADTokenExchange');
    expect(arm.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-models/providers/Microsoft.ContainerService/managedClusters/prod/listClusterUserCredential`,
    });
    expect(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toContain(
      `| cluster | aks:${SUBSCRIPTION}/rg-models/prod |`,
    );
    // The azure profile came from the cluster kind: internal load balancer and workload identity.
    const kc = world.cluster.kubeconfigPath;
    const service = await kubectlJson(kc, ['-n', 'aks', 'get', 'service', 'echo']);
    expect(service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    });
    const account = await kubectlJson(kc, ['-n', 'aks', 'get', 'serviceaccount', 'echo']);
    expect(account.metadata.annotations['azure.workload.identity/client-id']).toBe(CLIENT_ID);
    const deployment = await kubectlJson(kc, ['-n', 'aks', 'get', 'deployment', 'echo']);
    expect(deployment.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(deployment.status.availableReplicas).toBe(1);
    // Tokens reach the log only in add-mask commands.
    const armToken = arm.requests.at(-1)?.authorization?.replace('Bearer ', '') ?? '';
    const leaked = child
      .output()
      .split('\n')
      .filter(
        (l) =>
          !l.startsWith('::add-mask::') &&
          (l.includes(armToken) || l.includes(world.cluster.token)),
      );
    expect(leaked).toEqual([]);
  });
});
