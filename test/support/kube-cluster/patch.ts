import { badRequest, ApiError } from './status.ts';
import { isObject, listSchema, keyValue, canonicalJson, type JsonObject } from './schema.ts';

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = jsonMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`json patch path "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], path: string): unknown {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else node = undefined;
    if (node === undefined) {
      throw new ApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: jsonpatch path "${path}" does not exist`,
      );
    }
  }
  return node;
}

function getAt(doc: unknown, path: string): unknown {
  let node = doc;
  for (const part of pointer(path)) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw badRequest(`jsonpatch path "${path}" does not exist`);
  }
  return node;
}

function removeAt(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  const parent = parentOf(doc, parts, path);
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length))
      throw badRequest(`jsonpatch remove: index ${last} out of range`);
    return parent.splice(index, 1)[0];
  }
  if (isObject(parent) && last in parent) {
    const old = parent[last];
    delete parent[last];
    return old;
  }
  throw new ApiError(
    422,
    'Invalid',
    `jsonpatch remove operation does not apply: doc is missing path: "${path}"`,
  );
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return structuredClone(value);
  const parent = parentOf(doc, parts, path);
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length))
      throw badRequest(`jsonpatch: index ${last} out of range`);
    if (replace) parent[index] = structuredClone(value);
    else parent.splice(index, 0, structuredClone(value));
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) {
      throw new ApiError(
        422,
        'Invalid',
        `jsonpatch replace operation does not apply: doc is missing key: ${path}`,
      );
    }
    parent[last] = structuredClone(value);
  } else {
    throw badRequest(`jsonpatch path "${path}" does not exist`);
  }
  return doc;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw badRequest('a JSON patch must be a JSON array of operations');
  let doc = structuredClone(document);
  for (const raw of operations as JsonPatchOperation[]) {
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value, false);
        break;
      case 'replace':
        doc = addAt(doc, raw.path, raw.value, true);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'move': {
        const value = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, getAt(doc, raw.from ?? ''), false);
        break;
      case 'test':
        if (canonicalJson(getAt(doc, raw.path)) !== canonicalJson(raw.value)) {
          throw new ApiError(422, 'Invalid', `testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`unexpected json patch operation "${String(raw.op)}"`);
    }
  }
  return doc;
}

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Strategic merge patch, enough for what kubectl sends (`rollout restart`,
 * `set image`, `patch`): maps merge, null deletes, lists with a merge key merge
 * by that key, `$patch: replace|delete|merge`, `$retainKeys`,
 * `$setElementOrder/...` and `$deleteFromPrimitiveList/...`.
 */
export function strategicMergePatch(
  original: unknown,
  patch: unknown,
  path: string[] = [],
): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const base: JsonObject = isObject(original) && directive !== 'replace' ? { ...original } : {};
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(base)) if (!retain.includes(key)) delete base[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const current = base[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        base[field] = current.filter(
          (v) => !value.some((d) => canonicalJson(d) === canonicalJson(v)),
        );
      }
      continue;
    }
    if (value === null) {
      delete base[key];
      continue;
    }
    const childPath = [...path, key];
    if (Array.isArray(value)) {
      base[key] = mergeList(base[key], value, childPath);
    } else if (isObject(value)) {
      const merged = strategicMergePatch(base[key], value, childPath);
      if (merged === undefined) delete base[key];
      else base[key] = merged;
    } else {
      base[key] = value;
    }
    const order = patch[`${SET_ORDER}${key}`];
    if (Array.isArray(order) && Array.isArray(base[key]))
      base[key] = applyOrder(base[key], order, childPath);
  }
  return base;
}

function mergeList(original: unknown, patch: unknown[], path: string[]): unknown[] {
  const schema = listSchema(path);
  const current = Array.isArray(original) ? structuredClone(original) : [];
  if (schema === 'set') {
    const result = [...current];
    for (const v of patch)
      if (!result.some((r) => canonicalJson(r) === canonicalJson(v))) result.push(v);
    return result;
  }
  if (schema === 'atomic') {
    if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
      return patch.filter((p) => !(isObject(p) && p.$patch === 'replace'));
    }
    return structuredClone(patch);
  }
  const key = schema.mergeKey;
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace'));
  }
  let result: unknown[] = current;
  for (const item of patch) {
    if (!isObject(item)) continue;
    const keyOf = (x: unknown) => (isObject(x) ? canonicalJson(keyValue(x, key)) : undefined);
    const index = result.findIndex((r) => keyOf(r) === keyOf(item));
    if (item.$patch === 'delete') {
      if (index >= 0) result = result.filter((_, i) => i !== index);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], item, path);
    else result.push(strategicMergePatch(undefined, item, path));
  }
  return result;
}

function applyOrder(list: unknown[], order: unknown[], path: string[]): unknown[] {
  const schema = listSchema(path);
  const keyOf = (x: unknown) =>
    typeof schema === 'object' && isObject(x)
      ? canonicalJson(keyValue(x, schema.mergeKey))
      : canonicalJson(x);
  const rank = new Map(order.map((o, i) => [keyOf(o), i]));
  return [...list].sort(
    (a, b) =>
      (rank.get(keyOf(a)) ?? Number.MAX_SAFE_INTEGER) -
      (rank.get(keyOf(b)) ?? Number.MAX_SAFE_INTEGER),
  );
}
