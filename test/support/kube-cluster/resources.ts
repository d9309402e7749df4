/**
 * The resource types the test double serves: what discovery lists and what the
 * store keys objects by. An object is stored once per group/resource; reading it
 * through another served version only changes its apiVersion (the types listed
 * here have the same schema in every version they are served at).
 */
export interface ResourceType {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  /** Plural, as in URLs. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Has a status subresource: writes to the main resource ignore status, and the other way round. */
  hasStatus: boolean;
  /** metadata.generation is set and bumped when anything outside metadata and status changes. */
  hasGeneration: boolean;
  /** The scale subresource (autoscaling/v1 Scale). */
  hasScale?: boolean;
  /** The proxy subresource (services and pods). */
  hasProxy?: boolean;
}

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function type(
  group: string,
  versions: string[],
  resource: string,
  kind: string,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions,
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    hasStatus: false,
    hasGeneration: false,
    ...extra,
  };
}

const workload = { hasStatus: true, hasGeneration: true, categories: ['all'] };

export const RESOURCE_TYPES: readonly ResourceType[] = [
  type('', ['v1'], 'namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  type('', ['v1'], 'nodes', 'Node', { namespaced: false, shortNames: ['no'], hasStatus: true }),
  type('', ['v1'], 'pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    hasStatus: true,
    hasProxy: true,
  }),
  type('', ['v1'], 'services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    hasStatus: true,
    hasProxy: true,
  }),
  type('', ['v1'], 'endpoints', 'Endpoints', { shortNames: ['ep'], singular: 'endpoints' }),
  type('', ['v1'], 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  type('', ['v1'], 'secrets', 'Secret'),
  type('', ['v1'], 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  type('', ['v1'], 'events', 'Event', { shortNames: ['ev'] }),
  type('apps', ['v1'], 'deployments', 'Deployment', {
    ...workload,
    shortNames: ['deploy'],
    hasScale: true,
  }),
  type('apps', ['v1'], 'replicasets', 'ReplicaSet', {
    ...workload,
    shortNames: ['rs'],
    hasScale: true,
  }),
  type('autoscaling', ['v2'], 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    ...workload,
    shortNames: ['hpa'],
  }),
  type('policy', ['v1'], 'poddisruptionbudgets', 'PodDisruptionBudget', {
    hasStatus: true,
    hasGeneration: true,
    shortNames: ['pdb'],
  }),
  type('coordination.k8s.io', ['v1'], 'leases', 'Lease'),
  type('networking.k8s.io', ['v1'], 'ingresses', 'Ingress', {
    hasStatus: true,
    hasGeneration: true,
    shortNames: ['ing'],
  }),
  type('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'httproutes', 'HTTPRoute', {
    hasStatus: true,
    hasGeneration: true,
    categories: ['gateway-api'],
  }),
  type('networking.istio.io', ['v1', 'v1beta1', 'v1alpha3'], 'virtualservices', 'VirtualService', {
    hasStatus: true,
    hasGeneration: true,
    shortNames: ['vs'],
    categories: ['istio-io', 'networking-istio-io'],
  }),
  type(
    'networking.istio.io',
    ['v1', 'v1beta1', 'v1alpha3'],
    'destinationrules',
    'DestinationRule',
    {
      hasStatus: true,
      hasGeneration: true,
      shortNames: ['dr'],
      categories: ['istio-io', 'networking-istio-io'],
    },
  ),
];

export function findResourceType(
  group: string,
  version: string,
  resource: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    (t) => t.group === group && t.resource === resource && t.versions.includes(version),
  );
}

export function resourceTypeForKind(group: string, kind: string): ResourceType {
  const found = RESOURCE_TYPES.find((t) => t.group === group && t.kind === kind);
  if (!found) throw new Error(`the test double does not serve kind ${kind} in group "${group}"`);
  return found;
}

export function groupVersions(): Array<{ group: string; versions: string[] }> {
  const seen = new Map<string, string[]>();
  for (const t of RESOURCE_TYPES) {
    const versions = seen.get(t.group) ?? [];
    for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
    seen.set(t.group, versions);
  }
  return [...seen].map(([group, versions]) => ({ group, versions }));
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
