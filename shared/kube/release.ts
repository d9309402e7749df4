import type { Logger } from '../common/logger.ts';
import { UserError } from '../common/errors.ts';
import {
  applyObjects,
  deleteObjects,
  diffRelease,
  discoverKinds,
  findStrays,
  kindsOf,
  plannedCreates,
  type ObjectDiff,
} from './apply.ts';
import type { KubeClient } from './client.ts';
import { kubeFailure, statusOf } from './client.ts';
import {
  clusterMatchesServing,
  findRollbackTarget,
  nextRevision,
  servingRevision,
  type ReleaseRecord,
} from './history.ts';
import { lockRelease } from './lease.ts';
import { labelForRelease, manifestsHash, objectName, type KubeObject } from './objects.ts';
import { ReleaseStore } from './release-store.ts';
import { watchRollout, type RolloutOutcome } from './rollout.ts';
import { confirmRevisionTraffic } from './service-endpoints.ts';

/**
 * One release, end to end: take the release lock, compare with the revision
 * serving, apply, prune, watch, record, and restore the previous revision when
 * the rollout fails. A failed release never leaves a broken model serving.
 */

export interface ReleaseRequest {
  release: string;
  namespace: string;
  /** The rendered objects (built-in or chart); ignored when rollbackTo is set. */
  objects: KubeObject[];
  image: string;
  imageDigest?: string;
  modelVersion?: string;
  gitSha?: string;
  actor?: string;
  runUrl?: string;
  /** `previous`, a revision number or an image digest. */
  rollbackTo?: string;
  timeoutMs: number;
  rollbackOnFailure: boolean;
  prune: boolean;
  dryRun: boolean;
  historyLimit: number;
  /** Who holds the release lock (shown to a run that waits). */
  holder: string;
  logger: Logger;
  /**
   * Whether the namespace exists, when it was read ahead (a read only, sent
   * while the manifests were rendered); read here otherwise.
   */
  namespaceRead?: Promise<boolean>;
  /** Test hooks for the rollout watch. */
  pollMs?: number;
  hopelessAfterMs?: number;
}

export type ReleaseStatus = 'deployed' | 'unchanged' | 'rolled-back' | 'failed' | 'dry-run';

export interface ReleaseOutcome {
  status: ReleaseStatus;
  /** The revision serving when the run ends. */
  revision?: number;
  /** The revision serving when the run started. */
  previousRevision?: number;
  /** The revision this run created (also when it failed). */
  attemptedRevision?: number;
  /** The image serving when the run ends. */
  image: string;
  /** The image this run tried, when it is not the one serving (a rolled-back release). */
  attemptedImage?: string;
  applied: string[];
  pruned: string[];
  diff?: ObjectDiff[];
  rollout?: RolloutOutcome;
  /** Set when the rollout failed; the caller fails the job with it. */
  failure?: { reason: string; message: string; diagnosis: string };
  waitedMs: number;
  waitedFor?: string;
  /** The objects now serving (for the URL and the summary). */
  objects: KubeObject[];
}

export async function namespaceExists(client: KubeClient, namespace: string): Promise<boolean> {
  try {
    await client.call(({ core }) => core.readNamespace({ name: namespace }));
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw kubeFailure(`reading namespace ${namespace}`, err, client.connection.displayName);
  }
}

/** Creates the namespace unless it exists (`exists`: its read, when it went out earlier). */
export async function ensureNamespace(
  client: KubeClient,
  namespace: string,
  logger: Logger,
  exists: Promise<boolean> = namespaceExists(client, namespace),
): Promise<void> {
  if (await exists) return;
  try {
    await client.call(({ core }) =>
      core.createNamespace({ body: { metadata: { name: namespace } } }),
    );
    logger.info(`created namespace ${namespace}`);
  } catch (createErr) {
    if (statusOf(createErr) !== 409) {
      throw kubeFailure(
        `creating namespace ${namespace}`,
        createErr,
        client.connection.displayName,
      );
    }
  }
}

export async function runRelease(
  client: KubeClient,
  request: ReleaseRequest,
): Promise<ReleaseOutcome> {
  const { logger, namespace, release } = request;
  if (!request.dryRun) await ensureNamespace(client, namespace, logger, request.namespaceRead);
  const lock = request.dryRun
    ? { waitedMs: 0, waitedFor: undefined, unlock: async () => {} }
    : await lockRelease(client, { namespace, release, holder: request.holder, logger });
  try {
    const outcome = await releaseLocked(client, request);
    outcome.waitedMs = lock.waitedMs;
    if (lock.waitedFor !== undefined) outcome.waitedFor = lock.waitedFor;
    return outcome;
  } finally {
    await lock.unlock();
  }
}

