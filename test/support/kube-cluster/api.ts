import { randomBytes, randomUUID } from 'node:crypto';
import { ObjectStore } from './store.ts';
import {
  RESOURCE_TYPES,
  apiVersionOf,
  splitApiVersion,
  resourceTypeForKind,
  type ResourceType,
} from './resources.ts';
import { applyDefaults, validate, type AdmissionContext } from './admission.ts';
import { applyConfiguration, managedFieldsAfterUpdate } from './managed-fields.ts';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from './patch.ts';
import { isObject, canonicalJson, type JsonObject } from './schema.ts';
import {
  ApiError,
  alreadyExists,
  badRequest,
  notFound,
  staleResourceVersion,
  conflict,
  unsupportedMediaType,
} from './status.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.ts';

/**
 * The verbs of the API (get, list, create, update, patch, apply, delete) over
 * the store, with what the API server does around them: defaults, validation,
 * resourceVersion preconditions, generation, managedFields, finalizers and
 * ownerReference-based deletion. The HTTP layer and the controllers both use it.
 */
export interface WriteOptions {
  manager: string;
  subresource?: string;
  dryRun?: boolean;
  /** The apiVersion the client spoke, for managedFields. */
  apiVersion?: string;
}

export type PatchType = 'apply' | 'merge' | 'json' | 'strategic';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0]!.trim();
  switch (type) {
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/json-patch+json':
      return 'json';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    default:
      throw unsupportedMediaType(type);
  }
}

export type DeletePropagation = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: DeletePropagation;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function metaOf(obj: JsonObject): JsonObject {
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as JsonObject;
}

function withoutMetaAndStatus(obj: JsonObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return canonicalJson(rest);
}

/** Typed API objects have no nulls: decoding turns a null field into its zero value, which is omitted. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/** A write that changes nothing but managedFields timestamps is not stored (no new resourceVersion). */
function sameIgnoringTimes(a: JsonObject, b: JsonObject): boolean {
  const strip = (o: JsonObject) => {
    const copy = structuredClone(o);
    const entries = (metaOf(copy).managedFields ?? []) as JsonObject[];
    for (const e of entries) delete e.time;
    return canonicalJson(copy);
  };
  return strip(a) === strip(b);
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => NAME_SUFFIX_ALPHABET[b % NAME_SUFFIX_ALPHABET.length]).join('');
}

export class ClusterApi implements AdmissionContext {
  readonly store = new ObjectStore();
  private nextClusterIp = 10;
  private nextNodePort = 30000;

