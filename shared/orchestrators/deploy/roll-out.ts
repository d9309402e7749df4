import { hostname } from 'node:os';
import type { KubeClient } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { runRelease, type ReleaseOutcome, type ReleaseRequest } from '../../kube/release.ts';
import { runStrategy, type StrategyOutcome } from '../../kube/strategies/index.ts';
import type { ImageInfo } from './image.ts';
import type { DeployRequest } from './request.ts';
import { inGroup, type DeployHooks } from './types.ts';

/** A chart's or a restore's rollout has no runtime to size a budget from. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export interface RolledOut {
  outcome: ReleaseOutcome;
  strategyOutcome?: StrategyOutcome;
  rolloutMs: number;
}

/** The release applied and watched, as a rolling update or through the progressive strategy. */
export async function rollOut(
  client: KubeClient,
  release: ReleaseRequest,
  request: DeployRequest,
  hooks: DeployHooks,
): Promise<RolledOut> {
  const started = Date.now();
  const strategy = progressiveStrategy(request);
  if (strategy) {
    const { steps, router, analysis, scaleDownDelayMs } = request.strategy;
    const strategyOutcome = await inGroup(hooks, `${strategy} of ${request.name}`, () =>
      runStrategy(client, { ...release, strategy, steps, router, analysis, scaleDownDelayMs }),
    );
    return { outcome: strategyOutcome.release, strategyOutcome, rolloutMs: Date.now() - started };
  }
  const outcome = await inGroup(
    hooks,
    request.dryRun ? 'Diff against the cluster' : `Deploying ${request.name}`,
    () => runRelease(client, release),
  );
  return { outcome, rolloutMs: Date.now() - started };
}

/** The strategy that runs: a restore or a dry run is the same whatever the strategy. */
export function progressiveStrategy(request: DeployRequest) {
  const { strategy } = request.strategy;
  return strategy === 'rolling' || request.rollbackTo || request.dryRun ? undefined : strategy;
}

export function releaseRequest(
  request: DeployRequest,
  image: ImageInfo,
  objects: KubeObject[],
  timeoutMs: number,
  hooks: DeployHooks,
): ReleaseRequest {
  const run = runUrl();
  return {
    release: request.name,
    namespace: request.namespace,
    objects,
    image: image.reference,
    ...(image.digest ? { imageDigest: image.digest } : {}),
    ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
    ...(process.env.GITHUB_SHA ? { gitSha: process.env.GITHUB_SHA } : {}),
    ...(process.env.GITHUB_ACTOR ? { actor: process.env.GITHUB_ACTOR } : {}),
    ...(run ? { runUrl: run } : {}),
    ...(request.rollbackTo ? { rollbackTo: request.rollbackTo } : {}),
    timeoutMs,
    rollbackOnFailure: request.rollbackOnFailure,
    prune: request.prune,
    dryRun: request.dryRun,
    historyLimit: request.historyLimit,
    holder: holderName(),
    logger: hooks.logger,
    ...(hooks.pollMs !== undefined ? { pollMs: hooks.pollMs } : {}),
    ...(hooks.hopelessAfterMs !== undefined ? { hopelessAfterMs: hooks.hopelessAfterMs } : {}),
  };
}

export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

/** Who holds the release lock, as a waiting run shows it. */
export function holderName(env: NodeJS.ProcessEnv = process.env): string {
  const {
    GITHUB_REPOSITORY: repo,
    GITHUB_RUN_ID: run,
    GITHUB_RUN_ATTEMPT: attempt,
    GITHUB_JOB: job,
  } = env;
  return repo && run
    ? `${repo} run ${run}${attempt ? `.${attempt}` : ''}${job ? ` job ${job}` : ''}`
    : `${hostname()} pid ${process.pid}`;
}
