import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { Logger } from '../common/logger.ts';
import { UserError } from '../common/errors.ts';
import { UnservedKindError } from './apis.ts';
import type { KubeClient } from './client.ts';
import { kubeFailure, statusOf } from './client.ts';
import {
  applyWaves,
  FIELD_MANAGER,
  objectKey,
  objectName,
  releaseSelector,
  sortForApply,
  type KubeObject,
} from './objects.ts';

/**
 * Server-side apply of a release's objects, pruning what the release no
 * longer renders, and the dry-run diff that shows both without changing
 * anything.
 */

/**
 * Asks discovery for every group/version of the objects at once, so the
 * applies that follow one by one find their REST paths known. A kind not
 * served is left for its apply to report.
 */
export async function discoverKinds(client: KubeClient, objects: KubeObject[]): Promise<void> {
  await Promise.all(
    kindsOf(objects).map((kind) =>
      client
        .call(({ objects: api }) => api.discover(kind.apiVersion, kind.kind))
        .catch(() => undefined),
    ),
  );
}

/** What to install when a route kind is not served, by kind. */
const ROUTE_CRDS: Record<string, string> = {
  HTTPRoute: 'install the Gateway API CRDs, or use expose: cluster-ip or load-balancer',
  GRPCRoute: 'install the Gateway API CRDs, or use expose: cluster-ip or load-balancer',
  VirtualService: "install Istio's CRDs, or use expose: cluster-ip or load-balancer",
  Mapping: "install Emissary-ingress's CRDs, or use expose: cluster-ip or load-balancer",
};

export async function applyObjects(
  client: KubeClient,
  objects: KubeObject[],
  options: { dryRun?: boolean } = {},
): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  await discoverKinds(client, objects);
  // Wave by wave (dependencies first); the objects of one wave at once.
  for (const wave of applyWaves(objects)) {
    const results = await Promise.allSettled(
      wave.map((object) => applyOne(client, object, options)),
    );
    // The first failure in apply order is the one reported, as if applied one by one.
    for (const result of results) {
      if (result.status === 'rejected') throw result.reason;
      applied.push(result.value);
    }
  }
  return applied;
}

async function applyOne(
  client: KubeClient,
  object: KubeObject,
  options: { dryRun?: boolean },
): Promise<KubeObject> {
  try {
    const result = await client.call(({ objects: api }) =>
      // The release owns its objects: a field someone changed by hand is taken back.
      api.apply(object, { fieldManager: FIELD_MANAGER, force: true, dryRun: options.dryRun }),
    );
    return plain(result);
  } catch (err) {
    if (err instanceof UnservedKindError) {
      throw new UserError(
        `the cluster ${client.connection.displayName} does not serve ${object.apiVersion} ${object.kind}`,
        { hint: ROUTE_CRDS[object.kind] ?? 'check the apiVersion of this object in the chart' },
      );
    }
    throw kubeFailure(`applying ${objectName(object)}`, err, client.connection.displayName);
  }
}

/** A client model (with Dates and undefineds) as the JSON the API server sent. */
export function plain<T>(value: T): KubeObject {
  return JSON.parse(JSON.stringify(value)) as KubeObject;
}

export interface KindRef {
  apiVersion: string;
  kind: string;
}

