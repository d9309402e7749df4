import { createHash } from 'node:crypto';
import { now, type ClusterApi } from '../api.ts';
import { canonicalJson, type JsonObject } from '../schema.ts';
import type { EventRecorder } from './events.ts';
import { controllerRef, isControlledBy, isTerminating, nameOf, namespaceOf } from './owners.ts';

/**
 * Deployment controller: one ReplicaSet per pod template (named with its
 * pod-template-hash), revisions, RollingUpdate within maxSurge/maxUnavailable
 * or Recreate, revisionHistoryLimit, and the status and conditions that
 * `kubectl rollout status` reads.
 */
const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const HASH_LABEL = 'pod-template-hash';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Annotations that stay on the Deployment and are not copied to its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED,
  MAX_REPLICAS,
]);

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const digest = createHash('sha256')
    .update(canonicalJson(template))
    .update(String(collisionCount))
    .digest();
  const decimal = String(digest.readUInt32BE(0));
  return [...decimal].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

function withoutHash(template: unknown): string {
  const copy = structuredClone(template ?? {}) as JsonObject;
  const labels = ((copy.metadata ?? {}) as JsonObject).labels as JsonObject | undefined;
  if (labels) delete labels[HASH_LABEL];
  return canonicalJson(copy);
}

function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const scaled = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 0;
}

function revisionOf(rs: JsonObject): number {
  return Number((((rs.metadata as JsonObject).annotations ?? {}) as JsonObject)[REVISION] ?? 0);
}

const replicasOf = (rs: JsonObject) => Number((rs.spec as JsonObject).replicas ?? 0);
const statusNumber = (o: JsonObject, field: string) =>
  Number(((o.status ?? {}) as JsonObject)[field] ?? 0);

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

function setCondition(
  conditions: Condition[],
  next: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>,
  touch: boolean,
): void {
  const index = conditions.findIndex((c) => c.type === next.type);
  const current = conditions[index];
  const timestamp = now();
  if (current && current.status === next.status && current.reason === next.reason && !touch) {
    current.message = next.message;
    return;
  }
  const condition: Condition = {
    ...next,
    lastUpdateTime: timestamp,
    lastTransitionTime:
      current && current.status === next.status ? current.lastTransitionTime : timestamp,
  };
  if (index >= 0) conditions[index] = condition;
  else conditions.push(condition);
}

export function reconcileDeployments(api: ClusterApi, events: EventRecorder): void {
  const deployType = api.type('apps', 'Deployment');
  const rsType = api.type('apps', 'ReplicaSet');
  for (const d of api.scan(deployType, undefined)) {
    if (isTerminating(d)) continue;
    reconcileOne(api, events, deployType, rsType, d);
  }
}

