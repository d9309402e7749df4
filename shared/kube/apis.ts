import type {
  V1ConfigMap,
  V1Deployment,
  V1Lease,
  V1Namespace,
  V1Pod,
  V1ReplicaSet,
  V1Secret,
  V1SelfSubjectAccessReview,
  V1SelfSubjectReview,
  V1Service,
  CoreV1Event,
} from '@kubernetes/client-node';
import { KubeApiError, type KubeTransport } from './http.ts';

/**
 * The Kubernetes API calls deploy makes, as REST paths. The method names and
 * parameters follow the upstream JavaScript client's, so a call site reads
 * the same; the objects are the server's JSON as it sent them (timestamps
 * are strings).
 */

export interface Named {
  name: string;
  namespace: string;
}
export interface InNamespace {
  namespace: string;
  labelSelector?: string;
  fieldSelector?: string;
}
export interface List<T> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** A kind the cluster does not serve: its API group/version is not there, or lacks the kind. */
export class UnservedKindError extends Error {
  readonly apiVersion: string;
  readonly kind: string;

  constructor(apiVersion: string, kind: string) {
    super(`the cluster does not serve ${apiVersion} ${kind}`);
    this.name = 'UnservedKindError';
    this.apiVersion = apiVersion;
    this.kind = kind;
  }
}

/** One namespaced resource: read, list, create, replace and delete. */
function namespaced<T>(send: KubeTransport, base: string, plural: string) {
  const one = (p: Named) =>
    `${base}/namespaces/${encodeURIComponent(p.namespace)}/${plural}/${encodeURIComponent(p.name)}`;
  const all = (namespace: string) =>
    `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  return {
    read: (p: Named) => send<T>({ method: 'GET', path: one(p) }),
    list: (p: InNamespace) =>
      send<List<T>>({
        method: 'GET',
        path: all(p.namespace),
        query: { labelSelector: p.labelSelector, fieldSelector: p.fieldSelector },
      }),
    create: (p: { namespace: string; body: T }) =>
      send<T>({ method: 'POST', path: all(p.namespace), body: p.body }),
    replace: (p: Named & { body: T }) => send<T>({ method: 'PUT', path: one(p), body: p.body }),
    /** `body` is DeleteOptions (preconditions: delete only the version that was read). */
    remove: (p: Named & { body?: Record<string, unknown> }) =>
      send<unknown>({ method: 'DELETE', path: one(p), body: p.body }),
  };
}

function coreApi(send: KubeTransport) {
  const secrets = namespaced<V1Secret>(send, '/api/v1', 'secrets');
  const configMaps = namespaced<V1ConfigMap>(send, '/api/v1', 'configmaps');
  return {
    readNamespace: (p: { name: string }) =>
      send<V1Namespace>({
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(p.name)}`,
      }),
    createNamespace: (p: { body: V1Namespace }) =>
      send<V1Namespace>({ method: 'POST', path: '/api/v1/namespaces', body: p.body }),
    readNamespacedSecret: secrets.read,
    listNamespacedSecret: secrets.list,
    createNamespacedSecret: secrets.create,
    replaceNamespacedSecret: secrets.replace,
    deleteNamespacedSecret: secrets.remove,
    readNamespacedConfigMap: configMaps.read,
    createNamespacedConfigMap: configMaps.create,
    replaceNamespacedConfigMap: configMaps.replace,
    deleteNamespacedConfigMap: configMaps.remove,
    readNamespacedService: namespaced<V1Service>(send, '/api/v1', 'services').read,
    listNamespacedPod: namespaced<V1Pod>(send, '/api/v1', 'pods').list,
    listNamespacedEvent: namespaced<CoreV1Event>(send, '/api/v1', 'events').list,
  };
}

function appsApi(send: KubeTransport) {
  return {
    readNamespacedDeployment: namespaced<V1Deployment>(send, '/apis/apps/v1', 'deployments').read,
    listNamespacedReplicaSet: namespaced<V1ReplicaSet>(send, '/apis/apps/v1', 'replicasets').list,
  };
}

function coordinationApi(send: KubeTransport) {
  const leases = namespaced<V1Lease>(send, '/apis/coordination.k8s.io/v1', 'leases');
  return {
    readNamespacedLease: leases.read,
    createNamespacedLease: leases.create,
    replaceNamespacedLease: leases.replace,
    deleteNamespacedLease: leases.remove,
  };
}

function reviewApis(send: KubeTransport) {
  return {
    authorization: {
      createSelfSubjectAccessReview: (p: { body: V1SelfSubjectAccessReview }) =>
        send<V1SelfSubjectAccessReview>({
          method: 'POST',
          path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          body: p.body,
        }),
    },
    authentication: {
      createSelfSubjectReview: (p: { body: V1SelfSubjectReview }) =>
        send<V1SelfSubjectReview>({
          method: 'POST',
          path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
          body: p.body,
        }),
    },
  };
}