export function kindsOf(objects: KubeObject[]): KindRef[] {
  const seen = new Map<string, KindRef>();
  for (const o of objects)
    seen.set(`${o.apiVersion} ${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
  return [...seen.values()];
}

/**
 * Objects of the release in the cluster that `keep` does not contain. Looks at
 * every kind the release has ever rendered (from the history), so a kind that
 * vanished from the chart is still cleaned up.
 */
export async function findStrays(
  client: KubeClient,
  release: string,
  namespace: string,
  kinds: KindRef[],
  keep: KubeObject[],
): Promise<KubeObject[]> {
  const wanted = new Set(keep.map(objectKey));
  // One list per kind, all at once: each is a round trip to the API server.
  const perKind = await Promise.all(
    kinds.map(async (kind): Promise<KubeObject[]> => {
      let items: KubeObject[];
      try {
        const list = await client.call(({ objects: api }) =>
          api.list(kind.apiVersion, kind.kind, {
            namespace,
            labelSelector: releaseSelector(release),
          }),
        );
        items = list.items.map((item) => ({
          ...plain(item),
          apiVersion: kind.apiVersion,
          kind: kind.kind,
        }));
      } catch (err) {
        // A kind the cluster no longer serves has nothing left to prune.
        if (statusOf(err) === 404 || err instanceof UnservedKindError) return [];
        throw kubeFailure(
          `listing ${kind.kind} objects of ${release}`,
          err,
          client.connection.displayName,
        );
      }
      return items.filter((item) => !wanted.has(objectKey(item)));
    }),
  );
  const strays = perKind.flat();
  return strays;
}

export async function deleteObjects(
  client: KubeClient,
  objects: KubeObject[],
  logger: Logger,
): Promise<void> {
  for (const object of objects) {
    try {
      await client.call(({ objects: api }) =>
        api.delete(
          {
            apiVersion: object.apiVersion,
            kind: object.kind,
            metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
          },
          { propagationPolicy: 'Background' },
        ),
      );
      logger.info(`pruned ${objectName(object)}`);
    } catch (err) {
      if (statusOf(err) === 404 || err instanceof UnservedKindError) continue;
      throw kubeFailure(`pruning ${objectName(object)}`, err, client.connection.displayName);
    }
  }
}

/** Fields the server owns or that change on every read; a diff of them is noise. */
function comparable(object: KubeObject | undefined): unknown {
  if (object === undefined) return undefined;
  const copy = structuredClone(object) as KubeObject & { status?: unknown };
  delete copy.status;
  const metadata = copy.metadata as Record<string, unknown>;
  for (const field of [
    'managedFields',
    'resourceVersion',
    'uid',
    'creationTimestamp',
    'generation',
    'selfLink',
  ]) {
    delete metadata[field];
  }
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations) {
    delete annotations['deployment.kubernetes.io/revision'];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return copy;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SECRET_FIELDS = ['data', 'stringData'] as const;

/**
 * A Secret's values never reach a diff, a log or a summary: each is shown as
 * `***`, marked `(changed)` on the new side when it differs from the live
 * one, and the last-applied annotation (a copy of them) is hidden the same way.
 */
export function redactSecrets(before: unknown, after: unknown): [unknown, unknown] {
  const isSecret = (o: unknown): o is Record<string, unknown> =>
    typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'Secret';
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const old = isSecret(before) ? structuredClone(before) : before;
  const next = isSecret(after) ? structuredClone(after) : after;
  const values = (o: unknown, field: string): Record<string, unknown> | undefined =>
    isSecret(o) ? (o[field] as Record<string, unknown> | undefined) : undefined;
  for (const field of SECRET_FIELDS) {
    const a = values(old, field);
    const b = values(next, field);
    for (const key of Object.keys(b ?? {})) {
      const changed = a !== undefined && key in a && a[key] !== b![key];
      b![key] = changed ? '*** (changed)' : '***';
    }
    for (const key of Object.keys(a ?? {})) a![key] = '***';
  }
  for (const o of [old, next]) {
    const annotations = isSecret(o)
      ? ((o.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {})
      : {};
    if (LAST_APPLIED in annotations) annotations[LAST_APPLIED] = '***';
  }
  return [old, next];
}

export interface ObjectDiff {
  name: string;
  change: 'create' | 'update' | 'delete' | 'unchanged';
  patch: string;
}

/**
 * What applying would change: the live object against the server's dry-run
 * result (so defaults and other managers' fields do not show as changes),
 * and the objects prune would delete.
 */
export async function diffRelease(
  client: KubeClient,
  objects: KubeObject[],
  strays: KubeObject[],
): Promise<ObjectDiff[]> {
  const diffs: ObjectDiff[] = [];
  const dryRun = await applyObjects(client, objects, { dryRun: true });
  const sorted = sortForApply(objects);
  for (let i = 0; i < sorted.length; i++) {
    const object = sorted[i] as KubeObject;
    let live: KubeObject | undefined;
    try {
      live = plain(
        await client.call(({ objects: api }) =>
          api.read({
            apiVersion: object.apiVersion,
            kind: object.kind,
            metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
          }),
        ),
      );
    } catch (err) {
      if (statusOf(err) !== 404)
        throw kubeFailure(`reading ${objectName(object)}`, err, client.connection.displayName);
    }
    const [shownBefore, shownAfter] = redactSecrets(comparable(live), comparable(dryRun[i]));
    const before = live === undefined ? '' : stringify(shownBefore, { sortMapEntries: true });
    const after = stringify(shownAfter, { sortMapEntries: true });
    const change = live === undefined ? 'create' : before === after ? 'unchanged' : 'update';
    diffs.push({
      name: objectName(object),
      change,
      patch: unifiedDiff(objectName(object), before, after),
    });
  }
  for (const stray of strays) {
    const before = stringify(redactSecrets(comparable(stray), undefined)[0], {
      sortMapEntries: true,
    });
    diffs.push({
      name: objectName(stray),
      change: 'delete',
      patch: unifiedDiff(objectName(stray), before, ''),
    });
  }
  return diffs;
}

/** The diff of objects that do not exist yet: all of each is new. */
export function plannedCreates(objects: KubeObject[]): ObjectDiff[] {
  return sortForApply(objects).map((object) => ({
    name: objectName(object),
    change: 'create',
    patch: unifiedDiff(
      objectName(object),
      '',
      stringify(redactSecrets(undefined, object)[1], { sortMapEntries: true }),
    ),
  }));
}

export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`live/${name}`, `new/${name}`, before, after, undefined, undefined, {
    context: 3,
  })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n')
    .trimEnd();
}
