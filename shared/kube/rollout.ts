import type { Logger } from '../common/logger.ts';
import { plain } from './apply.ts';
import type { KubeClient } from './client.ts';
import { kubeFailure } from './client.ts';
import { changeSignal, type ChangeSignal } from './change-signal.ts';
import {
  podProblems,
  recentWarnings,
  summariseProblems,
  type EventState,
  type PodProblem,
  type PodState,
} from './diagnose.ts';
import { evaluateRollout, type DeploymentState } from './rollout-status.ts';

export interface RolloutOptions {
  namespace: string;
  deployment: string;
  timeoutMs: number;
  /** How often to look; the progress line is printed when it changes. */
  pollMs?: number;
  /**
   * A pod stuck in ImagePullBackOff or CrashLoopBackOff for this long fails
   * the rollout without waiting for the whole timeout.
   */
  hopelessAfterMs?: number;
  /** See EvaluateOptions.staleDeadline: a deadline condition left from before this rollout. */
  staleDeadline?: string;
  logger: Logger;
}

export type RolloutOutcome =
  | {
      ok: true;
      message: string;
      durationMs: number;
      readyReplicas: number;
      /** The pod-template-hash of the ReplicaSet the rollout ended on, when there is one. */
      podTemplateHash?: string;
    }
  | {
      ok: false;
      reason: string;
      message: string;
      /** Pod problems and recent warning events, one per line. */
      diagnosis: string;
      durationMs: number;
    };

interface Snapshot {
  deployment: DeploymentState & { spec?: { selector?: { matchLabels?: Record<string, string> } } };
  pods: PodState[];
  objectNames: string[];
  podTemplateHash: string | undefined;
}

/**
 * Waits for a Deployment the way `kubectl rollout status` does, printing a
 * progress line as replicas move, and explains a failure from the pods of the
 * new ReplicaSet.
 */
export async function watchRollout(
  client: KubeClient,
  options: RolloutOptions,
): Promise<RolloutOutcome> {
  const started = Date.now();
  // Woken as soon as the Deployment changes, as kubectl's watch is.
  const changes = changeSignal(
    client,
    `/apis/apps/v1/namespaces/${encodeURIComponent(options.namespace)}/deployments`,
    { fieldSelector: `metadata.name=${options.deployment}`, timeoutSeconds: 600 },
  );
  try {
    return await watchLoop(client, options, changes, started);
  } finally {
    changes.stop();
  }
}

async function watchLoop(
  client: KubeClient,
  options: RolloutOptions,
  changes: ChangeSignal,
  started: number,
): Promise<RolloutOutcome> {
  const pollMs = options.pollMs ?? 1000;
  // Most rollouts of a model server settle in a few seconds: look every 200 ms
  // for the first 10 s (sooner when the Deployment changes), then back off to
  // pollMs so a long rollout does not hammer the API.
  let intervalMs = Math.min(200, pollMs);
  const hopelessAfterMs = options.hopelessAfterMs ?? 30_000;
  const hopelessSince = new Map<string, number>();
  let lastLine = '';
  const known: { selector?: string } = {};
  for (;;) {
    const snapshot = await observe(client, options, known);
    const verdict = evaluateRollout(
      snapshot.deployment,
      options.staleDeadline !== undefined ? { staleDeadline: options.staleDeadline } : {},
    );
    const elapsed = Date.now() - started;
    if (verdict.state === 'complete') {
      options.logger.info(`rollout of ${options.deployment} complete: ${verdict.message}`);
      return {
        ok: true,
        message: verdict.message,
        durationMs: elapsed,
        readyReplicas: snapshot.deployment.status?.readyReplicas ?? 0,
        ...(snapshot.podTemplateHash ? { podTemplateHash: snapshot.podTemplateHash } : {}),
      };
    }
    const problems = podProblems(snapshot.pods);
    if (verdict.state === 'failed') {
      return failure(client, options, snapshot, problems, verdict.reason, verdict.message, elapsed);
    }
    const now = Date.now();
    const stuck: PodProblem[] = [];
    for (const p of problems.filter((x) => x.hopeless)) {
      const key = `${p.pod}/${p.container ?? ''}/${p.reason}`;
      const since = hopelessSince.get(key) ?? now;
      hopelessSince.set(key, since);
      if (now - since >= hopelessAfterMs) stuck.push(p);
    }
    if (stuck.length > 0) {
      const first = stuck[0] as PodProblem;
      return failure(
        client,
        options,
        snapshot,
        problems,
        first.reason,
        `pods of ${options.deployment} are stuck in ${first.reason}`,
        elapsed,
      );
    }
    if (elapsed >= options.timeoutMs) {
      return failure(
        client,
        options,
        snapshot,
        problems,
        'Timeout',
        `rollout of ${options.deployment} did not finish within ${Math.round(options.timeoutMs / 1000)}s`,
        elapsed,
      );
    }
    const line = `${verdict.message}${problems.length ? ` (${[...new Set(problems.map((p) => p.reason))].join(', ')})` : ''}`;
    if (line !== lastLine) {
      options.logger.info(`[${Math.round(elapsed / 1000)}s] ${options.deployment}: ${line}`);
      lastLine = line;
    }
    await changes.wait(Math.min(intervalMs, Math.max(0, options.timeoutMs - elapsed) + 10));
    if (Date.now() - started >= FAST_POLL_MS) intervalMs = Math.min(pollMs, intervalMs * 2);
  }
}

