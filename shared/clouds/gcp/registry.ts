import type { GoogleAuth } from 'google-auth-library';
import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { RegistryAccess, RegistryCredential } from '../types.ts';
import { googleAccessToken, googleAuth } from './credentials.ts';

const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const DEFAULT_ENDPOINT = 'https://artifactregistry.googleapis.com';

export interface ArtifactRegistryOptions {
  host: string;
  logger: Logger;
  /** The Artifact Registry API; by default the public one, or gcloud's override variable. */
  endpoint?: string;
  auth?: GoogleAuth;
  env?: NodeJS.ProcessEnv;
}

/**
 * Artifact Registry: the user `oauth2accesstoken` with a Google access token as
 * password. Repositories (`<location>-docker.pkg.dev/<project>/<repository>/<image>`)
 * must exist; they are created through the Artifact Registry REST API
 * (`v1/projects/*\/locations/*\/repositories`), called with the
 * google-auth-library client so the same credentials sign it.
 */
export function artifactRegistryAccess(options: ArtifactRegistryOptions): RegistryAccess {
  const env = options.env ?? process.env;
  const auth = options.auth ?? googleAuth();
  const endpoint = (
    options.endpoint ??
    env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY ??
    DEFAULT_ENDPOINT
  ).replace(/\/+$/, '');
  return {
    async credential(): Promise<RegistryCredential> {
      const token = await googleAccessToken(auth, options.logger);
      return { kind: 'basic', username: 'oauth2accesstoken', password: token };
    },

    async ensureRepository(repository, { immutableTags }): Promise<void> {
      const location =
        AR_HOST.exec(options.host.replace(/:\d+$/, ''))?.[1] ?? env.CLOUDSDK_ARTIFACTS_LOCATION;
      const [project, repo] = repository.split('/');
      if (location === undefined || project === undefined || repo === undefined) {
        if (location === undefined) {
          options.logger.info(
            `not checking the Artifact Registry repository for ${options.host}: its location is not in the host name (set CLOUDSDK_ARTIFACTS_LOCATION)`,
          );
          return;
        }
        throw new UserError(
          `Artifact Registry destination ${options.host}/${repository} must be <location>-docker.pkg.dev/<project>/<repository>/<image>`,
        );
      }
      const parent = `projects/${project}/locations/${location}`;
      const client = await auth.getClient();
      const get = await client.request({
        url: `${endpoint}/v1/${parent}/repositories/${repo}`,
        method: 'GET',
        validateStatus: () => true,
      });
      if (get.status === 200) return;
      if (get.status !== 404) {
        throw new UserError(
          `checking Artifact Registry repository ${parent}/repositories/${repo} failed: HTTP ${get.status}`,
          {
            hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
          },
        );
      }
      options.logger.info(`creating Artifact Registry repository ${parent}/repositories/${repo}`);
      const created = await client.request<{
        name?: string;
        done?: boolean;
        error?: { message?: string };
      }>({
        url: `${endpoint}/v1/${parent}/repositories?repositoryId=${encodeURIComponent(repo)}`,
        method: 'POST',
        data: {
          format: 'DOCKER',
          description: 'Created by model-deploy',
          dockerConfig: { immutableTags: immutableTags ?? false },
        },
        validateStatus: () => true,
      });
      if (created.status === 409) return;
      if (created.status !== 200) {
        throw new UserError(
          `creating Artifact Registry repository ${parent}/repositories/${repo} failed: HTTP ${created.status}`,
          {
            hint: 'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand',
          },
        );
      }
      // The create is a long-running operation; the push can wait for it briefly.
      let operation = created.data;
      for (let i = 0; i < 20 && operation.name && !operation.done; i++) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** i)));
        operation = (
          await client.request<typeof operation>({ url: `${endpoint}/v1/${operation.name}` })
        ).data;
      }
      if (operation.error) {
        throw new UserError(
          `creating Artifact Registry repository ${repo} failed: ${operation.error.message ?? 'unknown error'}`,
        );
      }
    },
  };
}
