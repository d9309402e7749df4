import { createHash } from 'node:crypto';

/** A Kubernetes object as plain JSON; every kind goes through the same apply. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export const FIELD_MANAGER = 'model-deploy';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const RELEASE_LABEL = 'model-deploy.io/release';

/** Kinds that live outside namespaces; they keep no namespace in their key. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** `apps/v1 Deployment ns/name`: one object's identity, for prune and diff. */
export function objectKey(object: KubeObject): string {
  const ns = isClusterScoped(object.kind) ? '' : `${object.metadata.namespace ?? ''}/`;
  return `${groupOf(object.apiVersion)}/${object.kind} ${ns}${object.metadata.name}`;
}

/** A short display name: `Deployment/resnet50`. */
export function objectName(object: KubeObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** The API group of `apps/v1` is `apps`; of `v1` it is the core group (``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Labels every object of a release carries, so prune and history can find them. */
export function releaseLabels(release: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: FIELD_MANAGER, [RELEASE_LABEL]: release };
}

export function releaseSelector(release: string): string {
  return `${MANAGED_BY_LABEL}=${FIELD_MANAGER},${RELEASE_LABEL}=${release}`;
}

/**
 * Puts every object in the namespace and adds the release labels, without
 * changing the caller's objects. Pod templates get them too, so pods are
 * traceable to the release.
 */
export function labelForRelease(
  objects: KubeObject[],
  release: string,
  namespace: string,
): KubeObject[] {
  const labels = releaseLabels(release);
  return objects.map((original) => {
    const object = structuredClone(original);
    object.metadata.labels = { ...object.metadata.labels, ...labels };
    if (!isClusterScoped(object.kind)) object.metadata.namespace = namespace;
    const template = (
      object.spec as { template?: { metadata?: KubeObject['metadata'] } } | undefined
    )?.template;
    if (template && object.kind !== 'Job' && object.kind !== 'CronJob') {
      template.metadata = {
        ...template.metadata,
        labels: { ...template.metadata?.labels, ...labels },
      } as KubeObject['metadata'];
    }
    return object;
  });
}

/** Objects sorted so dependencies come first (ServiceAccount before Deployment, Service before routes). */
const APPLY_ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Ingress',
  'HTTPRoute',
  'VirtualService',
];

/**
 * The apply order in waves: the objects of one wave do not depend on each
 * other and go out at once; each wave waits for the one before. Services come
 * before the workloads (a pod gets the environment variables of the Services
 * that exist when it starts), a Role before its RoleBinding (the API server
 * checks a binding against the Role), and the workloads' companions
 * (autoscalers, disruption budgets, routes, unknown kinds) with the workloads.
 */
const APPLY_WAVE: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 0,
  ServiceAccount: 1,
  Secret: 1,
  ConfigMap: 1,
  PersistentVolumeClaim: 1,
  Role: 1,
  Service: 1,
  RoleBinding: 2,
};
const LAST_WAVE = 3;

/** Objects in waves (see APPLY_WAVE), each wave in sortForApply's order. */
export function applyWaves(objects: KubeObject[]): KubeObject[][] {
  const waves: KubeObject[][] = [];
  for (const object of sortForApply(objects)) {
    const wave = APPLY_WAVE[object.kind] ?? LAST_WAVE;
    (waves[wave] ??= []).push(object);
  }
  return waves.filter((w) => w !== undefined && w.length > 0);
}

export function sortForApply(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => {
    const i = APPLY_ORDER.indexOf(o.kind);
    return i === -1 ? APPLY_ORDER.length : i;
  };
  return [...objects].sort((a, b) => rank(a) - rank(b) || objectKey(a).localeCompare(objectKey(b)));
}

/** A stable JSON text: keys sorted, so equal objects always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash that decides whether a release changed since the one serving. */
export function manifestsHash(objects: KubeObject[]): string {
  const sorted = [...objects].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
  return `sha256:${createHash('sha256').update(canonicalJson(sorted)).digest('hex')}`;
}
