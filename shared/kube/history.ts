import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from './objects.ts';
import { FIELD_MANAGER, labelForRelease, MANAGED_BY_LABEL } from './objects.ts';

/**
 * Release history lives in the cluster, one Secret per revision, so any
 * runner (or a human with kubectl) sees the same history and `rollback-to`
 * can restore exactly what a revision applied. The history Secrets carry
 * their own label, not the release label, so prune never touches them.
 */

/**
 * `rolled-back`: the revision failed and the one serving before it was
 * restored; `failed`: it failed and stayed applied (rollback-on-failure off,
 * or nothing to restore).
 */
export type ReleaseResult = 'pending' | 'deployed' | 'failed' | 'rolled-back' | 'superseded';

export interface ReleaseRecord {
  release: string;
  revision: number;
  result: ReleaseResult;
  /** Hash of the rendered manifests; equal hashes mean nothing changed. */
  hash: string;
  image: string;
  imageDigest?: string;
  modelVersion?: string;
  gitSha?: string;
  actor?: string;
  runUrl?: string;
  /** ISO time the revision was applied. */
  time: string;
  /** What made it: a deploy, or `rollback to N`. */
  source: string;
  /** Why it failed, for failed revisions. */
  reason?: string;
  manifests: KubeObject[];
}

export const HISTORY_LABEL = 'model-deploy.io/history-of';
export const HISTORY_TYPE = 'model-deploy.io/release.v1';
const ANNOTATION = 'model-deploy.io/';

export function historySecretName(release: string, revision: number): string {
  return `model-deploy.${release}.v${revision}`;
}

export function historySelector(release: string): string {
  return `${HISTORY_LABEL}=${release}`;
}

const FIELDS = [
  'result',
  'hash',
  'image',
  'imageDigest',
  'modelVersion',
  'gitSha',
  'actor',
  'runUrl',
  'time',
  'source',
  'reason',
] as const;

function annotationKey(field: string): string {
  return ANNOTATION + field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function encodeRecord(record: ReleaseRecord, namespace: string): KubeObject {
  const annotations: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = record[field];
    if (value !== undefined) annotations[annotationKey(field)] = String(value);
  }
  const manifests = gzipSync(Buffer.from(JSON.stringify(record.manifests), 'utf8'));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: HISTORY_TYPE,
    metadata: {
      name: historySecretName(record.release, record.revision),
      namespace,
      labels: {
        [MANAGED_BY_LABEL]: FIELD_MANAGER,
        [HISTORY_LABEL]: record.release,
        'model-deploy.io/revision': String(record.revision),
      },
      annotations,
    },
    data: { manifests: manifests.toString('base64') },
  };
}

interface SecretLike {
  type?: string;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/** A Secret holds at most 1 MiB; its manifests may unpack to this much and no more. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * The kinds a restore applies: the namespaced objects a model release is made
 * of. A record is only as trustworthy as whoever can write Secrets in the
 * namespace, so it cannot bring cluster-scoped objects or other namespaces.
 */
export const RESTORABLE_KINDS = new Set([
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Ingress',
  'HTTPRoute',
  'GRPCRoute',
  'VirtualService',
  'DestinationRule',
  'Mapping',
  'ServiceMonitor',
  'PodMonitor',
]);

/** Why these stored manifests cannot be restored into the namespace, or undefined when they can. */
export function unrestorable(manifests: unknown, namespace: string): string | undefined {
  if (!Array.isArray(manifests)) return 'its manifests are not a list';
  for (const [i, item] of manifests.entries()) {
    const object = item as Partial<KubeObject> | null;
    const name = object?.metadata?.name;
    if (
      object === null ||
      typeof object !== 'object' ||
      typeof object.apiVersion !== 'string' ||
      typeof object.kind !== 'string' ||
      typeof name !== 'string'
    ) {
      return `manifest ${i + 1} is not a Kubernetes object`;
    }
    if (!RESTORABLE_KINDS.has(object.kind)) {
      return `it holds a ${object.kind.slice(0, 60)}, which a restore does not apply (it applies ${[...RESTORABLE_KINDS].join(', ')})`;
    }
    const where = object.metadata?.namespace;
    if (where !== undefined && where !== namespace) {
      return `it holds ${object.kind}/${name.slice(0, 60)} in namespace ${String(where).slice(0, 60)}, not ${namespace}`;
    }
  }
  return undefined;
}

/**
 * A history Secret back into a record, refusing anything this release did
 * not write: another type or release, a bad revision, manifests that unpack
 * beyond the cap, or objects a restore must not apply.
 */
export function decodeRecord(
  secret: SecretLike,
  expected: { release: string; namespace: string },
): ReleaseRecord {
  const labels = secret.metadata?.labels ?? {};
  const annotations = secret.metadata?.annotations ?? {};
  const release = labels[HISTORY_LABEL];
  const revision = Number(labels['model-deploy.io/revision']);
  const data = secret.data?.manifests;
  if (secret.type !== HISTORY_TYPE) {
    throw new Error(`it is of type ${String(secret.type).slice(0, 60)}, not ${HISTORY_TYPE}`);
  }
  if (release !== expected.release) throw new Error(`it belongs to release ${release}`);
  if (!Number.isInteger(revision) || revision < 1) throw new Error('it has no revision number');
  if (data === undefined) throw new Error('it has no manifests');
  let manifests: unknown;
  try {
    manifests = JSON.parse(
      gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_RECORD_BYTES }).toString(
        'utf8',
      ),
    );
  } catch (err) {
    throw new Error(
      (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
        ? `its manifests unpack to more than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`
        : 'its manifests are not gzipped JSON',
      { cause: err },
    );
  }
  const problem = unrestorable(manifests, expected.namespace);
  if (problem !== undefined) throw new Error(problem);
  const record: Record<string, unknown> = {
    release,
    revision,
    // Relabelled as this release's, in its namespace, whatever the stored copy says.
    manifests: labelForRelease(manifests as KubeObject[], release, expected.namespace),
  };
  for (const field of FIELDS) {
    const value = annotations[annotationKey(field)];
    if (value !== undefined) record[field] = value;
  }
  return record as unknown as ReleaseRecord;
}

