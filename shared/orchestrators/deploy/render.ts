import type { Logger } from '../../common/logger.ts';
import type { KubeClient } from '../../kube/client.ts';
import { renderChart } from '../../kube/helm.ts';
import { renderServing } from '../../kube/manifests.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { ProfileName } from '../../kube/profiles.ts';
import type { ServingPlan } from '../../kube/serving-plan.ts';
import {
  completeFromImage,
  withAnalysisProtocol,
  type EarlyFacts,
  type ImageInfo,
} from './image.ts';
import type { DeployRequest } from './request.ts';
import { plan } from './serving.ts';
import { inGroup, type DeployHooks } from './types.ts';

export interface Rendered {
  request: DeployRequest;
  objects: KubeObject[];
  servingPlan?: ServingPlan;
}

/**
 * The objects of the release: the built-in manifests of the serving plan,
 * or the user's chart. A restore renders nothing: it applies what the
 * release history recorded.
 */
export async function renderRelease(
  request: DeployRequest,
  image: ImageInfo,
  target: { client: KubeClient; profileName: ProfileName },
  hooks: DeployHooks,
  early?: EarlyFacts,
): Promise<Rendered> {
  if (request.rollbackTo) return { request: withAnalysisProtocol(request), objects: [] };
  const { logger } = hooks;
  return inGroup(hooks, 'Rendering manifests', async () => {
    const completed = await completeFromImage(request, logger, early);
    if (completed.request.chart) {
      return {
        request: completed.request,
        objects: await renderChartObjects(completed.request, image, logger),
      };
    }
    const servingPlan = await plan(completed.request, {
      image,
      profileName: target.profileName,
      facts: completed.facts,
      client: target.client,
      logger,
    });
    return { request: completed.request, objects: renderServing(servingPlan.spec), servingPlan };
  });
}

function renderChartObjects(
  request: DeployRequest,
  image: ImageInfo,
  logger: Logger,
): Promise<KubeObject[]> {
  return renderChart({
    chart: request.chart as string,
    release: request.name,
    namespace: request.namespace,
    valuesFiles: request.valuesFiles,
    ...(request.values ? { values: request.values } : {}),
    image,
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    logger,
  });
}
