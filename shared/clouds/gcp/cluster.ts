import { UserError } from '../../common/errors.ts';
import { HttpStatusError } from '../../common/retry.ts';
import type { CloudContext, ClusterConnection } from '../types.ts';
import { googleAccessToken, googleAuth } from './credentials.ts';
import { googleJson } from './rest.ts';

/**
 * A GKE connection: the endpoint and CA from the container API's
 * `projects.locations.clusters.get`, and a Google access token (what
 * gke-gcloud-auth-plugin sends) as the bearer token, renewed before expiry.
 */

const DEFAULT_CONTAINER_API = 'https://container.googleapis.com';

export interface GkeSpec {
  project: string;
  location: string;
  name: string;
}

/** Returns a current access token; the library caches and refreshes it. */
export type GoogleTokenSource = () => Promise<string>;

export function defaultGoogleTokens(context: CloudContext): GoogleTokenSource {
  const auth = googleAuth();
  return () => googleAccessToken(auth, context.logger);
}

export async function gkeConnection(
  spec: GkeSpec,
  context: CloudContext,
  tokens: GoogleTokenSource = defaultGoogleTokens(context),
): Promise<ClusterConnection> {
  const api = (
    context.endpoints?.gke ??
    process.env.MODEL_DEPLOY_GKE_ENDPOINT ??
    DEFAULT_CONTAINER_API
  ).replace(/\/$/, '');
  // googleAccessToken masks the token and explains failures; the library caches and renews it.
  const refresh = (): Promise<string> => tokens();
  const token = await refresh();
  const url = `${api}/v1/projects/${encodeURIComponent(spec.project)}/locations/${encodeURIComponent(spec.location)}/clusters/${encodeURIComponent(spec.name)}`;
  const cluster = await googleJson<{
    endpoint?: string;
    status?: string;
    masterAuth?: { clusterCaCertificate?: string };
    privateClusterConfig?: { privateEndpoint?: string };
  }>(url, token, { server: 'GKE API' }).catch((err: unknown) => {
    if (err instanceof HttpStatusError) {
      const detail = err.message;
      if (err.status === 404) {
        throw new UserError(
          `GKE cluster ${spec.name} was not found in ${spec.project}/${spec.location}: ${detail}`,
          {
            hint: 'check the cluster input (gke:<project>/<location>/<name>); the location is the region or zone of the cluster',
          },
        );
      }
      if (err.status === 401 || err.status === 403) {
        throw new UserError(
          `Google refused clusters.get for ${spec.name} (${err.status}): ${detail}`,
          {
            hint: 'grant the service account roles/container.developer on the project',
          },
        );
      }
      throw new UserError(
        `clusters.get for ${spec.name} failed with HTTP ${err.status}: ${detail}`,
      );
    }
    throw err;
  });
  if (!cluster.endpoint) {
    throw new UserError(
      `GKE cluster ${spec.name} has no endpoint (status ${cluster.status ?? 'unknown'})`,
      {
        hint: 'wait until the cluster is RUNNING',
      },
    );
  }
  const ca = cluster.masterAuth?.clusterCaCertificate;
  return {
    server: cluster.endpoint.startsWith('https://')
      ? cluster.endpoint
      : `https://${cluster.endpoint}`,
    ...(ca ? { caData: Buffer.from(ca, 'base64').toString('utf8') } : {}),
    token,
    refresh,
    cloud: 'gcp',
    displayName: `gke:${spec.project}/${spec.location}/${spec.name}`,
  };
}
