import { InputError } from '../common/errors.ts';
import { parseReference, registryApiHost, type ImageReference } from '../oci/reference.ts';
import type { UploadPolicy } from '../registry/policy.ts';
import { CLOUDS, cloudNamed, cloudOfRegistryHost } from './registry.ts';
import type { CloudIdentities, CloudName, RegistryAccess, RegistryAccessRequest } from './types.ts';

/**
 * Picks the cloud for a registry from its host (or an explicit prefix with a
 * cloud's name, `<cloud>:host/repo`, for custom endpoints), and gives the
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

export function cloudOfHost(host: string): CloudName {
  return cloudOfRegistryHost(host).name;
}

/** `<cloud>:` before a destination; a port (`host:5000/`) is not one. */
function cloudPrefix(text: string): { cloud: CloudName; rest: string } | undefined {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon);
  if (colon <= 0 || /^\d+\//.test(text.slice(colon + 1))) return undefined;
  if (!CLOUDS.some((cloud) => cloud.name === name)) return undefined;
  return { cloud: name, rest: text.slice(colon + 1) };
}

export function parseDestination(text: string, input = 'destinations'): Destination {
  const prefix = cloudPrefix(text.trim());
  const rest = prefix?.rest ?? text.trim();
  const cloud = prefix?.cloud;
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

export interface AccessOptions extends Omit<RegistryAccessRequest, 'host'> {
  /** The federation identity of the cloud that reads `azure-client-id`/`azure-tenant-id`, when `identity` is not given. */
  azureClientId?: string;
  azureTenantId?: string;
}

/** Whether the username/password inputs may go to this destination's registry. */
export function takesLogin(destination: Pick<Destination, 'cloud'>): boolean {
  return cloudNamed(destination.cloud).registry.takesLogin === true;
}

export function uploadPolicyFor(cloud: CloudName): UploadPolicy {
  return cloudNamed(cloud).registry.uploadPolicy;
}

/** The identities in `identity`, or else those the two federation fields name. */
function identitiesOf(options: AccessOptions): CloudIdentities {
  if (options.identity !== undefined) return options.identity;
  const { azureClientId: clientId, azureTenantId: tenantId } = options;
  if (clientId === undefined && tenantId === undefined) return {};
  return { azure: { clientId, tenantId } };
}

export async function registryAccessFor(
  destination: Pick<Destination, 'cloud' | 'host'>,
  options: AccessOptions,
): Promise<RegistryAccess> {
  return cloudNamed(destination.cloud).registry.access({
    ...options,
    host: destination.host,
    identity: identitiesOf(options),
  });
}
