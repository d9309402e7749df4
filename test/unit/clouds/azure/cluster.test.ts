import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AKS_SERVER_APP_SCOPE,
  ARM_API_VERSION,
  aksConnection,
} from '../../../../shared/clouds/azure/cluster.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import { startArmDouble, type ArmDouble } from '../../../support/aks-arm-double.ts';

const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBaks\n-----END CERTIFICATE-----\n';
const SERVER = 'https://md-aks-abc.hcp.westeurope.azmk8s.io:443';
const ARM_TOKEN = 'arm-access-token';

/**
 * Entra as the identity library answers: the ARM token for management.azure.com,
 * numbered tokens for the AKS server app, each valid for `lifetimeMs`.
 */
function entraStandIn(lifetimeMs = 3600_000): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  let aks = 0;
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      const s = String(scope);
      scopes.push(s);
      const token = s === AKS_SERVER_APP_SCOPE ? `aks-token-${++aks}` : ARM_TOKEN;
      return { token, expiresOnTimestamp: Date.now() + lifetimeMs };
    },
  };
}

function masking() {
  const secrets: string[] = [];
  const logger: Logger = { ...silentLogger, secret: (v) => secrets.push(v) };
  return { logger, secrets };
}

describe('AKS connection through the ARM double', () => {
  let arm: ArmDouble;
  const saved = { ...process.env };
  beforeAll(async () => {
    arm = await startArmDouble({ acceptToken: ARM_TOKEN });
    const common = {
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-models',
      server: SERVER,
      caPem: CA,
    };
    arm.addCluster({ ...common, name: 'local', localToken: 'local-account-token' });
    arm.addCluster({ ...common, name: 'entra' });
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  afterAll(async () => {
    await arm?.stop();
  });

  const context = (logger: Logger = silentLogger) => ({ logger, endpoints: { arm: arm.endpoint } });

  it('asks ARM for the user credential of the cluster with an ARM token', async () => {
    const credential = entraStandIn();
    await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
      context(),
      credential,
    );
    expect(credential.scopes).toEqual(['https://management.azure.com/.default']);
    expect(arm.requests.at(-1)).toEqual({
      method: 'POST',
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-models/providers/Microsoft.ContainerService/managedClusters/local/listClusterUserCredential`,
      apiVersion: ARM_API_VERSION,
      authorization: `Bearer ${ARM_TOKEN}`,
    });
  });

  it('uses the token of a local-account kubeconfig and masks both tokens', async () => {
    const { logger, secrets } = masking();
    const connection = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
      context(logger),
      entraStandIn(),
    );
    expect(connection).toMatchObject({
      server: SERVER,
      caData: CA,
      token: 'local-account-token',
      cloud: 'azure',
      displayName: `aks:${SUBSCRIPTION}/rg-models/local`,
    });
    expect(connection.refresh).toBeUndefined();
    expect(secrets).toEqual([ARM_TOKEN, 'local-account-token']);
  });

  it('signs in for the AKS server app on an Entra ID cluster instead of running kubelogin', async () => {
    const credential = entraStandIn();
    const { logger, secrets } = masking();
    const connection = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'entra' },
      context(logger),
      credential,
    );
    expect(credential.scopes).toEqual([
      'https://management.azure.com/.default',
      '6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    ]);
    expect(connection).toMatchObject({
      server: SERVER,
      caData: CA,
      token: 'aks-token-1',
      cloud: 'azure',
      displayName: `aks:${SUBSCRIPTION}/rg-models/entra`,
    });
    expect(secrets).toEqual([ARM_TOKEN, 'aks-token-1']);
    // An hour left: refresh keeps the token it has.
    await expect(connection.refresh?.()).resolves.toBe('aks-token-1');
    expect(credential.scopes).toHaveLength(2);
  });

  it('renews the AKS token when it has less than five minutes left', async () => {
    const credential = entraStandIn(60_000);
    const connection = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'entra' },
      context(),
      credential,
    );
    expect(connection.token).toBe('aks-token-1');
    await expect(connection.refresh?.()).resolves.toBe('aks-token-2');
    expect(credential.scopes.at(-1)).toBe(AKS_SERVER_APP_SCOPE);
  });

  it('reads MODEL_DEPLOY_ARM_ENDPOINT when the context names no endpoint', async () => {
    process.env.MODEL_DEPLOY_ARM_ENDPOINT = `${arm.endpoint}/`;
    const connection = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
      { logger: silentLogger },
      entraStandIn(),
    );
    expect(connection.token).toBe('local-account-token');
  });

  it('explains a missing cluster with the ARM error code', async () => {
    const failure = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'nope' },
      context(),
      entraStandIn(),
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(
      /^AKS cluster nope was not found in resource group rg-models: ResourceNotFound: The Resource/,
    );
    expect((failure as UserError).hint).toMatch(/subscription/);
  });

  it('explains a refused ARM token with the role to give', async () => {
    const stale: TokenCredential = {
      getToken: async () => ({ token: 'stale', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    const failure = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
      context(),
      stale,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as UserError).message).toBe(
      'Azure refused listClusterUserCredential for local (401): InvalidAuthenticationToken: The access token is invalid.',
    );
    expect((failure as UserError).hint).toMatch(/Azure Kubernetes Service Cluster User Role/);
  });

  it('says to run azure/login when no Entra token can be had, before calling ARM', async () => {
    const before = arm.requests.length;
    const broken: TokenCredential = {
      getToken: async () => {
        throw new Error('DefaultAzureCredential failed to retrieve a token\nfrom the chain: ...');
      },
    };
    const failure = await aksConnection(
      { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
      context(),
      broken,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as UserError).message).toBe(
      'could not get an Entra ID token for https://management.azure.com/.default: DefaultAzureCredential failed to retrieve a token',
    );
    expect((failure as UserError).hint).toMatch(/azure\/login/);
    expect(arm.requests.length).toBe(before);
  });

  it('refuses an identity library that issues no token', async () => {
    const empty = { getToken: async () => null } as unknown as TokenCredential;
    await expect(
      aksConnection(
        { subscription: SUBSCRIPTION, resourceGroup: 'rg-models', name: 'local' },
        context(),
        empty,
      ),
    ).rejects.toThrow('no Entra ID token was issued for https://management.azure.com/.default');
  });
});
