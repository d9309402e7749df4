import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, apiVersionOf, groupVersions, type ResourceType } from './resources.ts';
import type { JsonObject } from './schema.ts';

/**
 * Discovery documents: /version, /api, /apis, the resource list of each group
 * version (legacy discovery), the aggregated discovery document (apidiscovery.k8s.io/v2)
 * that kubectl asks for first, and a minimal OpenAPI v3 that tells kubectl the
 * server supports the `fieldValidation` parameter (so `kubectl apply
 * --server-side` validates without a client-side schema).
 */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-test-double' };

export function versionInfo(): JsonObject {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions()
      .filter((g) => g.group !== '')
      .map((g) => ({
        name: g.group,
        versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
      })),
  };
}

export function apiGroup(group: string): JsonObject | undefined {
  const found = groupVersions().find((g) => g.group === group && group !== '');
  if (!found) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: found.versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${group}/${found.versions[0]}`, version: found.versions[0] },
  };
}

function typesIn(group: string, version: string): ResourceType[] {
  return RESOURCE_TYPES.filter((t) => t.group === group && t.versions.includes(version));
}

const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

function storageVersionHash(t: ResourceType): string {
  return createHash('sha256').update(`${t.group}/${t.resource}`).digest('base64').slice(0, 11);
}

export function resourceList(group: string, version: string): JsonObject | undefined {
  const types = typesIn(group, version);
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
      storageVersionHash: storageVersionHash(t),
    });
    if (t.hasStatus) {
      resources.push({
        name: `${t.resource}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: SUBRESOURCE_VERBS,
      });
    }
    if (t.hasScale) {
      resources.push({
        name: `${t.resource}/scale`,
        singularName: '',
        namespaced: t.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: SUBRESOURCE_VERBS,
      });
    }
    if (t.hasProxy) {
      resources.push({
        name: `${t.resource}/proxy`,
        singularName: '',
        namespaced: true,
        kind: `${t.kind}ProxyOptions`,
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      });
    }
    if (t.kind === 'Pod') {
      resources.push({
        name: 'pods/log',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources,
  };
}

export const AGGREGATED_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the client accepts the aggregated discovery document (v2) in preference to the legacy one. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0] ?? '';
  return (
    first.includes('as=APIGroupDiscoveryList') &&
    first.includes('v=v2') &&
    !first.includes('v=v2beta1')
  );
}

/** The aggregated discovery document for /api (core) or /apis (named groups). */
export function aggregatedDiscovery(core: boolean): JsonObject {
  const groups = groupVersions().filter((g) => (core ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => ({
      metadata: core ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        freshness: 'Current',
        resources: typesIn(g.group, version).map((t) => {
          const subresources: JsonObject[] = [];
          if (t.hasStatus)
            subresources.push({
              subresource: 'status',
              responseKind: { group: t.group, version, kind: t.kind },
              verbs: SUBRESOURCE_VERBS,
            });
          if (t.hasScale)
            subresources.push({
              subresource: 'scale',
              responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
              verbs: SUBRESOURCE_VERBS,
            });
          if (t.hasProxy)
            subresources.push({
              subresource: 'proxy',
              responseKind: { group: '', version: '', kind: `${t.kind}ProxyOptions` },
              verbs: ['create', 'delete', 'get', 'patch', 'update'],
            });
          if (t.kind === 'Pod')
            subresources.push({
              subresource: 'log',
              responseKind: { group: '', version: '', kind: 'Pod' },
              verbs: ['get'],
            });
          return {
            resource: t.resource,
            responseKind: { group: t.group, version, kind: t.kind },
            scope: t.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: t.singular,
            verbs: t.verbs,
            ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
            ...(t.categories.length ? { categories: t.categories } : {}),
            ...(subresources.length ? { subresources } : {}),
          };
        }),
      })),
    })),
  };
}

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function hashOf(value: unknown): string {
  return createHash('sha512')
    .update(JSON.stringify(value))
    .digest('hex')
    .toUpperCase()
    .slice(0, 128);
}

export function openApiV3Root(): JsonObject {
  const paths: JsonObject = {};
  for (const g of groupVersions()) {
    for (const v of g.versions) {
      const doc = openApiV3GroupVersion(g.group, v);
      paths[gvPath(g.group, v)] = {
        serverRelativeURL: `/openapi/v3/${gvPath(g.group, v)}?hash=${hashOf(doc)}`,
      };
    }
  }
  return { paths };
}

/**
 * Per group version: each resource's item path with a PATCH operation tagged
 * with its group/version/kind and listing `fieldValidation`, which is how
 * kubectl decides that validation happens on the server.
 */
export function openApiV3GroupVersion(group: string, version: string): JsonObject | undefined {
  const types = typesIn(group, version);
  if (types.length === 0) return undefined;
  const paths: JsonObject = {};
  const schemas: JsonObject = {};
  for (const t of types) {
    const base = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}/{name}`;
    const gvk = { group, version, kind: t.kind };
    const schemaName = `io.k8s.testdouble.${group || 'core'}.${version}.${t.kind}`;
    schemas[schemaName] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      'x-kubernetes-preserve-unknown-fields': true,
    };
    const parameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
    }));
    const response = {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
      },
    };
    paths[base] = {
      get: {
        operationId: `read${t.kind}`,
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
        responses: response,
      },
      put: {
        operationId: `replace${t.kind}`,
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        parameters,
        responses: response,
      },
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters,
        responses: response,
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
    paths,
    components: { schemas },
  };
}