  constructor() {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.create(
        this.type('', 'Namespace'),
        undefined,
        { metadata: { name: ns } },
        { manager: 'kube-apiserver' },
      );
    }
  }

  type(group: string, kind: string): ResourceType {
    return resourceTypeForKind(group, kind);
  }

  allocateClusterIp(): string {
    const n = this.nextClusterIp++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  allocateNodePort(): number {
    return this.nextNodePort++;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): JsonObject {
    const found = this.store.get(t, namespace, name);
    if (!found) throw notFound(t.resource, t.group, name);
    return found;
  }

  tryGet(t: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    return this.store.get(t, namespace, name);
  }

  list(
    t: ResourceType,
    namespace: string | undefined,
    selectors: { labelSelector?: string | null; fieldSelector?: string | null } = {},
    copy = true,
  ): { items: JsonObject[]; resourceVersion: string } {
    const labels = parseLabelSelector(selectors.labelSelector);
    const fields = parseFieldSelector(selectors.fieldSelector);
    const items = this.store
      .list(t, t.namespaced ? namespace : undefined, copy)
      .filter((o) => matchesLabels(labels, metaOf(o).labels as Record<string, string> | undefined))
      .filter((o) => matchesFields(fields, o));
    return { items, resourceVersion: String(this.store.currentResourceVersion()) };
  }

  /** The stored objects themselves (not copies), for controllers that only read them. */
  scan(
    t: ResourceType,
    namespace?: string,
    selectors: { labelSelector?: string | null; fieldSelector?: string | null } = {},
  ): JsonObject[] {
    return this.list(t, namespace, selectors, false).items;
  }

  private checkNamespace(t: ResourceType, namespace: string | undefined): void {
    if (!t.namespaced) return;
    if (!namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    const ns = this.store.get(this.type('', 'Namespace'), undefined, namespace);
    if (!ns) throw notFound('namespaces', '', namespace);
    if (metaOf(ns).deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${t.resource} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private normalizeIdentity(
    t: ResourceType,
    namespace: string | undefined,
    body: JsonObject,
    name?: string,
  ): JsonObject {
    if (!isObject(body)) throw badRequest('the request body must be a JSON or YAML object');
    const obj = withoutNulls(body) as JsonObject;
    const meta = metaOf(obj);
    if (t.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = namespace;
    } else delete meta.namespace;
    if (name !== undefined) {
      if (meta.name !== undefined && meta.name !== name) {
        throw badRequest(
          `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
        );
      }
      meta.name = name;
    }
    if (obj.kind !== undefined && obj.kind !== t.kind) {
      throw badRequest(
        `the kind of the object (${String(obj.kind)}) does not match the kind of the URL (${t.kind})`,
      );
    }
    if (obj.apiVersion !== undefined && splitApiVersion(String(obj.apiVersion)).group !== t.group) {
      throw badRequest(
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API group ${t.group || 'core'}`,
      );
    }
    obj.kind = t.kind;
    obj.apiVersion = apiVersionOf(t.group, t.versions[0]!);
    return obj;
  }

  create(
    t: ResourceType,
    namespace: string | undefined,
    body: JsonObject,
    options: WriteOptions,
  ): JsonObject {
    const obj = this.normalizeIdentity(t, namespace, body);
    const meta = metaOf(obj);
    if (!meta.name && typeof meta.generateName === 'string')
      meta.name = `${meta.generateName}${randomSuffix()}`;
    this.checkNamespace(t, namespace);
    const name = String(meta.name ?? '');
    if (name && this.store.get(t, namespace, name)) throw alreadyExists(t.resource, t.group, name);
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    if (t.hasGeneration) meta.generation = 1;
    else delete meta.generation;
    if (t.hasStatus && t.kind !== 'Pod' && t.kind !== 'Namespace' && t.kind !== 'Service')
      obj.status ??= {};
    if (t.kind === 'Service') obj.status = { loadBalancer: {} };
    if (t.kind === 'Pod') obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
    applyDefaults(t, obj, undefined, this);
    validate(t, obj, undefined);
    if (!meta.managedFields) {
      meta.managedFields = managedFieldsAfterUpdate({
        old: undefined,
        updated: obj,
        manager: options.manager,
        apiVersion: options.apiVersion ?? apiVersionOf(t.group, t.versions[0]!),
        now: now(),
      });
    }
    if (options.dryRun) return obj;
    const stored = this.store.put(t, obj);
    if (t.kind === 'Namespace') {
      // Every namespace has a "default" ServiceAccount, made by the service account controller.
      this.create(
        this.type('', 'ServiceAccount'),
        name,
        { metadata: { name: 'default' } },
        { manager: 'kube-controller-manager' },
      );
    }
    return stored;
  }

  /** Replaces the object (PUT), or its status with subresource "status". */
  update(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    body: JsonObject,
    options: WriteOptions,
  ): JsonObject {
    const old = this.get(t, namespace, name);
    const incoming = this.normalizeIdentity(t, namespace, body, name);
    const rv = metaOf(incoming).resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== metaOf(old).resourceVersion) {
      throw staleResourceVersion(t.resource, t.group, name);
    }
    return this.commit(t, old, incoming, options);
  }

  patch(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: unknown,
    options: WriteOptions & { force?: boolean },
  ): { object: JsonObject; created: boolean } {
    const live = this.store.get(t, namespace, name);
    if (patchType === 'apply') {
      if (!options.manager)
        throw badRequest('PATCH requests with apply content type require fieldManager');
      const applied = this.normalizeIdentity(t, namespace, body as JsonObject, name);
      const meta = metaOf(applied);
      const rv = meta.resourceVersion;
      if (live && rv !== undefined && rv !== metaOf(live).resourceVersion) {
        throw staleResourceVersion(t.resource, t.group, name);
      }
      for (const k of [
        'resourceVersion',
        'uid',
        'creationTimestamp',
        'generation',
        'managedFields',
        'selfLink',
      ])
        delete meta[k];
      const merged = applyConfiguration({
        live,
        applied,
        manager: options.manager,
        force: options.force ?? false,
        apiVersion: options.apiVersion ?? apiVersionOf(t.group, t.versions[0]!),
        subresource: options.subresource,
        now: now(),
      });
      if (!live) {
        if (options.subresource) throw notFound(t.resource, t.group, name);
        return { object: this.create(t, namespace, merged, options), created: true };
      }
      return { object: this.commit(t, live, merged, options, true), created: false };
    }
    if (!live) throw notFound(t.resource, t.group, name);
    let patched: unknown;
    if (patchType === 'merge') patched = jsonMergePatch(live, body);
    else if (patchType === 'json') patched = jsonPatch(live, body);
    else patched = strategicMergePatch(live, body);
    if (!isObject(patched)) throw badRequest('the patch did not produce an object');
    const incoming = this.normalizeIdentity(t, namespace, patched, name);
    const rv = metaOf(incoming).resourceVersion;
    if (rv !== undefined && rv !== metaOf(live).resourceVersion)
      throw staleResourceVersion(t.resource, t.group, name);
    return { object: this.commit(t, live, incoming, options), created: false };
  }

  private commit(
    t: ResourceType,
    old: JsonObject,
    incoming: JsonObject,
    options: WriteOptions,
    managedFieldsDone = false,
  ): JsonObject {
    const oldMeta = metaOf(old);
    let next: JsonObject;
    if (options.subresource === 'status') {
      next = { ...structuredClone(old), status: incoming.status };
      if (managedFieldsDone) metaOf(next).managedFields = metaOf(incoming).managedFields;
    } else {
      next = incoming;
      if (t.hasStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = structuredClone(old.status);
      }
    }
    const meta = metaOf(next);
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    meta.resourceVersion = oldMeta.resourceVersion;
    if (oldMeta.deletionTimestamp) {
      meta.deletionTimestamp = oldMeta.deletionTimestamp;
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
    }
    if (t.hasGeneration) meta.generation = Number(oldMeta.generation ?? 1);
    applyDefaults(t, next, old, this);
    if (t.hasGeneration && withoutMetaAndStatus(old) !== withoutMetaAndStatus(next)) {
      meta.generation = Number(oldMeta.generation ?? 1) + 1;
    }
    validate(t, next, old);
    if (!managedFieldsDone) {
      meta.managedFields = managedFieldsAfterUpdate({
        old,
        updated: next,
        manager: options.manager,
        apiVersion: options.apiVersion ?? apiVersionOf(t.group, t.versions[0]!),
        subresource: options.subresource,
        now: now(),
      });
    }
    if (sameIgnoringTimes(next, old)) return old;
    if (options.dryRun) return next;
    if (
      meta.deletionTimestamp &&
      (!Array.isArray(meta.finalizers) || meta.finalizers.length === 0)
    ) {
      this.finishDeletion(t, next);
      return next;
    }
    return this.store.put(t, next);
  }

  delete(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): JsonObject {
    const live = this.get(t, namespace, name);
    const meta = metaOf(live);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      throw conflict(
        t.resource,
        t.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(meta.uid)}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        t.resource,
        t.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${String(meta.resourceVersion)}`,
      );
    }
    if (options.dryRun) return live;
    const policy = options.propagationPolicy ?? 'Background';
    const uid = String(meta.uid);
    if (policy === 'Orphan') this.orphanDependents(uid);
    if (policy === 'Foreground') {
      for (const dependent of this.dependentsOf(uid)) {
        this.deleteIfPresent(
          dependent.resourceType,
          dependent.namespace,
          dependent.name,
          'Foreground',
        );
      }
    }
    if (Array.isArray(meta.finalizers) && meta.finalizers.length > 0) {
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = now();
        meta.deletionGracePeriodSeconds = 0;
        if (t.kind === 'Namespace') live.status = { phase: 'Terminating' };
        return this.store.put(t, live);
      }
      return live;
    }
    this.finishDeletion(t, live);
    return live;
  }

  deleteIfPresent(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    policy: DeletePropagation = 'Background',
  ): void {
    if (this.store.get(t, namespace, name))
      this.delete(t, namespace, name, { propagationPolicy: policy });
  }

  private finishDeletion(t: ResourceType, obj: JsonObject): void {
    const meta = metaOf(obj);
    this.store.remove(t, meta.namespace as string | undefined, String(meta.name));
    if (t.kind === 'Namespace') {
      for (const other of RESOURCE_TYPES) {
        if (!other.namespaced) continue;
        for (const item of this.store.list(other, String(meta.name))) {
          this.store.remove(other, String(meta.name), String(metaOf(item).name));
        }
      }
    }
  }

  dependentsOf(
    uid: string,
  ): Array<{ resourceType: ResourceType; namespace?: string; name: string; object: JsonObject }> {
    const out: Array<{
      resourceType: ResourceType;
      namespace?: string;
      name: string;
      object: JsonObject;
    }> = [];
    for (const t of RESOURCE_TYPES) {
      for (const obj of this.store.list(t, undefined, false)) {
        const refs = (metaOf(obj).ownerReferences ?? []) as Array<{ uid: string }>;
        if (refs.some((r) => r.uid === uid)) {
          out.push({
            resourceType: t,
            namespace: metaOf(obj).namespace as string | undefined,
            name: String(metaOf(obj).name),
            object: structuredClone(obj),
          });
        }
      }
    }
    return out;
  }

  private orphanDependents(uid: string): void {
    for (const d of this.dependentsOf(uid)) {
      const meta = metaOf(d.object);
      meta.ownerReferences = ((meta.ownerReferences ?? []) as Array<{ uid: string }>).filter(
        (r) => r.uid !== uid,
      );
      if ((meta.ownerReferences as unknown[]).length === 0) delete meta.ownerReferences;
      this.commit(d.resourceType, this.get(d.resourceType, d.namespace, d.name), d.object, {
        manager: 'kube-controller-manager',
      });
    }
  }

  /** Deletes objects whose every owner is gone (the garbage collector's background cascade). */
  collectGarbage(): void {
    for (const t of RESOURCE_TYPES) {
      for (const obj of this.store.list(t, undefined, false)) {
        const refs = (metaOf(obj).ownerReferences ?? []) as Array<{ uid: string }>;
        if (refs.length === 0) continue;
        if (refs.every((r) => !this.store.findByUid(r.uid))) {
          this.deleteIfPresent(
            t,
            metaOf(obj).namespace as string | undefined,
            String(metaOf(obj).name),
          );
        }
      }
    }
  }

  /** A controller's status write, skipped without copying anything when the status is unchanged. */
  writeStatus(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    status: JsonObject,
    manager: string,
  ): JsonObject | undefined {
    const live = this.store.peek(t, namespace, name);
    if (!live) return undefined;
    if (canonicalJson(live.status ?? null) === canonicalJson(status)) return live;
    return this.mutate(
      t,
      namespace,
      name,
      (o) => {
        o.status = status;
      },
      { manager, subresource: 'status' },
    );
  }

  /** Read-modify-write for controllers. Returns the stored object, or undefined if it is gone. */
  mutate(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    change: (obj: JsonObject) => void,
    options: WriteOptions = { manager: 'kube-controller-manager' },
  ): JsonObject | undefined {
    const live = this.store.get(t, namespace, name);
    if (!live) return undefined;
    const next = structuredClone(live);
    change(next);
    if (canonicalJson(next) === canonicalJson(live)) return live;
    return this.commit(t, live, next, options);
  }
}
