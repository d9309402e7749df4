import type { GoogleAuth } from 'google-auth-library';
import { oneLine, UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, sleep } from '../../common/retry.ts';
import type { RegistryAccess, RegistryCredential } from '../types.ts';
import { googleAccessToken, googleAuth } from './credentials.ts';
import { googleJson } from './rest.ts';

const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const DEFAULT_API = 'https://artifactregistry.googleapis.com';

export interface ArtifactRegistryOptions {
  host: string;
  logger: Logger;
  /** The Artifact Registry API (`https://host[:port]/`); by default the public one, or gcloud's override variable. */
  endpoint?: string;
  auth?: GoogleAuth;
  env?: NodeJS.ProcessEnv;
  /** How long repository creation may take before the push gives up (default 2 minutes). */
  createTimeoutMs?: number;
}

/** A long-running operation of the Artifact Registry API. */
interface Operation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string };
}

/**
 * Artifact Registry: the user `oauth2accesstoken` with a Google access token as
 * password. Repositories (`<location>-docker.pkg.dev/<project>/<repository>/<image>`)
 * must exist; they are looked up and created through the REST API
 * (`projects.locations.repositories.get/create`, then the operation polled).
 */
export function artifactRegistryAccess(options: ArtifactRegistryOptions): RegistryAccess {
  const env = options.env ?? process.env;
  const auth = options.auth ?? googleAuth();
  const api = (
    options.endpoint ??
    env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY ??
    DEFAULT_API
  ).replace(/\/+$/, '');
  const token = () => googleAccessToken(auth, options.logger);
  return {
    async credential(): Promise<RegistryCredential> {
      return { kind: 'basic', username: 'oauth2accesstoken', password: await token() };
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
      const bearer = await token();
      try {
        await googleJson(`${api}/v1/${name}`, bearer, { server: 'Artifact Registry API' });
        return;
      } catch (err) {
        if (!(err instanceof HttpStatusError && err.status === 404)) {
          throw new UserError(
            `checking Artifact Registry repository ${name} failed: ${describe(err)}`,
            {
              hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
              cause: err,
            },
          );
        }
      }
      options.logger.info(`creating Artifact Registry repository ${name}`);
      const createHint =
        'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand';
      let operation: Operation;
      try {
        operation = await googleJson<Operation>(
          `${api}/v1/${parent}/repositories?repositoryId=${encodeURIComponent(repo)}`,
          bearer,
          {
            method: 'POST',
            server: 'Artifact Registry API',
            body: {
              format: 'DOCKER',
              description: 'Created by model-deploy',
              dockerConfig: { immutableTags: immutableTags ?? false },
            },
          },
        );
      } catch (err) {
        // Another job created it first: that is what we wanted.
        if (err instanceof HttpStatusError && err.status === 409) return;
        throw new UserError(
          `creating Artifact Registry repository ${name} failed: ${describe(err)}`,
          {
            hint: createHint,
            cause: err,
          },
        );
      }
      const deadline = Date.now() + (options.createTimeoutMs ?? 120_000);
      for (let delayMs = 250; !operation.done; delayMs = Math.min(delayMs * 2, 5_000)) {
        if (Date.now() > deadline) {
          throw new UserError(
            `creating Artifact Registry repository ${name} did not finish within ${Math.round((options.createTimeoutMs ?? 120_000) / 1000)} s (operation ${operation.name})`,
            {
              hint: 'check the operation in the Google Cloud console, or create the repository beforehand',
            },
          );
        }
        await sleep(delayMs);
        operation = await googleJson<Operation>(`${api}/v1/${operation.name}`, bearer, {
          server: 'Artifact Registry API',
        });
      }
      if (operation.error) {
        throw new UserError(
          `creating Artifact Registry repository ${name} failed: ${oneLine(
            String(operation.error.message ?? `code ${operation.error.code}`),
          ).slice(0, 300)}`,
          { hint: createHint },
        );
      }
    },
  };
}

function describe(err: unknown): string {
  return err instanceof HttpStatusError
    ? `HTTP ${err.status}: ${err.message}`
    : (err as Error).message;
}