/** How long a rollout is looked at every 200 ms before the reads back off. */
const FAST_POLL_MS = 10_000;

/**
 * A Deployment's selector cannot change (apps/v1 refuses the update), so once
 * the first snapshot has read it, the Deployment, its ReplicaSets and its pods
 * are read side by side: one round trip per look instead of three.
 */
async function observe(
  client: KubeClient,
  options: RolloutOptions,
  known: { selector?: string },
): Promise<Snapshot> {
  try {
    // A snapshot is reads only: on a passing fault, take it again whole.
    return await client.call(async ({ apps, core }) => {
      const readDeployment = async () =>
        plain(
          await apps.readNamespacedDeployment({
            name: options.deployment,
            namespace: options.namespace,
          }),
        ) as Snapshot['deployment'];
      const listBy = (selector: string) =>
        Promise.all([
          apps.listNamespacedReplicaSet({ namespace: options.namespace, labelSelector: selector }),
          core.listNamespacedPod({ namespace: options.namespace, labelSelector: selector }),
        ]);
      let deployment: Snapshot['deployment'];
      let lists: Awaited<ReturnType<typeof listBy>>;
      if (known.selector === undefined) {
        deployment = await readDeployment();
        known.selector = selectorOf(deployment);
        lists = await listBy(known.selector);
      } else {
        [deployment, lists] = await Promise.all([readDeployment(), listBy(known.selector)]);
      }
      return snapshotOf(options, deployment, lists[0].items.map(plain), lists[1].items.map(plain));
    });
  } catch (err) {
    throw kubeFailure(
      `watching the rollout of ${options.deployment}`,
      err,
      client.connection.displayName,
    );
  }
}

function selectorOf(deployment: Snapshot['deployment']): string {
  return Object.entries(deployment.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

interface ReplicaSetState {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** The snapshot's pods are those of the Deployment's newest ReplicaSet (all of them before it has one). */
function snapshotOf(
  options: RolloutOptions,
  deployment: Snapshot['deployment'],
  replicaSets: ReplicaSetState[],
  allPods: PodState[],
): Snapshot {
  const revision = (deployment as { metadata?: { annotations?: Record<string, string> } }).metadata
    ?.annotations?.['deployment.kubernetes.io/revision'];
  const newest = replicaSets.find(
    (rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision,
  );
  const hash = newest?.metadata.labels?.['pod-template-hash'];
  const pods = hash
    ? allPods.filter((p) => p.metadata?.labels?.['pod-template-hash'] === hash)
    : allPods;
  const objectNames = [
    options.deployment,
    ...(newest ? [newest.metadata.name] : []),
    ...pods.map((p) => p.metadata?.name ?? ''),
  ];
  return { deployment, pods, objectNames, podTemplateHash: hash };
}

async function failure(
  client: KubeClient,
  options: RolloutOptions,
  snapshot: Snapshot,
  problems: PodProblem[],
  reason: string,
  message: string,
  durationMs: number,
): Promise<RolloutOutcome> {
  let warnings: string[] = [];
  try {
    const list = await client.call(({ core }) =>
      core.listNamespacedEvent({ namespace: options.namespace }),
    );
    const events = list.items.map((e) => plain(e) as EventState);
    warnings = recentWarnings(events, snapshot.objectNames);
  } catch {
    // Events only add detail; the pod states already explain the failure.
  }
  const lines = [summariseProblems(problems), ...warnings.map((w) => `event: ${w}`)].filter(
    (l) => l !== '',
  );
  // The most telling reason: the pods' own, when the deadline was only the symptom.
  const podReason = problems[0]?.reason;
  return {
    ok: false,
    reason:
      reason === 'ProgressDeadlineExceeded' || reason === 'Timeout'
        ? podReason
          ? `${reason} (${podReason})`
          : reason
        : reason,
    message,
    diagnosis: lines.join('\n'),
    durationMs,
  };
}
