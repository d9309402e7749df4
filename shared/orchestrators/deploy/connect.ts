import { connectCluster } from '../../clouds/cluster-access.ts';
import type { ClusterConnection } from '../../clouds/types.ts';
import type { Logger } from '../../common/logger.ts';
import type { DeployRequest } from './request.ts';

/** The connection to the release's cluster, with the identity the inputs give. */
export function connectTo(request: DeployRequest, logger: Logger): Promise<ClusterConnection> {
  return connectCluster(
    request.cluster,
    {
      logger,
      endpoints: endpointOverrides(),
      allowInsecureKubeconfig: request.insecureSkipTlsVerify,
    },
    {
      azure: {
        ...(request.azureClientId ? { clientId: request.azureClientId } : {}),
        ...(request.azureTenantId ? { tenantId: request.azureTenantId } : {}),
      },
    },
  );
}

/** Endpoints for control planes without an SDK-level override (documented in deploy/README.md). */
export function endpointOverrides(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.MODEL_DEPLOY_ARM_ENDPOINT) out.arm = env.MODEL_DEPLOY_ARM_ENDPOINT;
  if (env.MODEL_DEPLOY_GKE_ENDPOINT) out.gke = env.MODEL_DEPLOY_GKE_ENDPOINT;
  return out;
}
