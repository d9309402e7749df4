/**
 * What every cloud folder (aws, azure, gcp, generic) implements. A new cloud
 * is one new folder with these; nothing above shared/clouds knows cloud names
 * beyond choosing a folder.
 */
import type { Logger } from '../common/logger.ts';
import type { RegistryCredential } from '../registry/credential.ts';

export type CloudName = 'aws' | 'azure' | 'gcp' | 'generic';

/** How a registry client authenticates; defined next to the client that uses it. */
export type { RegistryCredential };

export interface RegistryAccess {
  /** Credentials for the registry's auth challenge; every secret already masked via logger.secret. */
  credential(): Promise<RegistryCredential>;
  /** Creates the repository when the registry needs it to exist (ECR, Artifact Registry); no-op elsewhere. */
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
  /** A human name for logs and summaries (e.g. `eks:us-east-1/prod`). */
  displayName: string;
}

export interface CloudContext {
  logger: Logger;
  /** Accept a kubeconfig that turns the API server's certificate check off (an explicit input). */
  allowInsecureKubeconfig?: boolean;
  /** Test and custom endpoints (moto, local doubles), by service name. */
  endpoints?: Record<string, string>;
}
