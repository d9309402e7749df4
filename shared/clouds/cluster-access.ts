import { InputError } from '../common/errors.ts';
import type { ClusterConnection, CloudContext } from './types.ts';

/**
 * The `cluster` input: which cluster to deploy to and how to reach it. Each
 * kind maps to one cloud folder; nothing else here knows cloud APIs.
 */
export type ClusterSpec =
  | { kind: 'eks'; region: string; name: string }
  | { kind: 'aks'; subscription: string; resourceGroup: string; name: string }
  | { kind: 'gke'; project: string; location: string; name: string }
  | { kind: 'kubeconfig'; path: string }
  | { kind: 'default' };

const EXAMPLES =
  'eks:us-east-1/prod, aks:<subscription-id>/<resource-group>/prod, ' +
  'gke:my-project/europe-west4/prod or kubeconfig:./kubeconfig';

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const AKS_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]?$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_LOCATION = /^[a-z]+-[a-z]+\d(-[a-z])?$/;
const GKE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function parseClusterSpec(text: string | undefined, input = 'cluster'): ClusterSpec {
  const value = (text ?? '').trim();
  if (value === '') return { kind: 'default' };
  const colon = value.indexOf(':');
  const fail = (problem: string): never => {
    throw new InputError(input, `${problem}: '${value}'`, EXAMPLES);
  };
  if (colon <= 0) return fail('must start with eks:, aks:, gke: or kubeconfig:');
  const kind = value.slice(0, colon).toLowerCase();
  const rest = value.slice(colon + 1);
  const parts = rest.split('/');
  switch (kind) {
    case 'eks': {
      const [region, name] = parts;
      if (parts.length !== 2 || !region || !name)
        return fail('must be eks:<region>/<cluster name>');
      if (!REGION.test(region)) return fail(`has '${region}', which is not an AWS region`);
      if (!EKS_NAME.test(name)) return fail(`has '${name}', which is not an EKS cluster name`);
      return { kind: 'eks', region, name };
    }
    case 'aks': {
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
    case 'gke': {
      const [project, location, name] = parts;
      if (parts.length !== 3 || !project || !location || !name) {
        return fail('must be gke:<project>/<region or zone>/<cluster name>');
      }
      if (!GCP_PROJECT.test(project))
        return fail(`has '${project}', which is not a Google Cloud project id`);
      if (!GCP_LOCATION.test(location))
        return fail(`has '${location}', which is not a region or zone`);
      if (!GKE_NAME.test(name)) return fail(`has '${name}', which is not a GKE cluster name`);
      return { kind: 'gke', project, location, name };
    }
    case 'kubeconfig': {
      if (rest.trim() === '') return fail('must name a file after kubeconfig:');
      return { kind: 'kubeconfig', path: rest.trim() };
    }
    default:
      return fail(`has an unknown kind '${kind}'`);
  }
}

export function describeClusterSpec(spec: ClusterSpec): string {
  switch (spec.kind) {
    case 'eks':
      return `eks:${spec.region}/${spec.name}`;
    case 'aks':
      return `aks:${spec.subscription}/${spec.resourceGroup}/${spec.name}`;
    case 'gke':
      return `gke:${spec.project}/${spec.location}/${spec.name}`;
    case 'kubeconfig':
      return `kubeconfig:${spec.path}`;
    case 'default':
      return 'the runner kubeconfig';
  }
}

/**
 * Opens the connection for a spec. Cloud folders load lazily, so a kubeconfig
 * deploy never loads a cloud SDK.
 */
export interface ClusterIdentity {
  /** Entra workload identity federation with the job's GitHub OIDC token (AKS). */
  azure?: { clientId?: string; tenantId?: string };
}

export async function connectCluster(
  spec: ClusterSpec,
  context: CloudContext,
  identity: ClusterIdentity = {},
): Promise<ClusterConnection> {
  switch (spec.kind) {
    case 'eks': {
      const { eksConnection } = await import('./aws/cluster.ts');
      return eksConnection(spec, context);
    }
    case 'aks': {
      const { aksConnection } = await import('./azure/cluster.ts');
      const { azureCredential } = await import('./azure/credentials.ts');
      return aksConnection(
        spec,
        context,
        azureCredential({ ...identity.azure, logger: context.logger }),
      );
    }
    case 'gke': {
      const { gkeConnection } = await import('./gcp/cluster.ts');
      return gkeConnection(spec, context);
    }
    case 'kubeconfig':
    case 'default': {
      const { kubeconfigConnection } = await import('./generic/cluster.ts');
      return kubeconfigConnection(spec.kind === 'kubeconfig' ? spec.path : undefined, context);
    }
  }
}
