import type { ClusterSpec } from '../types.ts';

/** `aks:<subscription id>/<resource group>/<cluster name>`. */
export interface AksClusterSpec extends ClusterSpec {
  kind: 'aks';
  subscription: string;
  resourceGroup: string;
  name: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const AKS_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]?$/;

export function parseAksSpec(rest: string, fail: (problem: string) => never): AksClusterSpec {
  const parts = rest.split('/');
  const [subscription, resourceGroup, name] = parts;
  if (parts.length !== 3 || !subscription || !resourceGroup || !name) {
    return fail('must be aks:<subscription id>/<resource group>/<cluster name>');
  }
  if (!GUID.test(subscription))
    return fail(`has '${subscription}', which is not a subscription id (a GUID)`);
  if (!RESOURCE_GROUP.test(resourceGroup))
    return fail(`has '${resourceGroup}', which is not a resource group name`);
  if (!AKS_NAME.test(name)) return fail(`has '${name}', which is not an AKS cluster name`);
  return { kind: 'aks', subscription, resourceGroup, name };
}

export function describeAksSpec(spec: ClusterSpec): string {
  return `aks:${spec.subscription}/${spec.resourceGroup}/${spec.name}`;
}
