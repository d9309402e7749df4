import type { Logger } from '../common/logger.ts';
import type { KubeClient } from './client.ts';
import { kubeFailure, statusOf } from './client.ts';
import type { LoadBalancerController } from './profiles.ts';

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
    await client.call(({ objects }) =>
      objects.list(
        apiVersion,
        kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        1,
      ),
    );
    return true;
  } catch (err) {
    const status = statusOf(err);
    if (status === 403 || status === 401) return true;
    if (status === 404 || status === 503) return false;
    if (err instanceof Error && err.message.startsWith('Unrecognized API version and kind')) {
      return false;
    }
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

/** The AWS Load Balancer Controller registers these (Helm chart and manifests alike). */
const LBC_WEBHOOK = /(^aws-load-balancer-webhook$|\.elbv2\.k8s\.aws$)/;

export interface LoadBalancerFinding {
  controller: LoadBalancerController;
  /** How deploy found it, for the log. */
  evidence: string;
}

/**
 * On EKS, who will give a LoadBalancer Service an address: the AWS Load
 * Balancer Controller (its webhook is registered, or, when this identity may
 * not list webhooks, its TargetGroupBinding API is served), EKS Auto Mode
 * (its NodeClass API is served), or else only the in-tree service controller
 * of the AWS cloud provider, which reads different annotations.
 */
export async function findAwsLoadBalancerController(
  client: KubeClient,
  logger: Logger,
): Promise<LoadBalancerFinding> {
  try {
    return await findLoadBalancerController(client, logger);
  } catch (err) {
    throw kubeFailure(
      'looking for the AWS Load Balancer Controller',
      err,
      client.connection.displayName,
    );
  }
}

async function findLoadBalancerController(
  client: KubeClient,
  logger: Logger,
): Promise<LoadBalancerFinding> {
  const webhooks = await mutatingWebhookNames(client);
  if (webhooks?.some((name) => LBC_WEBHOOK.test(name))) {
    return {
      controller: 'aws-load-balancer-controller',
      evidence: 'its webhook aws-load-balancer-webhook is registered',
    };
  }
  if (webhooks === undefined) {
    logger.info(
      'this identity may not list admission webhooks; looking for the AWS Load Balancer Controller by its API (elbv2.k8s.aws) instead',
    );
    if (await servesKind(client, 'elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')) {
      return {
        controller: 'aws-load-balancer-controller',
        evidence: 'the cluster serves its API, elbv2.k8s.aws',
      };
    }
  }
  if (await servesKind(client, 'eks.amazonaws.com/v1', 'NodeClass')) {
    return {
      controller: 'eks-auto-mode',
      evidence: 'the cluster serves eks.amazonaws.com NodeClass',
    };
  }
  return {
    controller: 'in-tree',
    evidence:
      webhooks === undefined
        ? 'the cluster serves neither elbv2.k8s.aws (AWS Load Balancer Controller) nor eks.amazonaws.com NodeClass (EKS Auto Mode)'
        : 'no aws-load-balancer-webhook is registered and the cluster serves no eks.amazonaws.com NodeClass (EKS Auto Mode)',
  };
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
