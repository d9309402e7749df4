/**
 * What every cloud folder implements. A new cloud is one new folder
 * exporting a `Cloud`, and one line in ./registry.ts; nothing else knows
 * cloud names.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../common/logger.ts';
import type { CloudProfile, ClusterFacts, LoadBalancerFinding } from './profile.ts';
import type { RegistryCredential } from '../registry/credential.ts';
import type { UploadPolicy } from '../registry/policy.ts';

/** A cloud's name as the registry lists it; also the `<name>:` destination prefix. */
export type CloudName = string;

/** How a registry client authenticates; defined next to the client that uses it. */
export type { RegistryCredential };

export interface RegistryAccess {
  /** Credentials for the registry's auth challenge; every secret already masked via logger.secret. */
  credential(): Promise<RegistryCredential>;
  /** Creates the repository when the registry needs it to exist; absent or a no-op elsewhere. */
  ensureRepository?(repository: string, options: { immutableTags?: boolean }): Promise<void>;
}

/** A connection to a cluster's API server, as a kubeconfig-equivalent. */
export interface ClusterConnection {
  server: string;
  /** PEM of the cluster CA; undefined means the system trust store. */
  caData?: string;
  /** A bearer token, renewed by `refresh` before it expires. */
  token?: string;
  /** Client certificate auth, for kubeconfigs that use it. */
  clientCertData?: string;
  clientKeyData?: string;
  skipTlsVerify?: boolean;
  /** Returns a fresh token when the current one is close to expiry. */
  refresh?(): Promise<string>;
  /** Where the cloud is, for cloud-profile defaults. */
  cloud: CloudName;
  /** A human name for logs and summaries (the `cluster` input as written, or the kubeconfig). */
  displayName: string;
}

export interface CloudContext {
  logger: Logger;
  /** Accept a kubeconfig that turns the API server's certificate check off (an explicit input). */
  allowInsecureKubeconfig?: boolean;
  /** Test and custom endpoints (moto, local doubles), by service name. */
  endpoints?: Record<string, string>;
}

/** The values of one cloud's identity inputs, by the cloud's own field names (`clientId`). */
export type IdentityValues = Record<string, string | undefined>;

/** Identity inputs of every cloud that has them, by cloud name. */
export type CloudIdentities = Record<CloudName, IdentityValues | undefined>;

/**
 * The `cluster` input, parsed: a kind (`kubeconfig`, `default`, or a
 * cloud's) and the fields that kind names.
 */
export interface ClusterSpec {
  kind: string;
  [field: string]: string;
}

/** What a registry client needs to reach one registry host. */
export interface RegistryAccessRequest {
  host: string;
  logger: Logger;
  /** The username/password inputs, for registries that take them. */
  username?: string;
  password?: string;
  identity?: CloudIdentities;
  insecureHosts?: readonly string[];
  /** Service endpoints for tests and private clouds, e.g. `artifactregistry`. */
  endpoints?: Record<string, string>;
}

export interface CloudRegistry {
  /** True for this cloud's registry hosts (port stripped, lower case); absent for a cloud that owns none. */
  ownsHost?(host: string): boolean;
  /** Sends the username/password inputs: a login meant for one host that no cloud owns. */
  takesLogin?: boolean;
  /** How blobs are sent to this cloud's registries. */
  uploadPolicy: UploadPolicy;
  /** Loads the cloud's registry code (and SDK) only when called. */
  access(request: RegistryAccessRequest): Promise<RegistryAccess>;
}

/** One kind of `cluster` input (`<kind>:<fields>`). */
export interface ClusterKind {
  kind: string;
  /** The kind an empty input means; it cannot be written out. */
  implicit?: boolean;
  /** What the input looks like, for error messages. */
  example: string;
  /** The spec from the text after `kind:`; `fail` throws the input error with the problem. */
  parse(rest: string, fail: (problem: string) => never): ClusterSpec;
  describe(spec: ClusterSpec): string;
  /** Loads the cloud's cluster code (and SDK) only when called. */
  connect(
    spec: ClusterSpec,
    context: CloudContext,
    identity: IdentityValues,
  ): Promise<ClusterConnection>;
}

/** Reads objects by key from one bucket or container. */
export interface ObjectReader {
  exists(key: string): Promise<boolean>;
  open(key: string): Promise<Readable>;
  /** Every object whose key starts with `prefix`, with its size in bytes. */
  list(prefix: string): Promise<Array<{ key: string; size: number }>>;
}

/**
 * Where the objects are: the store's URL (`s3://bucket/path`,
 * `wasbs://container@account.blob.core.windows.net/path`) and the settings
 * the model source has for it, by DVC's remote setting names
 * (`endpointurl`, `region`, `account_name`, `connection_string`).
 */
export interface ObjectLocation {
  url: string;
  settings?: Record<string, string | undefined>;
  /** Names the location in messages (`the DVC remote 'store'`). */
  source: string;
  /** The file the settings come from, for hints. */
  settingsFile?: string;
  /** The command that changes one setting, for hints. */
  setCommand?(setting: string, value: string): string;
  /** Words a location the store cannot read as written, in the model source's terms. */
  refuse?(problem: string, hint: string): Error;
  logger: Logger;
}

export interface ObjectStore {
  /** URL schemes this store reads, without the colon (`s3`, `gs`, `wasbs`). */
  schemes: readonly string[];
  /** Loads the cloud's storage code (and SDK) only when called. */
  reader(location: ObjectLocation): Promise<ObjectReader>;
}

/** Facts about a cluster that only this cloud knows how to find. */
export interface ClusterProbes {
  /** Who will give a LoadBalancer Service its address, when the cloud has several answers. */
  loadBalancerController?(cluster: ClusterFacts, logger: Logger): Promise<LoadBalancerFinding>;
}

/** Action inputs that name a cloud identity for GitHub OIDC federation. */
export interface IdentityInputs {
  /** Input name by field (`clientId: '<cloud>-client-id'`). */
  inputs: Record<string, string>;
  /** Throws an InputError naming the input when the values do not fit together. */
  check(values: IdentityValues): void;
}

export interface Cloud {
  name: CloudName;
  registry: CloudRegistry;
  /** The `cluster` input kinds this cloud connects. */
  clusters?: readonly ClusterKind[];
  /** True for this cloud's API server address, when a kubeconfig names the cluster. */
  ownsServer?(server: URL): boolean;
  objectStore?: ObjectStore;
  /** What manifests need to differ on this cloud. */
  profile: CloudProfile;
  probes?: ClusterProbes;
  identity?: IdentityInputs;
  /** How the runner signs in to this cloud, for messages about denied or missing credentials. */
  credentialHint?: string;
}
