import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import type { GoogleAuth } from 'google-auth-library';
import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { RegistryAccess, RegistryCredential } from '../types.ts';
import { CLOUD_PLATFORM_SCOPE, googleAccessToken, googleAuth } from './credentials.ts';

const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const scopes = [CLOUD_PLATFORM_SCOPE];

export interface ArtifactRegistryOptions {
  host: string;
  logger: Logger;
  /** The Artifact Registry API (`https://host[:port]/`); by default the public one, or gcloud's override variable. */
  endpoint?: string;
  auth?: GoogleAuth;
  env?: NodeJS.ProcessEnv;
}

/** gRPC NOT_FOUND / ALREADY_EXISTS, or the HTTP statuses the REST transport reports. */
const isNotFound = (err: unknown) => [5, 404].includes(Number((err as { code?: unknown }).code));
const isAlreadyExists = (err: unknown) =>
  [6, 409].includes(Number((err as { code?: unknown }).code));

/**
 * Artifact Registry: the user `oauth2accesstoken` with a Google access token as
 * password. Repositories (`<location>-docker.pkg.dev/<project>/<repository>/<image>`)
 * must exist; they are looked up and created with @google-cloud/artifact-registry
 * over its REST transport (which also lets an endpoint override point it elsewhere).
 */
export function artifactRegistryAccess(options: ArtifactRegistryOptions): RegistryAccess {
  const env = options.env ?? process.env;
  const auth = options.auth ?? googleAuth();
  const override = options.endpoint ?? env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY;
  // The client finds the same application default credentials itself (it
  // carries its own copy of google-auth-library, so ours is not handed over).
  const client = () => {
    if (override === undefined) return new ArtifactRegistryClient({ fallback: true, scopes });
    const url = new URL(override);
    const protocol = url.protocol.replace(':', '');
    return new ArtifactRegistryClient({
      fallback: true,
      scopes,
      apiEndpoint: url.hostname,
      port: Number(url.port || (protocol === 'http' ? 80 : 443)),
      protocol,
    } as unknown as ConstructorParameters<typeof ArtifactRegistryClient>[0]);
  };
  return {
    async credential(): Promise<RegistryCredential> {
      const token = await googleAccessToken(auth, options.logger);
      return { kind: 'basic', username: 'oauth2accesstoken', password: token };
    },

    async ensureRepository(repository, { immutableTags }): Promise<void> {
      const location =
        AR_HOST.exec(options.host.replace(/:\d+$/, ''))?.[1] ?? env.CLOUDSDK_ARTIFACTS_LOCATION;
      const [project, repo] = repository.split('/');
      if (location === undefined) {
        options.logger.info(
          `not checking the Artifact Registry repository for ${options.host}: its location is not in the host name (set CLOUDSDK_ARTIFACTS_LOCATION)`,
        );
        return;
      }
      if (project === undefined || repo === undefined || !repository.includes('/')) {
        throw new UserError(
          `Artifact Registry destination ${options.host}/${repository} must be <location>-docker.pkg.dev/<project>/<repository>/<image>`,
        );
      }
      const parent = `projects/${project}/locations/${location}`;
      const name = `${parent}/repositories/${repo}`;
      const api = client();
      try {
        await api.getRepository({ name });
        return;
      } catch (err) {
        if (!isNotFound(err)) {
          throw new UserError(
            `checking Artifact Registry repository ${name} failed: ${(err as Error).message}`,
            {
              hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
            },
          );
        }
      }
      options.logger.info(`creating Artifact Registry repository ${name}`);
      try {
        const [operation] = await api.createRepository({
          parent,
          repositoryId: repo,
          repository: {
            format: 'DOCKER',
            description: 'Created by model-deploy',
            dockerConfig: { immutableTags: immutableTags ?? false },
          },
        });
        await operation.promise();
      } catch (err) {
        if (isAlreadyExists(err)) return;
        throw new UserError(
          `creating Artifact Registry repository ${name} failed: ${(err as Error).message}`,
          {
            hint: 'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand',
          },
        );
      } finally {
        await api.close();
      }
    },
  };
}