function reconcileOne(
  api: ClusterApi,
  events: EventRecorder,
  deployType: ReturnType<ClusterApi['type']>,
  rsType: ReturnType<ClusterApi['type']>,
  d: JsonObject,
): void {
  const namespace = namespaceOf(d);
  const name = nameOf(d);
  const meta = d.metadata as JsonObject;
  const spec = d.spec as JsonObject;
  const replicas = Number(spec.replicas ?? 1);
  const template = spec.template as JsonObject;
  let all = api.scan(rsType, namespace).filter((rs) => isControlledBy(rs, d));
  let newRs = all.find(
    (rs) => withoutHash((rs.spec as JsonObject).template) === withoutHash(template),
  );
  const olds = () => all.filter((rs) => rs !== newRs);
  const maxOldRevision = Math.max(0, ...olds().map(revisionOf));
  const deploymentAnnotations = Object.fromEntries(
    Object.entries((meta.annotations ?? {}) as Record<string, string>).filter(
      ([k]) => !NOT_COPIED.has(k),
    ),
  );
  const strategy = (spec.strategy ?? {}) as JsonObject;
  const rolling = (strategy.rollingUpdate ?? {}) as JsonObject;
  const isRolling = strategy.type !== 'Recreate';
  let maxSurge = isRolling ? resolveIntOrPercent(rolling.maxSurge ?? '25%', replicas, true) : 0;
  let maxUnavailable = isRolling
    ? resolveIntOrPercent(rolling.maxUnavailable ?? '25%', replicas, false)
    : replicas;
  if (isRolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  maxSurge = Math.max(0, maxSurge);
  const conditions = structuredClone(
    (((d.status ?? {}) as JsonObject).conditions ?? []) as Condition[],
  );
  let rolloutStarted = false;

  if (!newRs && !spec.paused) {
    const hash = podTemplateHash(template);
    const rsTemplate = structuredClone(template);
    const templateMeta = (rsTemplate.metadata ??= {}) as JsonObject;
    templateMeta.labels = { ...((templateMeta.labels ?? {}) as JsonObject), [HASH_LABEL]: hash };
    const selector = structuredClone(spec.selector as JsonObject);
    selector.matchLabels = { ...((selector.matchLabels ?? {}) as JsonObject), [HASH_LABEL]: hash };
    const rsName = `${name}-${hash}`;
    const existing = api.tryGet(rsType, namespace, rsName);
    if (existing) api.deleteIfPresent(rsType, namespace, rsName);
    newRs = api.create(
      rsType,
      namespace,
      {
        metadata: {
          name: rsName,
          namespace,
          labels: templateMeta.labels,
          annotations: {
            ...deploymentAnnotations,
            [REVISION]: String(maxOldRevision + 1),
            [DESIRED]: String(replicas),
            [MAX_REPLICAS]: String(replicas + maxSurge),
          },
          ownerReferences: [controllerRef(d)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: spec.minReadySeconds ?? 0,
          selector,
          template: rsTemplate,
        },
      },
      { manager: 'kube-controller-manager' },
    );
    all = [...all, newRs];
    rolloutStarted = true;
    setCondition(
      conditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetCreated',
        message: `Created new replica set "${rsName}"`,
      },
      true,
    );
  } else if (newRs && revisionOf(newRs) <= maxOldRevision) {
    // A rollback to an older template: its ReplicaSet becomes the newest revision again.
    const oldRevision = String(revisionOf(newRs));
    newRs =
      api.mutate(rsType, namespace, nameOf(newRs), (rs) => {
        const annotations = ((rs.metadata as JsonObject).annotations ??= {}) as JsonObject;
        const history = annotations[REVISION_HISTORY]
          ? `${String(annotations[REVISION_HISTORY])},${oldRevision}`
          : oldRevision;
        Object.assign(annotations, deploymentAnnotations, {
          [REVISION]: String(maxOldRevision + 1),
          [REVISION_HISTORY]: history,
        });
      }) ?? newRs;
    all = all.map((rs) => (nameOf(rs) === nameOf(newRs!) ? newRs! : rs));
    rolloutStarted = true;
    setCondition(
      conditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `ReplicaSet "${nameOf(newRs)}" is progressing.`,
      },
      true,
    );
  } else if (newRs) {
    const annotations = ((newRs.metadata as JsonObject).annotations ?? {}) as JsonObject;
    const missing = Object.entries(deploymentAnnotations).some(([k, v]) => annotations[k] !== v);
    if (missing) {
      newRs =
        api.mutate(rsType, namespace, nameOf(newRs), (rs) => {
          Object.assign(
            ((rs.metadata as JsonObject).annotations ??= {}) as JsonObject,
            deploymentAnnotations,
          );
        }) ?? newRs;
      all = all.map((rs) => (nameOf(rs) === nameOf(newRs!) ? newRs! : rs));
    }
  }

  const scale = (rs: JsonObject, to: number) => {
    const from = replicasOf(rs);
    if (from === to) return rs;
    const updated = api.mutate(rsType, namespace, nameOf(rs), (o) => {
      (o.spec as JsonObject).replicas = to;
      const annotations = ((o.metadata as JsonObject).annotations ??= {}) as JsonObject;
      annotations[DESIRED] = String(replicas);
      annotations[MAX_REPLICAS] = String(replicas + maxSurge);
    });
    events.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${to > from ? 'up' : 'down'} replica set ${nameOf(rs)} from ${from} to ${to}`,
      'deployment-controller',
    );
    const result = updated ?? rs;
    all = all.map((r) => (nameOf(r) === nameOf(rs) ? result : r));
    if (newRs && nameOf(newRs) === nameOf(rs)) newRs = result;
    return result;
  };

  // Scale only on ReplicaSet statuses that have caught up with their spec, or stale
  // availability would let old pods go before new ones are ready.
  const synced = all.every(
    (rs) =>
      Number(((rs.status ?? {}) as JsonObject).observedGeneration ?? 0) >=
      Number((rs.metadata as JsonObject).generation ?? 1),
  );
  if (newRs && !spec.paused && synced) {
    if (!isRolling) {
      for (const old of olds()) if (replicasOf(old) > 0) scale(old, 0);
      const oldPods = olds().reduce((n, rs) => n + statusNumber(rs, 'replicas'), 0);
      if (oldPods === 0) scale(newRs, replicas);
    } else {
      const newReplicas = replicasOf(newRs);
      if (newReplicas > replicas) scale(newRs, replicas);
      else if (newReplicas < replicas) {
        const current = all.reduce((n, rs) => n + replicasOf(rs), 0);
        const room = replicas + maxSurge - current;
        if (room > 0) scale(newRs, newReplicas + Math.min(room, replicas - newReplicas));
      }
      scaleDownOld();
    }
  }

  function scaleDownOld(): void {
    const oldCount = olds().reduce((n, rs) => n + replicasOf(rs), 0);
    if (oldCount === 0 || !newRs) return;
    const allCount = all.reduce((n, rs) => n + replicasOf(rs), 0);
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = replicasOf(newRs) - statusNumber(newRs, 'availableReplicas');
    let budget = allCount - minAvailable - newUnavailable;
    if (budget <= 0) return;
    const byAge = olds().sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of byAge) {
      if (budget <= 0) break;
      const unhealthy = replicasOf(rs) - statusNumber(rs, 'availableReplicas');
      const cut = Math.min(budget, unhealthy);
      if (cut > 0) {
        scale(rs, replicasOf(rs) - cut);
        budget -= cut;
      }
    }
    const available = all.reduce((n, rs) => n + statusNumber(rs, 'availableReplicas'), 0);
    let removable = available - minAvailable;
    for (const rs of olds().sort((a, b) => revisionOf(a) - revisionOf(b))) {
      if (removable <= 0) break;
      const cut = Math.min(replicasOf(rs), removable);
      if (cut > 0) {
        scale(rs, replicasOf(rs) - cut);
        removable -= cut;
      }
    }
  }

  const limit = Number(spec.revisionHistoryLimit ?? 10);
  const idle = olds()
    .filter((rs) => replicasOf(rs) === 0 && statusNumber(rs, 'replicas') === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    api.deleteIfPresent(rsType, namespace, nameOf(rs));
    all = all.filter((r) => r !== rs);
  }

  const previous = (d.status ?? {}) as JsonObject;
  const sum = (field: string) => all.reduce((n, rs) => n + statusNumber(rs, field), 0);
  const status: JsonObject = {
    observedGeneration: meta.generation,
    replicas: sum('replicas'),
    updatedReplicas: newRs ? statusNumber(newRs, 'replicas') : 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
    unavailableReplicas: Math.max(0, replicas - sum('availableReplicas')),
  };
  const available = Number(status.availableReplicas) >= replicas - maxUnavailable;
  setCondition(
    conditions,
    available
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    false,
  );
  const rsName = newRs ? nameOf(newRs) : name;
  if (spec.paused) {
    setCondition(
      conditions,
      {
        type: 'Progressing',
        status: 'Unknown',
        reason: 'DeploymentPaused',
        message: 'Deployment is paused',
      },
      false,
    );
  } else if (spec.progressDeadlineSeconds !== undefined && newRs) {
    const complete =
      status.updatedReplicas === replicas &&
      status.replicas === replicas &&
      status.availableReplicas === replicas;
    const progressed =
      Number(status.updatedReplicas) > Number(previous.updatedReplicas ?? 0) ||
      Number(status.readyReplicas) > Number(previous.readyReplicas ?? 0) ||
      Number(status.availableReplicas) > Number(previous.availableReplicas ?? 0) ||
      Number(status.replicas) - Number(status.updatedReplicas) <
        Number(previous.replicas ?? 0) - Number(previous.updatedReplicas ?? 0);
    const current = conditions.find((c) => c.type === 'Progressing');
    if (complete) {
      setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
        false,
      );
    } else if (progressed && !rolloutStarted) {
      setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        true,
      );
    } else if (!current) {
      setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        true,
      );
    } else if (current.status === 'True' && current.reason !== 'NewReplicaSetAvailable') {
      const deadline =
        Date.parse(current.lastUpdateTime) + Number(spec.progressDeadlineSeconds) * 1000;
      if (Date.now() > deadline) {
        setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${rsName}" has timed out progressing.`,
          },
          false,
        );
        events.record(
          d,
          'Warning',
          'ProgressDeadlineExceeded',
          `Deployment "${name}" has timed out progressing.`,
          'deployment-controller',
        );
      }
    } else if (current.reason === 'NewReplicaSetAvailable' && !rolloutStarted) {
      setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        true,
      );
    }
  }
  status.conditions = conditions.sort((a, b) =>
    a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0,
  );
  for (const field of [
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
  ]) {
    if (status[field] === 0 && field !== 'replicas') delete status[field];
  }
  if (!status.replicas) delete status.replicas;
  if (newRs) {
    const revision = String(revisionOf(newRs));
    const annotations = (meta.annotations ?? {}) as JsonObject;
    if (annotations[REVISION] !== revision) {
      api.mutate(deployType, namespace, name, (o) => {
        ((o.metadata as JsonObject).annotations ??= {}) as JsonObject;
        ((o.metadata as JsonObject).annotations as JsonObject)[REVISION] = revision;
      });
    }
  }
  api.writeStatus(deployType, namespace, name, status, 'kube-controller-manager');
}
