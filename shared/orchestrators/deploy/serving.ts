import { InputError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { KubeClient } from '../../kube/client.ts';
import { findLoadBalancerController, servesResourceMetrics } from '../../kube/cluster-features.ts';
import {
  cloudProfile,
  type CloudProfile,
  type LoadBalancerController,
  type ProfileName,
} from '../../kube/profiles.ts';
import { describeBudgets, planServing, type ServingPlan } from '../../kube/serving-plan.ts';
import type { ImageFacts } from '../../model/image-facts.ts';
import type { ImageInfo } from './image.ts';
import type { DeployRequest } from './request.ts';

export interface ServingContext {
  image: ImageInfo;
  profileName: ProfileName;
  facts: ImageFacts | undefined;
  client: KubeClient;
  logger: Logger;
}

/** The built-in manifests' spec: the runtime's defaults, the image's facts and the inputs. */
export async function plan(request: DeployRequest, context: ServingContext): Promise<ServingPlan> {
  const { client, logger, profileName } = context;
  const profile = cloudProfile(profileName);
  checkServiceAccount(request, profile, profileName);
  const lbController =
    request.expose === 'load-balancer' || request.expose === 'internal-load-balancer'
      ? await loadBalancerController(profileName, client, logger)
      : undefined;
  const servingPlan = planServing({
    name: request.name,
    namespace: request.namespace,
    image: context.image.reference,
    runtime: request.runtime ?? 'custom',
    modelName: request.strategy.analysis.smoke.target.model ?? request.name,
    ...(context.facts ? { facts: context.facts } : {}),
    overrides: podOverrides(request),
    replicas: request.replicas,
    resources: request.resources,
    ...(request.autoscaling ? { autoscaling: request.autoscaling } : {}),
    env: request.env,
    podAnnotations: request.podAnnotations,
    expose: {
      mode: request.expose,
      ...(request.host ? { host: request.host } : {}),
      ...(request.grpcHost ? { grpcHost: request.grpcHost } : {}),
      ...(request.gateway ? { gateway: request.gateway } : {}),
    },
    profile,
    ...(lbController ? { loadBalancerController: lbController } : {}),
    ...(request.serviceAccount ? { identity: request.serviceAccount } : {}),
    ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
  });
  for (const note of servingPlan.notes) logger.info(note);
  for (const warning of servingPlan.warnings) logger.warning(warning, { title: 'deploy settings' });
  logger.info(`rollout budgets: ${describeBudgets(servingPlan.budgets)}`);
  await warnWithoutMetrics(request, client, logger);
  return servingPlan;
}

function podOverrides(request: DeployRequest) {
  return {
    ...(request.port ? { port: request.port } : {}),
    ...(request.healthPath ? { healthPath: request.healthPath } : {}),
    ...(request.startTimeoutMs !== undefined
      ? { startSeconds: Math.ceil(request.startTimeoutMs / 1000) }
      : {}),
    ...(request.readOnlyRootFilesystem !== undefined
      ? { readOnlyRootFilesystem: request.readOnlyRootFilesystem }
      : {}),
    ...(request.runAsUser !== undefined ? { runAsUser: request.runAsUser } : {}),
  };
}

/** A workload identity needs a cloud profile that knows its form. */
function checkServiceAccount(
  request: DeployRequest,
  profile: CloudProfile,
  profileName: ProfileName,
): void {
  if (!request.serviceAccount) return;
  if (!profile.identity) {
    throw new InputError(
      'service-account',
      `needs a cloud profile (aws, azure or gcp); the profile is ${profileName}`,
      'cloud-profile: aws',
    );
  }
  const problem = profile.identity.check(request.serviceAccount);
  if (problem)
    throw new InputError(
      'service-account',
      `'${request.serviceAccount}' ${problem} for ${profileName}`,
      profile.identity.example,
    );
}

async function warnWithoutMetrics(
  request: DeployRequest,
  client: KubeClient,
  logger: Logger,
): Promise<void> {
  if (!request.autoscaling || (await servesResourceMetrics(client))) return;
  const { min } = request.autoscaling;
  logger.warning(
    `autoscaling: the cluster does not serve the resource metrics API (metrics.k8s.io), so the HorizontalPodAutoscaler cannot read CPU use and will hold ${min} replica${min === 1 ? '' : 's'}: install metrics-server (EKS does not run it by default; AKS and GKE do)`,
    { title: 'autoscaling without metrics' },
  );
}

/**
 * Who will give a LoadBalancer Service its address. On EKS the annotations
 * deploy writes depend on it: the AWS Load Balancer Controller's (or EKS
 * Auto Mode's) NLB when one of them is there, else the in-tree controller's.
 */
async function loadBalancerController(
  profileName: ProfileName,
  client: KubeClient,
  logger: Logger,
): Promise<LoadBalancerController> {
  const found = await findLoadBalancerController(profileName, client, logger);
  if (found.warning) logger.warning(found.warning, { title: 'load balancer controller' });
  else if (found.controller !== 'cloud') {
    logger.info(`load balancer: ${found.controller} (${found.evidence})`);
  }
  return found.controller;
}
