import type { ResourceType } from './resources.ts';
import type { JsonObject } from './schema.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resourceType: ResourceType;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  object: JsonObject;
  /** The object before the change, for selectors that an update moves an object into or out of. */
  previous: JsonObject | undefined;
  resourceVersion: number;
}

const HISTORY_LIMIT = 20_000;

function typeKey(t: ResourceType): string {
  return `${t.group}/${t.resource}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * Objects by resource type and namespace/name, one resourceVersion counter for
 * everything (like etcd's revision), and a bounded history so a watch can start
 * from a recent resourceVersion.
 */
export class ObjectStore {
  private revision = 0;
  private readonly objects = new Map<string, Map<string, JsonObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly uids = new Map<
    string,
    { resourceType: ResourceType; namespace?: string; name: string }
  >();

  currentResourceVersion(): number {
    return this.revision;
  }

  private bucket(t: ResourceType): Map<string, JsonObject> {
    let b = this.objects.get(typeKey(t));
    if (!b) {
      b = new Map();
      this.objects.set(typeKey(t), b);
    }
    return b;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const found = this.bucket(t).get(objectKey(t.namespaced ? namespace : undefined, name));
    return found ? structuredClone(found) : undefined;
  }

  /**
   * Copies by default. `copy: false` hands out the stored objects themselves, for
   * controllers that only read them (copying every object on every pass is the
   * bulk of their cost); such callers must never change what they get.
   */
  /** The stored object itself, for read-only checks; never change it. */
  peek(t: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    return this.bucket(t).get(objectKey(t.namespaced ? namespace : undefined, name));
  }

  list(t: ResourceType, namespace?: string, copy = true): JsonObject[] {
    const out: JsonObject[] = [];
    for (const obj of this.bucket(t).values()) {
      const meta = obj.metadata as { namespace?: string };
      if (namespace === undefined || meta.namespace === namespace)
        out.push(copy ? structuredClone(obj) : obj);
    }
    return out.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }

  findByUid(
    uid: string,
  ): { resourceType: ResourceType; namespace?: string; name: string } | undefined {
    return this.uids.get(uid);
  }

  /** Stores the object with a new resourceVersion and tells watchers. */
  put(t: ResourceType, object: JsonObject): JsonObject {
    const meta = object.metadata as {
      namespace?: string;
      name: string;
      uid: string;
      resourceVersion?: string;
    };
    const key = objectKey(t.namespaced ? meta.namespace : undefined, meta.name);
    const previous = this.bucket(t).get(key);
    this.revision++;
    meta.resourceVersion = String(this.revision);
    const stored = structuredClone(object);
    this.bucket(t).set(key, stored);
    this.uids.set(meta.uid, { resourceType: t, namespace: meta.namespace, name: meta.name });
    this.emit({
      type: previous ? 'MODIFIED' : 'ADDED',
      resourceType: t,
      object: stored,
      previous,
      resourceVersion: this.revision,
    });
    return structuredClone(stored);
  }

  remove(t: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const key = objectKey(t.namespaced ? namespace : undefined, name);
    const previous = this.bucket(t).get(key);
    if (!previous) return undefined;
    this.bucket(t).delete(key);
    this.revision++;
    const gone = structuredClone(previous);
    (gone.metadata as JsonObject).resourceVersion = String(this.revision);
    this.uids.delete((previous.metadata as { uid: string }).uid);
    this.emit({
      type: 'DELETED',
      resourceType: t,
      object: gone,
      previous,
      resourceVersion: this.revision,
    });
    return structuredClone(gone);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT)
      this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) listener(event);
  }

  /** Events after `resourceVersion`, or undefined when the history no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    const first = this.history[0];
    if (first && resourceVersion < first.resourceVersion - 1) return undefined;
    if (!first && resourceVersion < this.revision) return resourceVersion === 0 ? [] : undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function keyOf(o: JsonObject): string {
  const meta = o.metadata as { namespace?: string; name: string };
  return `${meta.namespace ?? ''}/${meta.name}`;
}
