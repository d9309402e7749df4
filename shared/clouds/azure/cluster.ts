import type { TokenCredential } from '@azure/identity';
import { oneLine, UserError } from '../../common/errors.ts';
import { httpFetch } from '../../common/http.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import { connectionFromKubeconfig } from '../generic/cluster.ts';
import { readKubeconfigText, type KubeconfigSelection } from '../generic/kubeconfig.ts';
import type { CloudContext, ClusterConnection } from '../types.ts';
import { azureCredential } from './credentials.ts';
import { MiB, readText } from '../../common/bounded-body.ts';

/**
 * An AKS connection through ARM `listClusterUserCredential`. Clusters with
 * local accounts return a kubeconfig with a token or client certificate; Entra
 * ID (AAD) clusters return one that defers to kubelogin, and we instead sign
 * in with a token for the AKS server application, which is what kubelogin
 * would get.
 */

export const AKS_SERVER_APP_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
export const ARM_API_VERSION = '2024-05-01';
const DEFAULT_ARM = 'https://management.azure.com';
/** Renew an Entra token this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface AksSpec {
  subscription: string;
  resourceGroup: string;
  name: string;
}

export async function aksConnection(
  spec: AksSpec,
  context: CloudContext,
  credential: TokenCredential = azureCredential({ logger: context.logger }),
): Promise<ClusterConnection> {
  const arm = (
    context.endpoints?.arm ??
    process.env.MODEL_DEPLOY_ARM_ENDPOINT ??
    DEFAULT_ARM
  ).replace(/\/$/, '');
  const display = `aks:${spec.subscription}/${spec.resourceGroup}/${spec.name}`;
  const armToken = await entraToken(credential, `${DEFAULT_ARM}/.default`, context);
  const url =
    `${arm}/subscriptions/${encodeURIComponent(spec.subscription)}/resourceGroups/${encodeURIComponent(spec.resourceGroup)}` +
    `/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(spec.name)}/listClusterUserCredential?api-version=${ARM_API_VERSION}`;
  const body = await withRetry(async () => {
    const response = await httpFetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${armToken.token}`, 'content-length': '0' },
      timeoutMs: 30_000,
      server: 'Azure Resource Manager',
    });
    const text = await readText(response.body, 4 * MiB, 'Azure Resource Manager');
    if (!response.ok)
      throw new HttpStatusError(response.status, url, text, response.headers.get('retry-after'));
    return JSON.parse(text) as { kubeconfigs?: Array<{ name?: string; value?: string }> };
  }).catch((err: unknown) => {
    if (err instanceof HttpStatusError) {
      const detail = armMessage(err.message);
      if (err.status === 404) {
        throw new UserError(
          `AKS cluster ${spec.name} was not found in resource group ${spec.resourceGroup}: ${detail}`,
          {
            hint: 'check the cluster input and the subscription the identity can see',
          },
        );
      }
      if (err.status === 401 || err.status === 403) {
        throw new UserError(
          `Azure refused listClusterUserCredential for ${spec.name} (${err.status}): ${detail}`,
          {
            hint: 'give the identity the "Azure Kubernetes Service Cluster User Role" on the cluster',
          },
        );
      }
      throw new UserError(
        `listClusterUserCredential for ${spec.name} failed with HTTP ${err.status}: ${detail}`,
      );
    }
    throw err;
  });
  const encoded = body.kubeconfigs?.[0]?.value;
  if (!encoded) throw new UserError(`Azure returned no kubeconfig for AKS cluster ${spec.name}`);
  const selection = aksKubeconfig(encoded, spec.name);
  const user = selection.user;
  if (user?.exec || user?.authProvider || (!user?.token && !user?.certData)) {
    // An Entra ID cluster: the kubeconfig would call kubelogin; sign in for the AKS server app instead.
    const cluster = selection.cluster;
    if (!cluster) throw new UserError(`the kubeconfig of AKS cluster ${spec.name} has no cluster`);
    let current = await entraToken(credential, AKS_SERVER_APP_SCOPE, context);
    const refresh = async (): Promise<string> => {
      if (current.expiresOnTimestamp - Date.now() < RENEW_BEFORE_MS) {
        current = await entraToken(credential, AKS_SERVER_APP_SCOPE, context);
      }
      return current.token;
    };
    return {
      server: cluster.server,
      ...(cluster.caData ? { caData: Buffer.from(cluster.caData, 'base64').toString('utf8') } : {}),
      token: current.token,
      refresh,
      cloud: 'azure',
      displayName: display,
    };
  }
  return connectionFromKubeconfig(selection, display, context, 'azure');
}

/** The kubeconfig listClusterUserCredential returns (base64 YAML), read. */
function aksKubeconfig(encoded: string, name: string): KubeconfigSelection {
  try {
    // Its paths, if any, would be relative to nothing on this runner; the working folder will do.
    return readKubeconfigText(Buffer.from(encoded, 'base64').toString('utf8'), process.cwd());
  } catch (err) {
    throw new UserError(
      `Azure returned a kubeconfig for AKS cluster ${name} that is not valid: ${(err as Error).message}`,
    );
  }
}

async function entraToken(
  credential: TokenCredential,
  scope: string,
  context: CloudContext,
): Promise<{ token: string; expiresOnTimestamp: number }> {
  let token;
  try {
    token = await credential.getToken(scope);
  } catch (err) {
    throw new UserError(
      `could not get an Entra ID token for ${scope}: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'run azure/login (with OIDC) before this step, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and a federated token',
        cause: err,
      },
    );
  }
  if (!token) throw new UserError(`no Entra ID token was issued for ${scope}`);
  context.logger.secret(token.token);
  return token;
}

function armMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (parsed.error) return oneLine(`${parsed.error.code ?? ''}: ${parsed.error.message ?? ''}`);
  } catch {
    // not JSON: show it on one line
  }
  return oneLine(body).slice(0, 300);
}
