import { UserError } from '../../common/errors.ts';
import { requireAccess } from '../access-review.ts';
import { applyObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import { clusterMatchesServing, servingRevision, type ReleaseRecord } from '../history.ts';
import { lockRelease } from '../lease.ts';
import { labelForRelease, manifestsHash } from '../objects.ts';
import { ensureNamespace, releaseLocked } from '../release.ts';
import { ReleaseStore } from '../release-store.ts';
import { runBlueGreen } from './blue-green.ts';
import { runCanary } from './canary.ts';
import type { StrategyContext } from './context.ts';
import { RolloutStateStore, type RolloutState } from './rollout-state.ts';
import { checkRouterApi, routeKindFor } from './traffic-router.ts';
import { RolloutStopped, type StrategyOutcome, type StrategyRequest } from './types.ts';
import { releaseWorkload, type ReleaseWorkload } from './workload.ts';
import { removeAdded } from './withdraw.ts';

export {
  RolloutStopped,
  type CanaryStep,
  type StepReport,
  type StrategyName,
  type StrategyOutcome,
  type StrategyRequest,
  type TrafficRouterName,
} from './types.ts';

/**
 * A canary or blue-green release under the release lock, so no other deploy
 * of the release runs meanwhile. The first release of a name has nothing to
 * compare with and is deployed directly.
 */
export async function runStrategy(
  client: KubeClient,
  request: StrategyRequest,
): Promise<StrategyOutcome> {
  const { logger, namespace, release } = request;
  await ensureNamespace(client, namespace, logger, request.namespaceRead);
  // Before anything changes: a missing router is a setup problem, not a failed release.
  if (request.strategy === 'canary') await checkRouterApi(client, request.router, logger);
  const lock = await lockRelease(client, {
    namespace,
    release,
    holder: request.holder,
    logger,
    ...(request.leaseSeconds !== undefined ? { durationSeconds: request.leaseSeconds } : {}),
  });
  try {
    const outcome = await underLock(client, request);
    outcome.release.waitedMs = lock.waitedMs;
    if (lock.waitedFor !== undefined) outcome.release.waitedFor = lock.waitedFor;
    return outcome;
  } catch (err) {
    if (err instanceof RolloutStopped)
      logger.info('stopped: the rollout state stays for the next run');
    throw err;
  } finally {
    await lock.unlock();
  }
}

/** The proxy verbs of the analysis: GET probes, and its request's method (POST unless `http` says). */
function proxyVerbs(request: StrategyRequest): string[] {
  const smoke = request.analysis.smoke;
  const method = smoke.protocol === 'http' ? smoke.http.method : 'POST';
  const verbs: Record<string, string> = {
    GET: 'get',
    HEAD: 'get',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
  };
  const verb = verbs[method];
  return [...new Set(['get', verb ?? 'create'])];
}

async function underLock(client: KubeClient, request: StrategyRequest): Promise<StrategyOutcome> {
  const { namespace, release } = request;
  const store = new ReleaseStore(client, namespace, release);
  const states = new RolloutStateStore(client, namespace, release);
  const records = await store.list();
  const serving = servingRevision(records);
  const objects = labelForRelease(request.objects, release, namespace);
  const hash = manifestsHash(objects);
  const state = await states.read();
  const sameRollout =
    state !== undefined &&
    state.hash === hash &&
    state.strategy === request.strategy &&
    state.router === request.router;
  // Another version's (or strategy's) unfinished rollout, or one whose promotion was already recorded.
  const stale = state && (!serving || !sameRollout || serving.hash === hash) ? state : undefined;
  const withdrawn = stale
    ? await withdrawUnfinished(client, request, stale, serving, states)
    : undefined;
  if (!serving) {
    const why = `${release} has no serving revision yet: nothing to compare a ${request.strategy} with, so it is deployed directly`;
    return deployDirectly(client, request, why, withdrawn);
  }
  if (serving.hash === hash && clusterMatchesServing(records)) {
    const why = `${release} already serves this version (revision ${serving.revision})`;
    return deployDirectly(client, request, why, withdrawn);
  }
  const stable = releaseWorkload(serving.manifests, release);
  checkRoutes(request, stable, serving.revision);
  await checkProxyAccess(client, request);
  const resumed = state && !stale ? resume(request, state) : undefined;
  const recovered = withdrawn ?? resumed?.recovered;
  const ctx: StrategyContext = {
    client,
    request,
    store,
    records,
    serving,
    objects,
    hash,
    stable,
    next: releaseWorkload(objects, release),
    states,
    resumeStep: resumed?.step ?? 0,
    ...(recovered ? { recovered } : {}),
  };
  return request.strategy === 'canary' ? runCanary(ctx) : runBlueGreen(ctx);
}

/** Puts the serving revision back where an earlier run left its rollout unfinished. */
async function withdrawUnfinished(
  client: KubeClient,
  request: StrategyRequest,
  state: RolloutState,
  serving: ReleaseRecord | undefined,
  states: RolloutStateStore,
): Promise<string> {
  const { logger, namespace, release } = request;
  logger.warning(
    `found an unfinished ${state.strategy} of ${state.image} left by ${state.holder} at step ${state.step + 1} (${state.phase}): withdrawing it`,
    { title: `unfinished ${state.strategy} of ${release}` },
  );
  if (serving) await applyObjects(client, serving.manifests);
  await removeAdded(client, namespace, logger, state.objects);
  await states.clear();
  return `withdrew the unfinished ${state.strategy} of ${state.image} left by ${state.holder}`;
}

/** The same rollout, unfinished: it goes on from the step it reached. */
function resume(
  request: StrategyRequest,
  state: RolloutState,
): { step: number; recovered: string } {
  const recovered = `resumed the unfinished ${state.strategy} of ${state.image} left by ${state.holder} at step ${state.step + 1}`;
  request.logger.info(recovered);
  return { step: state.step, recovered };
}

async function deployDirectly(
  client: KubeClient,
  request: StrategyRequest,
  why: string,
  recovered: string | undefined,
): Promise<StrategyOutcome> {
  request.logger.info(why);
  const outcome = await releaseLocked(client, { ...request, dryRun: false });
  return {
    release: outcome,
    strategy: request.strategy,
    router: request.router,
    promoted: outcome.status === 'deployed',
    step: 0,
    steps: [],
    ...(recovered ? { recovered } : {}),
  };
}

/** A canary's router moves the weights of the release's own routes, so they must exist. */
function checkRoutes(request: StrategyRequest, stable: ReleaseWorkload, revision: number): void {
  const routeKind = request.strategy === 'canary' ? routeKindFor(request.router) : undefined;
  if (routeKind === undefined || stable.routes.some((r) => r.kind === routeKind)) return;
  throw new UserError(
    `traffic-router ${request.router} moves the weights of the release's ${routeKind}, and revision ${revision} of ${request.release} has none`,
    {
      hint: `deploy with expose: ${request.router} (and host) first, or use traffic-router: replicas`,
    },
  );
}

/** The analysis goes through the service proxy: a closed one is found before the new version runs. */
async function checkProxyAccess(client: KubeClient, request: StrategyRequest): Promise<void> {
  await requireAccess(
    client,
    `the ${request.strategy} of ${request.release} analyses the new version through the API server's service proxy`,
    [
      ...proxyVerbs(request).map((verb) => ({
        verb,
        group: '',
        resource: 'services/proxy',
        namespace: request.namespace,
      })),
      // Blue-green waits for the main Service's endpoints to follow its switch.
      ...(request.strategy === 'blue-green'
        ? [
            {
              verb: 'list',
              group: 'discovery.k8s.io',
              resource: 'endpointslices',
              namespace: request.namespace,
            },
          ]
        : []),
    ],
    request.logger,
  );
}