/** The API groups the cluster serves (discovery), by name. */
async function apiGroups(send: KubeTransport): Promise<string[]> {
  const list = await send<{ groups?: Array<{ name?: string }> }>({ method: 'GET', path: '/apis' });
  return (list.groups ?? []).map((g) => g.name ?? '');
}

export type CoreApi = ReturnType<typeof coreApi>;
export type AppsApi = ReturnType<typeof appsApi>;
export type CoordinationApi = ReturnType<typeof coordinationApi>;
export type ObjectApi = ReturnType<typeof objectApi>;

export interface KubeApis {
  objects: ObjectApi;
  core: CoreApi;
  apps: AppsApi;
  coordination: CoordinationApi;
  authorization: ReturnType<typeof reviewApis>['authorization'];
  authentication: ReturnType<typeof reviewApis>['authentication'];
  discovery: { apiGroups(): Promise<string[]> };
}

/** Every API deploy uses, over one transport; `resources` is the discovery cache to share. */
export function kubeApis(send: KubeTransport, resources = new ResourceCache()): KubeApis {
  return {
    objects: objectApi(send, resources),
    core: coreApi(send),
    apps: appsApi(send),
    coordination: coordinationApi(send),
    ...reviewApis(send),
    discovery: { apiGroups: () => apiGroups(send) },
  };
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** Discovery answers per group/version, kept for the life of the client (they do not change mid-deploy). */
export class ResourceCache {
  private readonly lists = new Map<string, Promise<ApiResource[]>>();

  async resource(send: KubeTransport, apiVersion: string, kind: string): Promise<ApiResource> {
    const cached = this.lists.get(apiVersion);
    const found = cached && (await cached.catch(() => [])).find(matches(kind));
    if (found) return found;
    // Not known yet, or not known when asked last: a CRD may have been installed since.
    const list = discover(send, apiVersion);
    this.lists.set(apiVersion, list);
    // A failure is not kept: the next call asks again.
    list.catch(() => this.lists.delete(apiVersion));
    const fresh = (await list).find(matches(kind));
    if (fresh === undefined) throw new UnservedKindError(apiVersion, kind);
    return fresh;
  }
}

const matches = (kind: string) => (r: ApiResource) => r.kind === kind && !r.name.includes('/');

async function discover(send: KubeTransport, apiVersion: string): Promise<ApiResource[]> {
  const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  try {
    const list = await send<{ resources?: ApiResource[] }>({ method: 'GET', path });
    return list.resources ?? [];
  } catch (err) {
    // The group/version itself is not served: its CRDs are not installed.
    if (err instanceof KubeApiError && err.code === 404) return [];
    throw err;
  }
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** Any kind by apiVersion and kind, its REST path found through discovery. */
function objectApi(send: KubeTransport, resources: ResourceCache) {
  const collection = async (apiVersion: string, kind: string, namespace?: string) => {
    const r = await resources.resource(send, apiVersion, kind);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const scope = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
    return `${base}${scope}/${r.name}`;
  };
  const path = async (ref: ObjectRef) =>
    `${await collection(ref.apiVersion, ref.kind, ref.metadata.namespace)}/${encodeURIComponent(ref.metadata.name)}`;
  return {
    /** Finds the kind's REST path now (discovery), so a later call need not. */
    discover: async (apiVersion: string, kind: string) => {
      await resources.resource(send, apiVersion, kind);
    },
    read: async <T = Record<string, unknown>>(ref: ObjectRef) =>
      send<T>({ method: 'GET', path: await path(ref) }),
    /** Across all namespaces when no namespace is given (for a namespaced kind). */
    list: async <T = ObjectRef>(
      apiVersion: string,
      kind: string,
      options: { namespace?: string; labelSelector?: string; limit?: number } = {},
    ) => {
      const r = await resources.resource(send, apiVersion, kind);
      const all = r.namespaced && options.namespace === undefined;
      const base = all
        ? `${apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`}/${r.name}`
        : await collection(apiVersion, kind, options.namespace);
      return send<List<T>>({
        method: 'GET',
        path: base,
        query: { labelSelector: options.labelSelector, limit: options.limit },
      });
    },
    /** Server-side apply of the whole object, owned by `fieldManager`. */
    apply: async <T extends ObjectRef>(
      object: T,
      options: { fieldManager: string; force: boolean; dryRun?: boolean },
    ) =>
      send<T>({
        method: 'PATCH',
        path: await path(object),
        query: {
          fieldManager: options.fieldManager,
          force: options.force,
          dryRun: options.dryRun ? 'All' : undefined,
        },
        body: object,
        contentType: 'application/apply-patch+yaml',
      }),
    delete: async (ref: ObjectRef, options: { propagationPolicy?: string } = {}) =>
      send<unknown>({
        method: 'DELETE',
        path: await path(ref),
        query: { propagationPolicy: options.propagationPolicy },
      }),
  };
}