/** The annotation patch that changes a stored revision's result. */
export function resultAnnotations(result: ReleaseResult, reason?: string): Record<string, string> {
  return {
    [annotationKey('result')]: result,
    ...(reason === undefined ? {} : { [annotationKey('reason')]: reason }),
  };
}

/** The revision serving now: the newest that deployed successfully. */
export function servingRevision(records: ReleaseRecord[]): ReleaseRecord | undefined {
  return [...records].sort((a, b) => b.revision - a.revision).find((r) => r.result === 'deployed');
}

export function nextRevision(records: ReleaseRecord[]): number {
  return records.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/**
 * The cluster runs exactly the serving revision's manifests: nothing applied
 * after it stayed (every later attempt was rolled back).
 */
export function clusterMatchesServing(records: ReleaseRecord[]): boolean {
  const serving = servingRevision(records);
  if (!serving) return false;
  return records.every((r) => r.revision <= serving.revision || r.result === 'rolled-back');
}

/** Revisions to delete to keep at most `limit`, never the one serving. */
export function revisionsBeyondLimit(records: ReleaseRecord[], limit: number): number[] {
  const serving = servingRevision(records)?.revision;
  const sorted = [...records].sort((a, b) => b.revision - a.revision);
  return sorted
    .slice(limit)
    .map((r) => r.revision)
    .filter((r) => r !== serving);
}

/**
 * Finds the revision `rollback-to` names: `previous` (the successful one
 * before the serving one), a revision number, or an image digest (the newest
 * successful revision that ran it).
 */
export function findRollbackTarget(
  records: ReleaseRecord[],
  target: string,
): ReleaseRecord | { problem: string } {
  const good = [...records]
    .filter((r) => r.result === 'deployed' || r.result === 'superseded')
    .sort((a, b) => b.revision - a.revision);
  const serving = servingRevision(records);
  if (target === 'previous') {
    const previous = good.find((r) => serving === undefined || r.revision < serving.revision);
    return previous ?? { problem: 'there is no successful revision before the one serving' };
  }
  if (/^\d+$/.test(target)) {
    const wanted = Number(target);
    const found = records.find((r) => r.revision === wanted);
    if (!found) {
      const known = records.map((r) => r.revision).sort((a, b) => a - b);
      return {
        problem: `revision ${wanted} is not in the history (known: ${known.join(', ') || 'none'})`,
      };
    }
    if (found.result !== 'deployed' && found.result !== 'superseded') {
      return { problem: `revision ${wanted} never rolled out successfully; it cannot be restored` };
    }
    return found;
  }
  if (/^sha256:[0-9a-f]{64}$/.test(target)) {
    const found = good.find((r) => r.imageDigest === target);
    return found ?? { problem: `no successful revision ran the image ${target}` };
  }
  return { problem: `'${target}' is not previous, a revision number or an image digest` };
}
