import type { Logger } from '../common/logger.ts';
import type { CloudProfile, ClusterFacts, LoadBalancerFinding, ProfileName } from './profile.ts';
import { aws } from './aws/index.ts';
import { azure } from './azure/index.ts';
import { gcp } from './gcp/index.ts';
import { generic } from './generic/index.ts';
import type {
  Cloud,
  CloudIdentities,
  CloudName,
  ClusterKind,
  IdentityValues,
  ObjectStore,
} from './types.ts';

/** Every cloud, in the order their names are listed to users. */
export const CLOUDS: readonly Cloud[] = [aws, azure, gcp, generic];

/** The cloud of whatever no other cloud owns: the one that claims no registry host. */
function catchAll(): Cloud {
  const found = CLOUDS.find((cloud) => cloud.registry.ownsHost === undefined);
  if (found === undefined) throw new Error('no cloud takes the registries the others do not own');
  return found;
}

export function cloudNamed(name: CloudName): Cloud {
  const found = CLOUDS.find((cloud) => cloud.name === name);
  if (found === undefined) throw new Error(`no cloud is named '${name}'`);
  return found;
}

/** The cloud whose registry a host is (the port does not matter), else the catch-all. */
export function cloudOfRegistryHost(host: string): Cloud {
  const bare = host.toLowerCase().replace(/:\d+$/, '');
  return CLOUDS.find((cloud) => cloud.registry.ownsHost?.(bare)) ?? catchAll();
}

/** The cloud of an API server address (from a kubeconfig), else the catch-all. */
export function cloudOfServer(server: string): Cloud {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  return (url && CLOUDS.find((cloud) => cloud.ownsServer?.(url))) ?? catchAll();
}

/** Every `cluster` input kind, with the cloud that connects it. */
export function clusterKinds(): Array<{ cloud: Cloud; kind: ClusterKind }> {
  return CLOUDS.flatMap((cloud) => (cloud.clusters ?? []).map((kind) => ({ cloud, kind })));
}

export function clusterKind(kind: string): { cloud: Cloud; kind: ClusterKind } | undefined {
  return clusterKinds().find((entry) => entry.kind.kind === kind);
}

/** The object store that reads a URL scheme (`s3`, `gs`; without the colon). */
export function objectStoreFor(scheme: string): ObjectStore | undefined {
  return CLOUDS.find((cloud) => cloud.objectStore?.schemes.includes(scheme))?.objectStore;
}

/** Every scheme some cloud's object store reads. */
export function objectStoreSchemes(): string[] {
  return CLOUDS.flatMap((cloud) => cloud.objectStore?.schemes ?? []);
}

export const PROFILE_NAMES: readonly ProfileName[] = CLOUDS.map((cloud) => cloud.profile.name);

export function deployProfile(name: ProfileName): CloudProfile {
  const found = CLOUDS.find((cloud) => cloud.profile.name === name);
  if (found === undefined) throw new Error(`no cloud has the profile '${name}'`);
  return found.profile;
}

/** The profiles that can bind a workload to a cloud identity (the service-account input). */
export function profilesWithIdentity(): ProfileName[] {
  return CLOUDS.filter((cloud) => cloud.profile.identity).map((cloud) => cloud.profile.name);
}

/** The profile a cluster implies when the user chose none. */
export function defaultProfileFor(cloud: CloudName): ProfileName {
  return cloudNamed(cloud).profile.name;
}

/**
 * Each cloud's identity inputs, read with `read` (the action's optional input
 * getter) and checked by the cloud; a cloud none of whose inputs is set is left out.
 */
export function readCloudIdentities(read: (input: string) => string | undefined): CloudIdentities {
  const identities: CloudIdentities = {};
  for (const cloud of CLOUDS) {
    if (cloud.identity === undefined) continue;
    const values: IdentityValues = {};
    for (const [field, input] of Object.entries(cloud.identity.inputs)) {
      const value = read(input);
      if (value !== undefined) values[field] = value;
    }
    cloud.identity.check(values);
    if (Object.keys(values).length > 0) identities[cloud.name] = values;
  }
  return identities;
}

/**
 * Who will give a LoadBalancer Service its address on a cluster deployed
 * with `profile`: the cloud's own controller, unless the cloud has a probe
 * because it has several.
 */
export async function findLoadBalancerController(
  profile: ProfileName,
  cluster: ClusterFacts,
  logger: Logger,
): Promise<LoadBalancerFinding> {
  const probe = CLOUDS.find((cloud) => cloud.profile.name === profile)?.probes
    ?.loadBalancerController;
  return probe
    ? probe(cluster, logger)
    : { controller: 'cloud', evidence: "the cloud's own load balancer controller" };
}
