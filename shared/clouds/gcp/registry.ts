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

/** The API calls for one repository: where the API is, and the bearer token to send. */
interface RepositoryApi {
  api: string;
  bearer: string;
  createTimeoutMs: number;
}

const CREATE_HINT =
  'the identity needs roles/artifactregistry.admin to create repositories, or create it beforehand';

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
      const target = repositoryTarget(options.host, repository, env, options.logger);
      if (target === undefined) return;
      const calls = {
        api,
        bearer: await token(),
        createTimeoutMs: options.createTimeoutMs ?? 120_000,
      };
      if (await repositoryExists(calls, target.name)) return;
      options.logger.info(`creating Artifact Registry repository ${target.name}`);
      const operation = await createRepository(calls, target, immutableTags ?? false);
      if (operation !== undefined) await awaitCreation(calls, target.name, operation);
    },
  };
}

interface RepositoryTarget {
  /** `projects/<project>/locations/<location>` */
  parent: string;
  repository: string;
  /** `<parent>/repositories/<repository>` */
  name: string;
}

/** The repository a destination names; undefined when its location is unknown (nothing to check). */
function repositoryTarget(
  host: string,
  repository: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): RepositoryTarget | undefined {
  const location = AR_HOST.exec(host.replace(/:\d+$/, ''))?.[1] ?? env.CLOUDSDK_ARTIFACTS_LOCATION;
  const [project, repo] = repository.split('/');
  if (location === undefined) {
    logger.info(
      `not checking the Artifact Registry repository for ${host}: its location is not in the host name (set CLOUDSDK_ARTIFACTS_LOCATION)`,
    );
    return undefined;
  }
  if (project === undefined || repo === undefined || !repository.includes('/')) {
    throw new UserError(
      `Artifact Registry destination ${host}/${repository} must be <location>-docker.pkg.dev/<project>/<repository>/<image>`,
    );
  }
  const parent = `projects/${project}/locations/${location}`;
  return { parent, repository: repo, name: `${parent}/repositories/${repo}` };
}

async function repositoryExists(calls: RepositoryApi, name: string): Promise<boolean> {
  try {
    await googleJson(`${calls.api}/v1/${name}`, calls.bearer, { server: 'Artifact Registry API' });
    return true;
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return false;
    throw new UserError(`checking Artifact Registry repository ${name} failed: ${describe(err)}`, {
      hint: 'the identity needs artifactregistry.repositories.get (roles/artifactregistry.writer)',
      cause: err,
    });
  }
}

/** Starts the creation; undefined when another job created the repository first. */
async function createRepository(
  calls: RepositoryApi,
  target: RepositoryTarget,
  immutableTags: boolean,
): Promise<Operation | undefined> {
  try {
    return await googleJson<Operation>(
      `${calls.api}/v1/${target.parent}/repositories?repositoryId=${encodeURIComponent(target.repository)}`,
      calls.bearer,
      {
        method: 'POST',
        server: 'Artifact Registry API',
        body: {
          format: 'DOCKER',
          description: 'Created by model-deploy',
          dockerConfig: { immutableTags },
        },
      },
    );
  } catch (err) {
    // Another job created it first: that is what we wanted.
    if (err instanceof HttpStatusError && err.status === 409) return undefined;
    throw new UserError(
      `creating Artifact Registry repository ${target.name} failed: ${describe(err)}`,
      { hint: CREATE_HINT, cause: err },
    );
  }
}

/** Polls the creation's long-running operation until it is done, with backoff. */
async function awaitCreation(
  calls: RepositoryApi,
  name: string,
  started: Operation,
): Promise<void> {
  const deadline = Date.now() + calls.createTimeoutMs;
  let operation = started;
  for (let delayMs = 250; !operation.done; delayMs = Math.min(delayMs * 2, 5_000)) {
    if (Date.now() > deadline) {
      throw new UserError(
        `creating Artifact Registry repository ${name} did not finish within ${Math.round(calls.createTimeoutMs / 1000)} s (operation ${operation.name})`,
        {
          hint: 'check the operation in the Google Cloud console, or create the repository beforehand',
        },
      );
    }
    await sleep(delayMs);
    operation = await googleJson<Operation>(`${calls.api}/v1/${operation.name}`, calls.bearer, {
      server: 'Artifact Registry API',
    });
  }
  if (operation.error) {
    throw new UserError(
      `creating Artifact Registry repository ${name} failed: ${oneLine(
        String(operation.error.message ?? `code ${operation.error.code}`),
      ).slice(0, 300)}`,
      { hint: CREATE_HINT },
    );
  }
}

function describe(err: unknown): string {
  return err instanceof HttpStatusError
    ? `HTTP ${err.status}: ${err.message}`
    : (err as Error).message;
}
