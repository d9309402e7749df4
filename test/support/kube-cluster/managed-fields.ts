import { ApiError } from './status.ts';
import { isObject, listSchema, keyValue, canonicalJson, type JsonObject } from './schema.ts';

/**
 * Field ownership for server-side apply: managedFields entries in the FieldsV1
 * format (`f:name`, `k:{"name":"app"}`, `v:"x"`, `.`), conflicts between
 * managers, and merging an applied configuration into the live object.
 */
export type PathElement = { field: string } | { key: JsonObject } | { value: unknown };

interface FieldInfo {
  elements: PathElement[];
  /** The value at a leaf; undefined for list items and maps tracked as members. */
  value?: unknown;
  leaf: boolean;
}

export type FieldMap = Map<string, FieldInfo>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

const SERVER_SET_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

function elementString(e: PathElement): string {
  if ('field' in e) return `.${e.field}`;
  if ('key' in e) {
    return `[${Object.keys(e.key)
      .sort()
      .map((k) => `${k}=${JSON.stringify(e.key[k])}`)
      .join(',')}]`;
  }
  return `[=${JSON.stringify(e.value)}]`;
}

export function pathString(elements: PathElement[]): string {
  return elements.map(elementString).join('');
}

function sortedKey(key: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.keys(key)
      .sort()
      .map((k) => [k, key[k]]),
  );
}

/**
 * Every field an object sets. `scope` picks the part a writer owns: the main
 * resource (everything but status) or the status subresource (only status).
 */
export function fieldsOf(
  object: JsonObject | undefined,
  scope: 'main' | 'status' | 'all',
): FieldMap {
  const out: FieldMap = new Map();
  if (!object) return out;
  const add = (elements: PathElement[], leaf: boolean, value?: unknown) =>
    out.set(pathString(elements), { elements, leaf, value });

  const walk = (value: JsonObject, elements: PathElement[], names: string[]) => {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      if (names.length === 0) {
        if (key === 'apiVersion' || key === 'kind') continue;
        if (scope === 'main' && key === 'status') continue;
        if (scope === 'status' && key !== 'status') continue;
      }
      if (names.length === 1 && names[0] === 'metadata' && SERVER_SET_METADATA.has(key)) continue;
      const childElements: PathElement[] = [...elements, { field: key }];
      const childNames = [...names, key];
      if (isObject(child) && Object.keys(child).length > 0) {
        walk(child, childElements, childNames);
      } else if (Array.isArray(child)) {
        const schema = listSchema(childNames);
        if (schema === 'atomic') add(childElements, true, child);
        else if (schema === 'set') {
          for (const item of child) add([...childElements, { value: item }], true, item);
        } else {
          for (const item of child) {
            if (!isObject(item)) continue;
            const key = sortedKey(
              Object.fromEntries(schema.keys.map((k) => [k, keyValue(item, k)])),
            );
            const itemElements: PathElement[] = [...childElements, { key }];
            add(itemElements, false);
            walk(item, itemElements, childNames);
          }
        }
      } else {
        add(childElements, true, child);
      }
    }
  };
  walk(object, [], []);
  return out;
}

interface TreeNode {
  member: boolean;
  children: Map<string, TreeNode>;
}

function elementKey(e: PathElement): string {
  if ('field' in e) return `f:${e.field}`;
  if ('key' in e) return `k:${JSON.stringify(sortedKey(e.key))}`;
  return `v:${JSON.stringify(e.value)}`;
}

export function toFieldsV1(paths: Iterable<PathElement[]>): JsonObject {
  const root: TreeNode = { member: false, children: new Map() };
  for (const elements of paths) {
    let node = root;
    for (const e of elements) {
      const k = elementKey(e);
      let next = node.children.get(k);
      if (!next) {
        next = { member: false, children: new Map() };
        node.children.set(k, next);
      }
      node = next;
    }
    node.member = true;
  }
  const render = (node: TreeNode): JsonObject => {
    const out: JsonObject = {};
    if (node.member && node.children.size > 0) out['.'] = {};
    for (const [k, child] of [...node.children].sort(([a], [b]) => a.localeCompare(b)))
      out[k] = render(child);
    return out;
  };
  return render(root);
}

