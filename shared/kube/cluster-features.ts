import type { Logger } from '../common/logger.ts';
import type { KubeClient } from './client.ts';
import { UnservedKindError } from './apis.ts';
import { kubeFailure, statusOf } from './client.ts';
import { findLoadBalancerController as findCloudLoadBalancerController } from '../clouds/registry.ts';
import type { ClusterFacts } from '../clouds/profile.ts';
import type { LoadBalancerFinding, ProfileName } from './profiles.ts';

export type { LoadBalancerFinding };

/**
 * What deploy asks of a cluster before it renders: whether an API group is
 * served (discovery, which every authenticated user may read) and which
 * admission webhooks are registered (cluster-scoped; a namespaced deployer
 * may not list them, and then discovery answers instead).
 */

/**
 * True when the API server serves `kind` in `apiVersion`: a list of it is
 * answered, or refused only for want of permission. False when the group is
 * not served (404), its aggregated server is down (503), or it lacks the kind.
 */
export async function servesKind(
  client: KubeClient,
  apiVersion: string,
  kind: string,
): Promise<boolean> {
  try {
    await client.call(({ objects }) => objects.list(apiVersion, kind, { limit: 1 }));
    return true;
  } catch (err) {
    const status = statusOf(err);
    if (status === 403 || status === 401) return true;
    if (status === 404 || status === 503) return false;
    if (err instanceof UnservedKindError) return false;
    throw err;
  }
}

/** Names of the registered mutating webhooks, or undefined when this identity may not list them. */
export async function mutatingWebhookNames(client: KubeClient): Promise<string[] | undefined> {
  try {
    const list = await client.call(({ objects }) =>
      objects.list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'),
    );
    return list.items.flatMap((config) => [
      config.metadata?.name ?? '',
      ...(((config as { webhooks?: Array<{ name?: string }> }).webhooks ?? []).map(
        (w) => w.name ?? '',
      ) ?? []),
    ]);
  } catch (err) {
    if (statusOf(err) === 403 || statusOf(err) === 401) return undefined;
    throw err;
  }
}

/** The facts a cloud's probe may read, answered by this client. */
export function clusterFacts(client: KubeClient): ClusterFacts {
  return {
    servesKind: (apiVersion, kind) => servesKind(client, apiVersion, kind),
    mutatingWebhookNames: () => mutatingWebhookNames(client),
  };
}

/**
 * Who will give a LoadBalancer Service its address on a cluster deployed
 * with `profile`: the cloud's probe answers when the cloud has several
 * controllers, else its own controller does.
 */
export async function findLoadBalancerController(
  profile: ProfileName,
  client: KubeClient,
  logger: Logger,
): Promise<LoadBalancerFinding> {
  try {
    return await findCloudLoadBalancerController(profile, clusterFacts(client), logger);
  } catch (err) {
    throw kubeFailure(
      'looking for the load balancer controller',
      err,
      client.connection.displayName,
    );
  }
}

/** Whether the resource metrics API (metrics-server) answers: an HPA on CPU reads it. */
export async function servesResourceMetrics(client: KubeClient): Promise<boolean> {
  try {
    return await servesKind(client, 'metrics.k8s.io/v1beta1', 'PodMetrics');
  } catch (err) {
    throw kubeFailure(
      'asking whether the cluster serves metrics.k8s.io',
      err,
      client.connection.displayName,
    );
  }
}
