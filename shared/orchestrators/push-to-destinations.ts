import {
  cloudOfHost,
  destinationTags,
  registryAccessFor,
  takesLogin,
  uploadPolicyFor,
  type AccessOptions,
  type Destination,
} from '../clouds/registry-access.ts';
import { InputError, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Digest } from '../oci/digest.ts';
import { readLayout } from '../oci/layout.ts';
import { registryApiHost } from '../oci/reference.ts';
import { RegistryClient } from '../registry/client.ts';
import {
  explainFailure,
  pushImage,
  type DestinationResult,
  type PushDestination,
} from '../registry/push-image.ts';
import { ungrouped, type LogGroup } from './log-group.ts';

/** One image layout pushed to every destination at once. */
export interface PushRequest {
  layout: string;
  destinations: Destination[];
  /** Empty: the package version recorded in the layout. */
  tags: string[];
  createRepository: boolean;
  immutableTags: boolean;
  username?: string | undefined;
  password?: string | undefined;
  /** The one generic registry host username/password are sent to. */
  loginHost?: string;
  azureClientId?: string | undefined;
  azureTenantId?: string | undefined;
  insecureRegistries: string[];
}

export interface PushOutcome {
  digest: Digest;
  /** One per destination, in the order given. */
  results: DestinationResult[];
  ms: number;
  /** What stopped the push (a bad input…): the results then are those known when it stopped. */
  error?: unknown;
}

export interface PushSettings {
  logger: Logger;
  group?: LogGroup;
  /** Where service endpoint overrides come from (private clouds, local test doubles). */
  env?: NodeJS.ProcessEnv;
}

/** Service endpoint overrides for private clouds and local test doubles. */
function endpointOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  const endpoints: Record<string, string> = {};
  if (env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY) {
    endpoints.artifactregistry = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY;
  }
  return endpoints;
}

function accessOptionsFor(request: PushRequest, settings: PushSettings): AccessOptions {
  return {
    logger: settings.logger,
    username: request.username,
    password: request.password,
    azureClientId: request.azureClientId,
    azureTenantId: request.azureTenantId,
    insecureHosts: request.insecureRegistries,
    endpoints: endpointOverrides(settings.env ?? process.env),
  };
}

function logTags(
  destination: Destination,
  chosen: ReturnType<typeof destinationTags>,
  logger: Logger,
): void {
  const { tags, source, notApplied, notAppliedSource } = chosen;
  if (source === 'destination' && notApplied.length > 0) {
    logger.warning(
      `${destination.text}: tagged '${tags[0]}' only, as written in destinations; ` +
        `${notApplied.map((t) => `'${t}'`).join(', ')} (${notAppliedSource === 'tags' ? 'from tags' : 'the package version'}) ` +
        `is not written to this destination. To write both, drop the tag from the line and give ` +
        `tags: ${[...notApplied, ...tags].join(', ')}`,
      { title: 'destination with its own tag' },
    );
  }
  logger.info(
    `${destination.name}: tags ${tags.join(', ')} (${source === 'destination' ? 'as written in destinations' : `from ${source === 'tags' ? 'tags' : 'the package version'}`})`,
  );
}

/** A destination made ready: its tags chosen, its login done, its repository there. */
async function prepare(
  destination: Destination,
  request: PushRequest,
  packageTag: string | undefined,
  accessOptions: AccessOptions,
): Promise<PushDestination> {
  const chosen = destinationTags(destination, request.tags, packageTag);
  if (chosen.tags.length === 0) {
    throw new InputError(
      'tags',
      'is required: the layout records no version to tag with',
      'tags: v3',
    );
  }
  logTags(destination, chosen, accessOptions.logger);
  // username/password reach only the registry they are for.
  const forThis = takesLogin(destination) && destination.host === request.loginHost;
  const access = await registryAccessFor(
    destination,
    forThis ? accessOptions : { ...accessOptions, username: undefined, password: undefined },
  );
  const repository = destination.reference.repository;
  if (request.createRepository && access.ensureRepository) {
    await access.ensureRepository(repository, { immutableTags: request.immutableTags });
  }
  const credential = await access.credential();
  return {
    name: destination.name,
    client: new RegistryClient({
      registry: destination.host,
      credential,
      logger: accessOptions.logger,
      insecureHosts: accessOptions.insecureHosts,
      input: 'destinations',
    }),
    repository,
    policy: uploadPolicyFor(destination.cloud),
    tags: chosen.tags,
  };
}