/** What a release applies: the new render, or a revision from the history. */
export interface ReleaseContent {
  objects: KubeObject[];
  image: string;
  imageDigest?: string;
  modelVersion?: string;
  /** `deploy`, or `rollback to <revision>`. */
  source: string;
}

type RefusedHistory = ReleaseStore['refused'];

/** The new render labelled for the release, or the recorded revision `rollbackTo` names. */
export function releaseContent(
  request: ReleaseRequest,
  records: ReleaseRecord[],
  refused: RefusedHistory,
): ReleaseContent {
  const { release, namespace } = request;
  if (request.rollbackTo === undefined) {
    return {
      objects: labelForRelease(request.objects, release, namespace),
      image: request.image,
      ...(request.imageDigest ? { imageDigest: request.imageDigest } : {}),
      ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
      source: 'deploy',
    };
  }
  const target = findRollbackTarget(records, request.rollbackTo);
  if ('problem' in target) {
    const refusal = refused.find((r) => String(r.revision) === request.rollbackTo);
    throw new UserError(
      `cannot roll ${release} back to ${request.rollbackTo}: ${refusal ? `its history Secret ${refusal.secret} was refused: ${refusal.reason}` : target.problem}`,
      {
        hint: `list the history with: kubectl get secrets -n ${namespace} -l model-deploy.io/history-of=${release} -L model-deploy.io/revision`,
      },
    );
  }
  request.logger.info(
    `restoring revision ${target.revision} of ${release} (image ${target.image})`,
  );
  return {
    objects: target.manifests,
    image: target.image,
    ...(target.imageDigest ? { imageDigest: target.imageDigest } : {}),
    ...(target.modelVersion ? { modelVersion: target.modelVersion } : {}),
    source: `rollback to ${target.revision}`,
  };
}

/** The history record of a revision about to be applied. */
export function pendingRecord(
  request: ReleaseRequest,
  content: ReleaseContent,
  revision: number,
  hash: string,
  now = new Date(),
): ReleaseRecord {
  return {
    release: request.release,
    revision,
    result: 'pending',
    hash,
    image: content.image,
    time: now.toISOString(),
    source: content.source,
    manifests: content.objects,
    ...(content.imageDigest ? { imageDigest: content.imageDigest } : {}),
    ...(content.modelVersion ? { modelVersion: content.modelVersion } : {}),
    ...(request.gitSha ? { gitSha: request.gitSha } : {}),
    ...(request.actor ? { actor: request.actor } : {}),
    ...(request.runUrl ? { runUrl: request.runUrl } : {}),
  };
}

/** The release as it stands when the lock is held: its history and what it would apply. */
interface LockedRelease {
  store: ReleaseStore;
  records: ReleaseRecord[];
  serving: ReleaseRecord | undefined;
  objects: KubeObject[];
  kinds: ReturnType<typeof kindsOf>;
  /** The outcome before anything is applied. */
  base: ReleaseOutcome;
}

/** The release for a caller that already holds the release lock (the progressive strategies). */
export async function releaseLocked(
  client: KubeClient,
  request: ReleaseRequest,
): Promise<ReleaseOutcome> {
  const { logger, namespace, release } = request;
  const store = new ReleaseStore(client, namespace, release);
  const records = await store.list();
  for (const r of store.refused) {
    logger.warning(`ignoring the release history Secret ${r.secret}: ${r.reason}`, {
      title: 'release history',
    });
  }
  const serving = servingRevision(records);
  const content = releaseContent(request, records, store.refused);
  const { objects } = content;
  const hash = manifestsHash(objects);
  const locked: LockedRelease = {
    store,
    records,
    serving,
    objects,
    kinds: kindsOf([...objects, ...records.flatMap((r) => r.manifests)]),
    base: {
      status: 'deployed',
      image: content.image,
      applied: [],
      pruned: [],
      waitedMs: 0,
      objects,
      ...(serving ? { previousRevision: serving.revision, revision: serving.revision } : {}),
    },
  };
  if (request.dryRun) return dryRun(client, request, locked);
  if (serving && serving.hash === hash && clusterMatchesServing(records)) {
    logger.info(`${release} is unchanged since revision ${serving.revision}; nothing to apply`);
    return { ...locked.base, status: 'unchanged', objects: serving.manifests };
  }
  const revision = nextRevision(records);
  // Recorded as pending before anything is applied; the reads the apply
  // needs first go out meanwhile.
  const recorded = store.write(pendingRecord(request, content, revision, hash));
  recorded.catch(() => undefined);
  logger.info(`applying revision ${revision} of ${release} (${objects.length} objects)`);
  const outcome = await applyRevision(client, request, locked, revision, recorded);
  const { rollout } = outcome;
  if (rollout?.ok) {
    // Two different Secrets: recorded side by side.
    await Promise.all([
      store.setResult(revision, 'deployed'),
      serving ? store.setResult(serving.revision, 'superseded') : undefined,
    ]);
    // The history was read under the lock: with this revision it is within
    // the limit unless it was full already, and then it is trimmed.
    if (records.length + 1 > request.historyLimit) await store.trim(request.historyLimit, logger);
    return { ...outcome, status: 'deployed', revision };
  }
  return rolloutFailed(client, request, locked, outcome, revision);
}

