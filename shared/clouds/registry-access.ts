import { InputError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { parseReference, registryApiHost, type ImageReference } from '../oci/reference.ts';
import { UploadPolicies, type UploadPolicy } from '../registry/policy.ts';
import { genericRegistryAccess } from './generic/registry.ts';
import type { CloudName, RegistryAccess } from './types.ts';

/**
 * Picks the cloud for a registry from its host (or an explicit `aws:`,
 * `azure:`, `gcp:`, `generic:` prefix, for custom endpoints), and gives the
 * registry access and upload policy for it. Cloud code loads only when used.
 */

export interface Destination {
  /** As the user wrote it, without the cloud prefix. */
  text: string;
  cloud: CloudName;
  reference: ImageReference;
  /** The host to send HTTP requests to. */
  host: string;
  /** `host/repository`, without tag. */
  name: string;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const ACR_HOST = /^[a-z0-9]+\.azurecr\.(?:io|cn|us|de)$/;
const GCP_HOST = /^(?:[a-z0-9-]+-docker\.pkg\.dev|(?:[a-z]+\.)?gcr\.io)$/;
const PREFIX = /^(aws|azure|gcp|generic):(?!\d+\/)/;

export function cloudOfHost(host: string): CloudName {
  const bare = host.toLowerCase().replace(/:\d+$/, '');
  if (ECR_HOST.test(bare)) return 'aws';
  if (ACR_HOST.test(bare)) return 'azure';
  if (GCP_HOST.test(bare)) return 'gcp';
  return 'generic';
}

export function parseDestination(text: string, input = 'destinations'): Destination {
  let rest = text.trim();
  let cloud: CloudName | undefined;
  const prefix = PREFIX.exec(rest);
  if (prefix) {
    cloud = prefix[1] as CloudName;
    rest = rest.slice(prefix[0].length);
  }
  const reference = parseReference(rest, input);
  if (reference.digest !== undefined) {
    throw new InputError(
      input,
      `names a digest ('${rest}'); a destination is a repository, optionally with a tag`,
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
    );
  }
  const host = registryApiHost(reference);
  return {
    text: rest,
    cloud: cloud ?? cloudOfHost(reference.registry),
    reference,
    host,
    name: `${reference.registry}/${reference.repository}`,
  };
}

/** The tags one destination gets, and why. */
export interface DestinationTags {
  tags: string[];
  /** Where they come from: the destination's own `:tag`, the `tags` input, or the package version. */
  source: 'destination' | 'tags' | 'package version';
  /** Tags the run would otherwise write that a destination with its own tag does not get. */
  notApplied: string[];
  /** Where the tags not applied come from. */
  notAppliedSource?: 'tags' | 'package version';
}

/**
 * A destination written with a tag (`ghcr.io/org/m:latest`) is tagged as
 * written and only so; the others get the `tags` input, or else the version
 * the package action recorded. The caller says so in the log, so a version
 * tag that a destination does not get is never dropped silently.
 */
export function destinationTags(
  destination: Pick<Destination, 'reference'>,
  tagsInput: readonly string[],
  packageTag: string | undefined,
): DestinationTags {
  const general: { tags: string[]; source: 'tags' | 'package version' } =
    tagsInput.length > 0
      ? { tags: [...tagsInput], source: 'tags' }
      : { tags: packageTag ? [packageTag] : [], source: 'package version' };
  const own = destination.reference.tag;
  if (own === undefined) return { ...general, notApplied: [] };
  const notApplied = general.tags.filter((t) => t !== own);
  return {
    tags: [own],
    source: 'destination',
    notApplied,
    ...(notApplied.length > 0 ? { notAppliedSource: general.source } : {}),
  };
}

export interface AccessOptions {
  logger: Logger;
  username?: string;
  password?: string;
  azureClientId?: string;
  azureTenantId?: string;
  insecureHosts?: readonly string[];
  /** Service endpoints for tests and private clouds, e.g. `artifactregistry`. */
  endpoints?: Record<string, string>;
}

export function uploadPolicyFor(cloud: CloudName): UploadPolicy {
  switch (cloud) {
    case 'aws':
      return UploadPolicies.ecr;
    case 'azure':
      return UploadPolicies.acr;
    case 'gcp':
      return UploadPolicies.artifactRegistry;
    default:
      return UploadPolicies.generic;
  }
}

export async function registryAccessFor(
  destination: Pick<Destination, 'cloud' | 'host'>,
  options: AccessOptions,
): Promise<RegistryAccess> {
  const { cloud, host } = destination;
  switch (cloud) {
    case 'aws': {
      const { ecrRegistryAccess } = await import('./aws/registry.ts');
      return ecrRegistryAccess({ host, logger: options.logger });
    }
    case 'azure': {
      const { acrRegistryAccess } = await import('./azure/registry.ts');
      return acrRegistryAccess({
        host,
        logger: options.logger,
        clientId: options.azureClientId,
        tenantId: options.azureTenantId,
        insecureHosts: options.insecureHosts,
      });
    }
    case 'gcp': {
      const { artifactRegistryAccess } = await import('./gcp/registry.ts');
      return artifactRegistryAccess({
        host,
        logger: options.logger,
        endpoint: options.endpoints?.artifactregistry,
      });
    }
    default:
      return genericRegistryAccess({
        host,
        username: options.username,
        password: options.password,
        logger: options.logger,
      });
  }
}
