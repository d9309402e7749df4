/**
 * Why pods are not becoming ready, in words a user can act on: the waiting
 * reason, the last termination (exit code, OOMKilled), unschedulable pods and
 * the newest warning events.
 */

type Timestamp = string | Date | undefined;

export interface PodState {
  metadata?: { name?: string; labels?: Record<string, string> };
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    containerStatuses?: ContainerState[];
    initContainerStatuses?: ContainerState[];
  };
}

interface ContainerState {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: {
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
}

export interface EventState {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  lastTimestamp?: Timestamp;
  eventTime?: Timestamp;
  metadata?: { creationTimestamp?: Timestamp };
}

/** A waiting reason that will not fix itself; the rollout can fail without waiting for its deadline. */
const HOPELESS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export interface PodProblem {
  pod: string;
  container?: string;
  /** ImagePullBackOff, CrashLoopBackOff, OOMKilled, Unschedulable, … */
  reason: string;
  detail: string;
  /** True when waiting longer will not help. */
  hopeless: boolean;
}

export function podProblems(pods: PodState[]): PodProblem[] {
  const problems: PodProblem[] = [];
  for (const pod of pods) {
    const podName = pod.metadata?.name ?? '?';
    const unschedulable = pod.status?.conditions?.find(
      (c) => c.type === 'PodScheduled' && c.status === 'False',
    );
    if (unschedulable) {
      problems.push({
        pod: podName,
        reason: unschedulable.reason ?? 'Unschedulable',
        detail: unschedulable.message ?? 'no node can run this pod',
        hopeless: false,
      });
      continue;
    }
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    for (const c of statuses) {
      const waiting = c.state?.waiting;
      const last = c.lastState?.terminated ?? c.state?.terminated;
      if (
        waiting?.reason &&
        waiting.reason !== 'ContainerCreating' &&
        waiting.reason !== 'PodInitializing'
      ) {
        const parts = [waiting.message].filter(Boolean) as string[];
        if (last) parts.push(describeTermination(last, c.restartCount));
        problems.push({
          pod: podName,
          container: c.name,
          reason: waiting.reason,
          detail: parts.join('; ') || waiting.reason,
          hopeless: HOPELESS.has(waiting.reason),
        });
      } else if (last && !c.ready && (last.reason === 'OOMKilled' || (last.exitCode ?? 0) !== 0)) {
        problems.push({
          pod: podName,
          container: c.name,
          reason: last.reason ?? 'Error',
          detail: describeTermination(last, c.restartCount),
          hopeless: false,
        });
      }
    }
  }
  return problems;
}

function describeTermination(
  t: { reason?: string; exitCode?: number; message?: string },
  restarts: number | undefined,
): string {
  const parts = [`last exit: ${t.reason ?? 'Error'} (exit code ${t.exitCode ?? '?'})`];
  if (restarts) parts.push(`${restarts} restart${restarts === 1 ? '' : 's'}`);
  if (t.message) parts.push(t.message.trim().split('\n').slice(-5).join(' | '));
  return parts.join(', ');
}

function time(e: EventState): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  if (t === undefined) return 0;
  return t instanceof Date ? t.getTime() : Date.parse(t);
}

/** The newest warning events about these pods (or their ReplicaSets), newest first. */
export function recentWarnings(events: EventState[], objectNames: string[], limit = 5): string[] {
  const names = new Set(objectNames);
  return events
    .filter((e) => e.type === 'Warning' && names.has(e.involvedObject?.name ?? ''))
    .sort((a, b) => time(b) - time(a))
    .slice(0, limit)
    .map(
      (e) =>
        `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}: ${e.reason ?? ''}: ${e.message ?? ''}`,
    );
}

/** One line per distinct problem, for the log, the annotation and the summary. */
export function summariseProblems(problems: PodProblem[]): string {
  const seen = new Map<string, PodProblem[]>();
  for (const p of problems) {
    const key = `${p.reason}\u0000${p.container ?? ''}`;
    seen.set(key, [...(seen.get(key) ?? []), p]);
  }
  return [...seen.values()]
    .map((group) => {
      const first = group[0] as PodProblem;
      const who = group.length === 1 ? `pod ${first.pod}` : `${group.length} pods`;
      return `${first.reason}: ${who}${first.container ? ` (container ${first.container})` : ''}: ${first.detail}`;
    })
    .join('\n');
}
