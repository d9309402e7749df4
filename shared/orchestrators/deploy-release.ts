import { describeClusterSpec } from '../clouds/cluster-access.ts';
import type { Logger } from '../common/logger.ts';
import { KubeClient } from '../kube/client.ts';
import { releaseEndpoint, type ReleaseEndpoint } from '../kube/endpoint.ts';
import { defaultProfileFor } from '../kube/profiles.ts';
import { namespaceExists, type ReleaseOutcome } from '../kube/release.ts';
import { connectTo } from './deploy/connect.ts';
import { finishedDescription, rolloutFailure } from './deploy/failure.ts';
import { checkImage, readFactsEarly } from './deploy/image.ts';
import { renderRelease } from './deploy/render.ts';
import type { DeployRequest } from './deploy/request.ts';
import {
  DEFAULT_TIMEOUT_MS,
  progressiveStrategy,
  releaseRequest,
  rollOut,
} from './deploy/roll-out.ts';
import {
  inGroup,
  type DeployHooks,
  type DeploymentTracker,
  type DeployResult,
} from './deploy/types.ts';

export {
  checkDeployRequest,
  EXPOSE_MODES,
  parseChartValues,
  parseProfileName,
  type DeployRequest,
  type ReleaseSettings,
} from './deploy/request.ts';
export type { DeployHooks, DeployResult, DeploymentTracker } from './deploy/types.ts';

/**
 * A release of a model to a cluster: connect, render (built-in manifests or
 * the chart), apply and watch the rollout (or run the canary or blue-green),
 * roll back on failure, and find the release's address. An image the inputs
 * name wrongly is thrown before anything starts; anything later is returned
 * as `error` with what the run got as far as, for the outputs and summary.
 */
export async function deployRelease(
  request: DeployRequest,
  hooks: DeployHooks,
): Promise<DeployResult> {
  const { logger } = hooks;
  const image = checkImage(request, logger);
  const strategy = progressiveStrategy(request);
  let result: DeployResult = {
    request,
    image,
    cluster: describeClusterSpec(request.cluster),
    ...(strategy ? { strategy } : {}),
  };
  let tracker: DeploymentTracker | undefined;
  try {
    // The registry and the cluster are signed in to side by side.
    const early = readFactsEarly(request, logger);
    const connection = await inGroup(hooks, `Connecting to ${result.cluster}`, () =>
      connectTo(request, logger),
    );
    result = { ...result, cluster: connection.displayName };
    const client = new KubeClient(connection);
    const namespaceRead = readAhead(client, request);
    const profileName = request.cloudProfile ?? defaultProfileFor(connection.cloud);
    const rendered = await renderRelease(request, image, { client, profileName }, hooks, early);
    const { servingPlan } = rendered;
    result = { ...result, request: rendered.request, ...(servingPlan ? { servingPlan } : {}) };
    const timeoutMs = servingPlan?.budgets.timeoutMs ?? request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    tracker = request.dryRun ? undefined : await startTracking(result, hooks);
    const release = {
      ...releaseRequest(result.request, image, rendered.objects, timeoutMs, hooks),
      namespaceRead,
    };
    result = { ...result, ...(await rollOut(client, release, result.request, hooks)) };
    const outcome = result.outcome as ReleaseOutcome;
    logDiff(outcome, logger);
    const reached = await reach(client, outcome, request, hooks);
    result = { ...result, ...reached.found };
    await tracker?.setStatus(outcome.failure || reached.error ? 'failure' : 'success', {
      ...(result.endpoint?.url ? { url: result.endpoint.url } : {}),
      description: finishedDescription(outcome, reached.error !== undefined),
    });
    const error = rolloutFailure(request.name, outcome, servingPlan) ?? reached.error;
    return error === undefined ? result : { ...result, error };
  } catch (err) {
    if (!result.outcome) await tracker?.setStatus('error', { description: (err as Error).message });
    return { ...result, error: err };
  }
}

/** The API versions every built-in release applies or watches. */
const READ_AHEAD_KINDS: Array<[apiVersion: string, kind: string]> = [
  ['v1', 'Service'],
  ['apps/v1', 'Deployment'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
];

/**
 * Reads the release needs whatever it renders, sent while the image is
 * looked up and the manifests are rendered: whether the namespace exists
 * (returned; its failure is reported where it is awaited) and discovery of
 * the usual kinds (kept in the client's cache; a failure there is asked again
 * when the kind is used).
 */
function readAhead(client: KubeClient, request: DeployRequest): Promise<boolean> {
  for (const [apiVersion, kind] of READ_AHEAD_KINDS) {
    client.call(({ objects }) => objects.discover(apiVersion, kind)).catch(() => undefined);
  }
  const namespaceRead = namespaceExists(client, request.namespace);
  namespaceRead.catch(() => undefined);
  return namespaceRead;
}

async function startTracking(
  result: DeployResult,
  hooks: DeployHooks,
): Promise<DeploymentTracker | undefined> {
  const { request, image, cluster } = result;
  const tracker = await hooks.startDeployment?.({
    description: `${request.name} → ${cluster}/${request.namespace}`,
    payload: { image: image.reference, cluster, namespace: request.namespace },
  });
  await tracker?.setStatus('in_progress');
  return tracker;
}

function logDiff(outcome: ReleaseOutcome, logger: Logger): void {
  for (const d of outcome.diff ?? []) {
    logger.info(
      d.change === 'unchanged' ? `${d.name}: unchanged` : `${d.name}: ${d.change}\n${d.patch}`,
    );
  }
}

interface Reached {
  found: { endpoint?: ReleaseEndpoint; addressMs?: number };
  /** Why the release has no address, when it should have one. */
  error?: unknown;
}

/** Where the release answers; a dry run has no address to wait for. */
async function reach(
  client: KubeClient,
  outcome: ReleaseOutcome,
  request: DeployRequest,
  hooks: DeployHooks,
): Promise<Reached> {
  if (outcome.status === 'dry-run') return { found: {} };
  const started = Date.now();
  try {
    const endpoint = await releaseEndpoint(client, outcome.objects, {
      ...(request.host ? { host: request.host } : {}),
      addressTimeoutMs: request.addressTimeoutMs,
      logger: hooks.logger,
      ...(hooks.pollMs !== undefined ? { pollMs: hooks.pollMs } : {}),
    });
    return endpoint ? { found: { endpoint, addressMs: Date.now() - started } } : { found: {} };
  } catch (err) {
    return { found: {}, error: err };
  }
}