export function fromFieldsV1(tree: unknown): Map<string, PathElement[]> {
  const out = new Map<string, PathElement[]>();
  const walk = (node: JsonObject, elements: PathElement[]) => {
    const keys = Object.keys(node);
    if (elements.length > 0 && (keys.length === 0 || keys.includes('.')))
      out.set(pathString(elements), elements);
    for (const k of keys) {
      if (k === '.') continue;
      const child = node[k];
      let element: PathElement;
      if (k.startsWith('f:')) element = { field: k.slice(2) };
      else if (k.startsWith('k:')) element = { key: JSON.parse(k.slice(2)) as JsonObject };
      else if (k.startsWith('v:')) element = { value: JSON.parse(k.slice(2)) as unknown };
      else continue;
      walk(isObject(child) ? child : {}, [...elements, element]);
    }
  };
  if (isObject(tree)) walk(tree, []);
  return out;
}

function managerLabel(entry: ManagedFieldsEntry): string {
  let label = JSON.stringify(entry.manager);
  if (entry.subresource) label += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') label += ` using ${entry.apiVersion}`;
  return label;
}

function conflictError(conflicts: Array<{ entry: ManagedFieldsEntry; path: string }>): ApiError {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${managerLabel(conflicts[0]!.entry)}: ${conflicts[0]!.path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const label = managerLabel(c.entry);
      byManager.set(label, [...(byManager.get(label) ?? []), c.path]);
    }
    const lines: string[] = [];
    for (const label of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${label}:`);
      for (const p of byManager.get(label)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      type: 'FieldManagerConflict',
      message: `conflict with ${managerLabel(c.entry)}`,
      field: c.path,
    })),
  });
}

function sameOwner(
  a: ManagedFieldsEntry,
  manager: string,
  operation: string,
  subresource: string | undefined,
) {
  return (
    a.manager === manager &&
    a.operation === operation &&
    (a.subresource ?? '') === (subresource ?? '')
  );
}

function removePath(object: JsonObject, elements: PathElement[]): void {
  let node: unknown = object;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    const last = i === elements.length - 1;
    if ('field' in e) {
      if (!isObject(node)) return;
      if (last) delete node[e.field];
      else node = node[e.field];
    } else if (Array.isArray(node)) {
      const list: unknown[] = node;
      const index = list.findIndex((item) =>
        'key' in e
          ? isObject(item) &&
            Object.keys(e.key).every(
              (k) => canonicalJson(keyValue(item, k)) === canonicalJson(e.key[k]),
            )
          : canonicalJson(item) === canonicalJson(e.value),
      );
      if (index < 0) return;
      if (last) list.splice(index, 1);
      else node = list[index];
    } else return;
  }
}

function mergeApplied(live: unknown, applied: unknown, names: string[]): unknown {
  if (Array.isArray(applied)) {
    const schema = listSchema(names);
    if (schema === 'atomic' || !Array.isArray(live)) return structuredClone(applied);
    if (schema === 'set') {
      const result = [...live];
      for (const v of applied)
        if (!result.some((r) => canonicalJson(r) === canonicalJson(v))) result.push(v);
      return result;
    }
    const keyOf = (item: unknown) =>
      isObject(item) ? canonicalJson(schema.keys.map((k) => keyValue(item, k))) : '';
    const result = structuredClone(live) as unknown[];
    for (const item of applied) {
      const index = result.findIndex((r) => keyOf(r) === keyOf(item));
      if (index >= 0) result[index] = mergeApplied(result[index], item, names);
      else result.push(structuredClone(item));
    }
    return result;
  }
  if (isObject(applied)) {
    const result: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete result[k];
      else result[k] = mergeApplied(result[k], v, [...names, k]);
    }
    return result;
  }
  return applied;
}

export interface ApplyRequest {
  live: JsonObject | undefined;
  applied: JsonObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  subresource?: string;
  now: string;
}

/** Server-side apply: the merged object (managedFields included), or a 409 listing the conflicts. */
export function applyConfiguration(request: ApplyRequest): JsonObject {
  const { live, applied, manager, force, apiVersion, subresource, now } = request;
  const scope = subresource === 'status' ? 'status' : 'main';
  const entries = ((live?.metadata as JsonObject | undefined)?.managedFields ??
    []) as ManagedFieldsEntry[];
  const sets = entries.map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
  const mine = sets.find((s) => sameOwner(s.entry, manager, 'Apply', subresource));
  const others = sets.filter((s) => s !== mine);
  const appliedFields = fieldsOf(applied, scope);
  const liveFields = fieldsOf(live, scope);

  const conflicts: Array<{ entry: ManagedFieldsEntry; path: string }> = [];
  for (const other of others) {
    for (const path of other.set.keys()) {
      const mineField = appliedFields.get(path);
      const liveField = liveFields.get(path);
      if (!mineField || !mineField.leaf || !liveField) continue;
      if (canonicalJson(mineField.value) !== canonicalJson(liveField.value)) {
        conflicts.push({ entry: other.entry, path });
      }
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const c of conflicts) {
    others.find((o) => o.entry === c.entry)?.set.delete(c.path);
  }

  const base = structuredClone(live ?? {}) as JsonObject;
  const stripped = structuredClone(applied);
  delete stripped.status;
  if (scope === 'status') {
    for (const k of Object.keys(stripped)) if (k !== 'status') delete stripped[k];
    stripped.status = structuredClone(applied.status);
  }
  const merged = mergeApplied(base, stripped, []) as JsonObject;
  if (mine) {
    const ownedByOthers = new Set(others.flatMap((o) => [...o.set.keys()]));
    for (const [path, elements] of mine.set) {
      if (!appliedFields.has(path) && !ownedByOthers.has(path)) removePath(merged, elements);
    }
  }

  const myEntry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1([...appliedFields.values()].map((f) => f.elements)),
    ...(subresource ? { subresource } : {}),
  };
  const nextEntries: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const s of sets) {
    if (s === mine) {
      nextEntries.push(myEntry);
      placed = true;
    } else if (s.set.size > 0) {
      nextEntries.push({ ...s.entry, fieldsV1: toFieldsV1(s.set.values()) });
    }
  }
  if (!placed) nextEntries.push(myEntry);
  const metadata = (merged.metadata ??= {}) as JsonObject;
  metadata.managedFields = nextEntries;
  return merged;
}

export interface UpdateRequest {
  old: JsonObject | undefined;
  updated: JsonObject;
  manager: string;
  apiVersion: string;
  subresource?: string;
  now: string;
}

/** Ownership after a non-apply write: the writer takes every field it changed, without conflicts. */
export function managedFieldsAfterUpdate(request: UpdateRequest): ManagedFieldsEntry[] {
  const { old, updated, manager, apiVersion, subresource, now } = request;
  const scope = subresource === 'status' ? 'status' : 'main';
  const oldFields = fieldsOf(old, scope);
  const newFields = fieldsOf(updated, scope);
  const changed = new Map<string, PathElement[]>();
  for (const [path, info] of newFields) {
    const before = oldFields.get(path);
    if (!before || canonicalJson(before.value) !== canonicalJson(info.value))
      changed.set(path, info.elements);
  }
  const removed = [...oldFields.keys()].filter((p) => !newFields.has(p));
  const entries = ((old?.metadata as JsonObject | undefined)?.managedFields ??
    []) as ManagedFieldsEntry[];
  if (changed.size === 0 && removed.length === 0) return entries;
  const result: ManagedFieldsEntry[] = [];
  let mine: Map<string, PathElement[]> | undefined;
  let mineIndex = -1;
  for (const entry of entries) {
    const set = fromFieldsV1(entry.fieldsV1);
    for (const p of removed) set.delete(p);
    if (sameOwner(entry, manager, 'Update', subresource)) {
      mine = set;
      mineIndex = result.length;
      result.push(entry);
      continue;
    }
    for (const p of changed.keys()) set.delete(p);
    if (set.size > 0) result.push({ ...entry, fieldsV1: toFieldsV1(set.values()) });
  }
  mine ??= new Map();
  for (const [p, elements] of changed) mine.set(p, elements);
  if (mine.size === 0) {
    if (mineIndex >= 0) result.splice(mineIndex, 1);
    return result;
  }
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Update',
    apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(mine.values()),
    ...(subresource ? { subresource } : {}),
  };
  if (mineIndex >= 0) result[mineIndex] = entry;
  else result.push(entry);
  return result;
}