async function dryRun(
  client: KubeClient,
  request: ReleaseRequest,
  { objects, kinds, base }: LockedRelease,
): Promise<ReleaseOutcome> {
  const { namespace, release } = request;
  if (!(await (request.namespaceRead ?? namespaceExists(client, namespace)))) {
    // The server cannot dry-run into a namespace that does not exist: everything would be new.
    request.logger.info(`namespace ${namespace} does not exist yet; the deploy would create it`);
    return { ...base, status: 'dry-run', diff: plannedCreates(objects) };
  }
  const strays = request.prune ? await findStrays(client, release, namespace, kinds, objects) : [];
  const diff = await diffRelease(client, objects, strays);
  return { ...base, status: 'dry-run', diff };
}

/** Applies the revision, prunes what it no longer has, and watches the rollout. */
async function applyRevision(
  client: KubeClient,
  request: ReleaseRequest,
  locked: LockedRelease,
  revision: number,
  recorded: Promise<void>,
): Promise<ReleaseOutcome> {
  const { objects, kinds } = locked;
  // Reads only, while the pending record is written: the Deployments' kept
  // deadlines (a rollback-to an earlier ReplicaSet meets the same kept
  // deadline as a restore) and the REST paths of every kind.
  const staleRead = deadlinesExceeded(client, objects);
  const discovered = discoverKinds(client, objects);
  // The release's objects outside this revision are looked for while it is
  // applied (the lock keeps other runs out, and the applies only touch
  // objects of the revision); they are deleted once it is applied.
  const straysFound = request.prune
    ? findStrays(client, request.release, request.namespace, kinds, objects)
    : Promise.resolve([]);
  straysFound.catch(() => undefined);
  // Nothing is applied unless the attempt is on record.
  await recorded;
  try {
    const staleDeadlines = await staleRead;
    await discovered;
    const applied = (await applyObjects(client, objects)).map(objectName);
    let pruned: string[] = [];
    if (request.prune) {
      const strays = await straysFound;
      await deleteObjects(client, strays, request.logger);
      pruned = strays.map(objectName);
    }
    const rollout = await watchAll(client, objects, request, staleDeadlines);
    return { ...locked.base, attemptedRevision: revision, applied, pruned, rollout };
  } catch (err) {
    await abandon(client, request, locked.store, revision, locked.serving, kinds, err);
    throw err;
  }
}

/** A failed rollout: recorded, and the serving revision restored when there is one to restore. */
async function rolloutFailed(
  client: KubeClient,
  request: ReleaseRequest,
  locked: LockedRelease,
  outcome: ReleaseOutcome,
  revision: number,
): Promise<ReleaseOutcome> {
  const { logger, release } = request;
  const { store, serving } = locked;
  const rollout = outcome.rollout as Extract<RolloutOutcome, { ok: false }>;
  const failure = {
    reason: rollout.reason,
    message: rollout.message,
    diagnosis: rollout.diagnosis,
  };
  await store.setResult(revision, 'failed', rollout.reason);
  logger.error(`${rollout.message}${rollout.diagnosis ? `\n${rollout.diagnosis}` : ''}`, {
    title: `rollout of ${release} failed: ${rollout.reason}`,
  });
  if (!request.rollbackOnFailure || !serving) {
    if (!serving)
      logger.warning(
        `there is no earlier revision of ${release} to restore; the failed revision stays applied`,
      );
    return { ...outcome, status: 'failed', failure };
  }
  await restoreServing(client, request, locked, serving, failure.reason);
  await store.setResult(revision, 'rolled-back', rollout.reason);
  await store.trim(request.historyLimit, logger);
  return {
    ...outcome,
    status: 'rolled-back',
    revision: serving.revision,
    image: serving.image,
    attemptedImage: outcome.image,
    objects: serving.manifests,
    failure,
  };
}

