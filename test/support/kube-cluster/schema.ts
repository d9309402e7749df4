/**
 * The little schema knowledge that server-side apply and strategic merge patch
 * need: which lists are maps keyed by some fields (containers by name, ports by
 * containerPort+protocol, ...), which are sets of scalars, and which are atomic.
 * Taken from the `x-kubernetes-list-type`/`x-kubernetes-list-map-keys` and
 * `patchMergeKey` markers of the Kubernetes API types.
 */
export type JsonObject = Record<string, unknown>;

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export interface ListSchema {
  kind: 'map';
  /** Keys for server-side apply (list-map-keys). */
  keys: string[];
  /** The single key strategic merge patch merges by (patchMergeKey). */
  mergeKey: string;
}

/** `path` is the field names from the object root down to the list field itself. */
export function listSchema(path: readonly string[]): ListSchema | 'set' | 'atomic' {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return { kind: 'map', keys: ['name'], mergeKey: 'name' };
    case 'volumeMounts':
      return { kind: 'map', keys: ['mountPath'], mergeKey: 'mountPath' };
    case 'volumeDevices':
      return { kind: 'map', keys: ['devicePath'], mergeKey: 'devicePath' };
    case 'ownerReferences':
      return { kind: 'map', keys: ['uid'], mergeKey: 'uid' };
    case 'conditions':
      return { kind: 'map', keys: ['type'], mergeKey: 'type' };
    case 'hostAliases':
      return { kind: 'map', keys: ['ip'], mergeKey: 'ip' };
    case 'topologySpreadConstraints':
      return { kind: 'map', keys: ['topologyKey', 'whenUnsatisfiable'], mergeKey: 'topologyKey' };
    case 'ports':
      if (parent !== undefined && CONTAINER_LISTS.has(parent)) {
        return { kind: 'map', keys: ['containerPort', 'protocol'], mergeKey: 'containerPort' };
      }
      if (path.length === 2 && parent === 'spec') {
        return { kind: 'map', keys: ['port', 'protocol'], mergeKey: 'port' };
      }
      return 'atomic';
    case 'finalizers':
      return 'set';
    default:
      return 'atomic';
  }
}

/** The value a key field takes when the item omits it (protocol defaults to TCP). */
export function keyValue(item: JsonObject, key: string): unknown {
  const value = item[key];
  if (value === undefined && key === 'protocol') return 'TCP';
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stable JSON (sorted keys) for comparing values and building keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
