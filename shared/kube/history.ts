import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from './objects.ts';
import { FIELD_MANAGER, MANAGED_BY_LABEL } from './objects.ts';

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
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

export function decodeRecord(secret: SecretLike): ReleaseRecord {
  const labels = secret.metadata?.labels ?? {};
  const annotations = secret.metadata?.annotations ?? {};
  const release = labels[HISTORY_LABEL];
  const revision = Number(labels['model-deploy.io/revision']);
  const data = secret.data?.manifests;
  if (!release || !Number.isInteger(revision) || data === undefined) {
    throw new Error('not a model-deploy release record');
  }
  const record: Record<string, unknown> = {
    release,
    revision,
    manifests: JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')),
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
