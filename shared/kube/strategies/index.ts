import { UserError } from '../../common/errors.ts';
import { requireAccess } from '../access-review.ts';
import { applyObjects } from '../apply.ts';
import type { KubeClient } from '../client.ts';
import { clusterMatchesServing, servingRevision } from '../history.ts';
import { lockRelease } from '../lease.ts';
import { labelForRelease, manifestsHash } from '../objects.ts';
import { ensureNamespace, releaseLocked } from '../release.ts';
import { ReleaseStore } from '../release-store.ts';
import { runBlueGreen } from './blue-green.ts';
import { runCanary } from './canary.ts';
import { removeAdded, type StrategyContext } from './context.ts';
import { RolloutStateStore } from './rollout-state.ts';
import { checkRouterApi, routeKindFor } from './traffic-router.ts';
import { RolloutStopped, type StrategyOutcome, type StrategyRequest } from './types.ts';
import { releaseWorkload } from './workload.ts';

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
  await ensureNamespace(client, namespace, logger);
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
  const { logger, namespace, release } = request;
  const store = new ReleaseStore(client, namespace, release);
  const states = new RolloutStateStore(client, namespace, release);
  const records = await store.list();
  const serving = servingRevision(records);
  const objects = labelForRelease(request.objects, release, namespace);
  const hash = manifestsHash(objects);
  const state = await states.read();
  let recovered: string | undefined;
  const direct = async (why: string): Promise<StrategyOutcome> => {
    logger.info(why);
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
  };

  const sameRollout =
    state !== undefined &&
    state.hash === hash &&
    state.strategy === request.strategy &&
    state.router === request.router;
  if (state && (!serving || !sameRollout || serving.hash === hash)) {
    // Another version's (or strategy's) unfinished rollout, or one whose promotion was already recorded.
    logger.warning(
      `found an unfinished ${state.strategy} of ${state.image} left by ${state.holder} at step ${state.step + 1} (${state.phase}): withdrawing it`,
      { title: `unfinished ${state.strategy} of ${release}` },
    );
    if (serving) await applyObjects(client, serving.manifests);
    await removeAdded(client, namespace, logger, state.objects);
    await states.clear();
    recovered = `withdrew the unfinished ${state.strategy} of ${state.image} left by ${state.holder}`;
  }
  if (!serving) {
    return direct(
      `${release} has no serving revision yet: nothing to compare a ${request.strategy} with, so it is deployed directly`,
    );
  }
  if (serving.hash === hash && clusterMatchesServing(records)) {
    return direct(`${release} already serves this version (revision ${serving.revision})`);
  }
  const stable = releaseWorkload(serving.manifests, release);
  const next = releaseWorkload(objects, release);
  const routeKind = request.strategy === 'canary' ? routeKindFor(request.router) : undefined;
  if (routeKind !== undefined && !stable.routes.some((r) => r.kind === routeKind)) {
    throw new UserError(
      `traffic-router ${request.router} moves the weights of the release's ${routeKind}, and revision ${serving.revision} of ${release} has none`,
      {
        hint: `deploy with expose: ${request.router} (and host) first, or use traffic-router: replicas`,
      },
    );
  }
  // The analysis goes through the service proxy: a closed one is found before the new version runs.
  await requireAccess(
    client,
    `the ${request.strategy} of ${release} analyses the new version through the API server's service proxy`,
    proxyVerbs(request).map((verb) => ({
      verb,
      group: '',
      resource: 'services/proxy',
      namespace,
    })),
    logger,
  );
  let resumeStep = 0;
  if (state && !recovered) {
    resumeStep = state.step;
    recovered = `resumed the unfinished ${state.strategy} of ${state.image} left by ${state.holder} at step ${state.step + 1}`;
    logger.info(recovered);
  }
  const ctx: StrategyContext = {
    client,
    request,
    store,
    records,
    serving,
    objects,
    hash,
    stable,
    next,
    states,
    resumeStep,
    ...(recovered ? { recovered } : {}),
  };
  return request.strategy === 'canary' ? runCanary(ctx) : runBlueGreen(ctx);
}