async function restoreServing(
  client: KubeClient,
  request: ReleaseRequest,
  { kinds }: LockedRelease,
  serving: ReleaseRecord,
  reason: string,
): Promise<void> {
  const { logger, release, namespace } = request;
  logger.info(`restoring revision ${serving.revision} of ${release}`);
  // The failed rollout may have left ProgressDeadlineExceeded on the
  // Deployments; the controller keeps it while the restored ReplicaSet comes
  // back, so the restore is judged without it.
  const staleDeadlines = await deadlinesExceeded(client, serving.manifests);
  await applyObjects(client, serving.manifests);
  if (request.prune) {
    const strays = await findStrays(client, release, namespace, kinds, serving.manifests);
    await deleteObjects(client, strays, logger);
  }
  const restored = await watchAll(client, serving.manifests, request, staleDeadlines);
  if (!restored.ok) {
    throw new UserError(
      `rollout of ${release} failed (${reason}) and restoring revision ${serving.revision} failed too (${restored.reason}): ${restored.message}`,
      { hint: 'the cluster needs a look: kubectl describe deployment and its pods' },
    );
  }
}

/**
 * The run failed part-way (the cluster refused, or stopped answering): put
 * the serving revision back where we can, and never leave the attempt
 * recorded as pending. Best effort: the original error is what the user sees.
 */
async function abandon(
  client: KubeClient,
  request: ReleaseRequest,
  store: ReleaseStore,
  revision: number,
  serving: ReleaseRecord | undefined,
  kinds: ReturnType<typeof kindsOf>,
  err: unknown,
): Promise<void> {
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  let restored = false;
  if (request.rollbackOnFailure && serving) {
    try {
      await applyObjects(client, serving.manifests);
      if (request.prune) {
        const strays = await findStrays(
          client,
          request.release,
          request.namespace,
          kinds,
          serving.manifests,
        );
        await deleteObjects(client, strays, request.logger);
      }
      restored = true;
      request.logger.info(`restored revision ${serving.revision} of ${request.release}`);
    } catch (restoreErr) {
      request.logger.warning(
        `could not restore revision ${serving.revision} of ${request.release}: ${(restoreErr as Error).message}`,
      );
    }
  }
  try {
    await store.setResult(revision, restored ? 'rolled-back' : 'failed', reason);
  } catch (recordErr) {
    request.logger.warning(
      `could not record revision ${revision} as failed: ${(recordErr as Error).message}`,
    );
  }
}

/** lastUpdateTime of each Deployment's ProgressDeadlineExceeded condition, by name. */
async function deadlinesExceeded(
  client: KubeClient,
  objects: KubeObject[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    try {
      const live = await client.call(({ apps }) =>
        apps.readNamespacedDeployment({
          name: d.metadata.name,
          namespace: d.metadata.namespace ?? '',
        }),
      );
      const progressing = live.status?.conditions?.find((c) => c.type === 'Progressing');
      if (progressing?.reason === 'ProgressDeadlineExceeded' && progressing.lastUpdateTime) {
        found.set(d.metadata.name, new Date(progressing.lastUpdateTime).toISOString());
      }
    } catch {
      // Not there (pruned, or never created): nothing stale to ignore.
    }
  }
  return found;
}

/** The most a rollout waits for its Services to leave the previous pods, past the rollout itself. */
const TRAFFIC_WAIT_MS = 30_000;

async function watchAll(
  client: KubeClient,
  objects: KubeObject[],
  request: ReleaseRequest,
  staleDeadlines: Map<string, string> = new Map(),
): Promise<RolloutOutcome> {
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const started = Date.now();
  let last: RolloutOutcome = {
    ok: true,
    message: 'nothing to roll out',
    durationMs: 0,
    readyReplicas: 0,
  };
  let ready = 0;
  for (const deployment of deployments) {
    const remaining = Math.max(1000, request.timeoutMs - (Date.now() - started));
    last = await watchRollout(client, {
      namespace: deployment.metadata.namespace ?? request.namespace,
      deployment: deployment.metadata.name,
      timeoutMs: remaining,
      logger: request.logger,
      ...(staleDeadlines.has(deployment.metadata.name)
        ? { staleDeadline: staleDeadlines.get(deployment.metadata.name) }
        : {}),
      ...(request.pollMs !== undefined ? { pollMs: request.pollMs } : {}),
      ...(request.hopelessAfterMs !== undefined
        ? { hopelessAfterMs: request.hopelessAfterMs }
        : {}),
    });
    if (!last.ok) return { ...last, durationMs: Date.now() - started };
    await confirmRevisionTraffic(client, objects, deployment, last, {
      namespace: request.namespace,
      logger: request.logger,
      timeoutMs: Math.min(
        TRAFFIC_WAIT_MS,
        Math.max(1000, request.timeoutMs - (Date.now() - started)),
      ),
    });
    ready += last.readyReplicas;
  }
  return last.ok ? { ...last, durationMs: Date.now() - started, readyReplicas: ready } : last;
}