/**
 * A client for a base image's registry. Its credentials come from the same
 * cloud logic as destinations (a base image in ECR needs an ECR login); the
 * username/password inputs belong to destinations only.
 */
async function sourceClientFor(
  registry: string,
  accessOptions: AccessOptions,
): Promise<RegistryClient> {
  // `docker.io` in a reference is served from registry-1.docker.io.
  const host = registryApiHost({ registry });
  const access = await registryAccessFor(
    { cloud: cloudOfHost(host), host },
    { ...accessOptions, username: undefined, password: undefined },
  );
  return new RegistryClient({
    registry: host,
    credential: await access.credential(),
    logger: accessOptions.logger,
    insecureHosts: accessOptions.insecureHosts,
  });
}

/** One client per source registry, made on first use and shared by every blob from it. */
function sourceClients(accessOptions: AccessOptions): (host: string) => Promise<RegistryClient> {
  const clients = new Map<string, Promise<RegistryClient>>();
  return (host) => {
    let client = clients.get(host);
    if (client === undefined) {
      client = sourceClientFor(host, accessOptions);
      clients.set(host, client);
    }
    return client;
  };
}

/** The result of a destination that could not be prepared, in the place it was listed. */
function notPrepared(
  destination: Destination,
  reason: unknown,
  digest: Digest,
  ms: number,
  logger: Logger,
): DestinationResult {
  const error = explainFailure(reason);
  logger.error(`${destination.name}: ${error}`);
  return {
    name: destination.name,
    ok: false,
    error,
    digest,
    uploadedBytes: 0,
    skippedBytes: 0,
    mountedBytes: 0,
    ms,
  };
}

/** The push's verdict: which destinations failed and why, and which were pushed. */
export function pushFailure(results: DestinationResult[]): UserError | undefined {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return undefined;
  const ok = results.filter((r) => r.ok).map((r) => r.name);
  return new UserError(
    `push failed for ${failed.length} of ${results.length} destination(s): ` +
      failed.map((r) => `${r.name}: ${r.error}`).join('; ') +
      (ok.length > 0 ? `. Pushed: ${ok.join(', ')}` : ''),
  );
}

/**
 * Pushes one image layout to every destination: each prepared (tags, login,
 * repository) at once, then every blob read once and uploaded to all of them.
 * A destination whose login or repository fails is reported with the others;
 * it does not stop them. A bad input stops the push.
 */
export async function pushToDestinations(
  request: PushRequest,
  settings: PushSettings,
): Promise<PushOutcome> {
  const { logger, group = ungrouped } = settings;
  const layout = await readLayout(request.layout);
  const digest = layout.top.digest;
  const packageTag = layout.metadata?.version ?? layout.tag;
  const accessOptions = accessOptionsFor(request, settings);
  const started = performance.now();
  try {
    const prepared = await group('Preparing destinations', () =>
      Promise.allSettled(
        request.destinations.map((d) => prepare(d, request, packageTag, accessOptions)),
      ),
    );
    const inputProblem = prepared.find(
      (p): p is PromiseRejectedResult => p.status === 'rejected' && p.reason instanceof InputError,
    );
    if (inputProblem) throw inputProblem.reason;
    const ready = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const pushed =
      ready.length === 0
        ? []
        : await group(`Pushing ${digest} to ${ready.length} destination(s)`, () =>
            pushImage({
              layout,
              destinations: ready,
              logger,
              sourceClient: sourceClients(accessOptions),
            }),
          );
    let next = 0;
    const results = prepared.map((p, i) =>
      p.status === 'fulfilled'
        ? pushed[next++]!
        : notPrepared(
            request.destinations[i]!,
            p.reason,
            digest,
            performance.now() - started,
            logger,
          ),
    );
    return { digest, results, ms: performance.now() - started };
  } catch (err) {
    return { digest, results: [], ms: performance.now() - started, error: err };
  }
}
