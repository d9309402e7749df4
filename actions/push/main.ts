import {
  actionsLogger,
  azureFederationInputs,
  booleanInput,
  group,
  hostListInput,
  JobSummary,
  listInput,
  optionalString,
  requiredString,
  runAction,
  secretString,
  setOutput,
} from '../../shared/action/index.ts';
import { formatBytes } from '../../shared/common/bytes.ts';
import { formatDuration } from '../../shared/common/duration.ts';
import { InputError, UserError } from '../../shared/common/errors.ts';
import { readLayout } from '../../shared/oci/layout.ts';
import { isValidTag, registryApiHost } from '../../shared/oci/reference.ts';
import {
  cloudOfHost,
  destinationTags,
  parseDestination,
  registryAccessFor,
  uploadPolicyFor,
  type AccessOptions,
  type Destination,
} from '../../shared/clouds/registry-access.ts';
import { RegistryClient } from '../../shared/registry/client.ts';
import {
  explainFailure,
  pushImage,
  type DestinationResult,
  type PushDestination,
} from '../../shared/registry/push-image.ts';

export interface Inputs {
  layout: string;
  destinations: Destination[];
  /** Empty: the package version recorded in the layout. */
  tags: string[];
  createRepository: boolean;
  immutableTags: boolean;
  username?: string;
  password?: string;
  /** The one generic registry host username/password are sent to. */
  loginHost?: string;
  azureClientId?: string;
  azureTenantId?: string;
  insecureRegistries: string[];
}

export function getInputs(): Inputs {
  const destinations = listInput('destinations', {
    required: true,
    example: '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/resnet50',
  }).map((line) => parseDestination(line, 'destinations'));
  const tags = listInput('tags');
  for (const tag of tags) {
    if (!isValidTag(tag)) {
      throw new InputError(
        'tags',
        `has an invalid tag '${tag}' (letters, digits, _ . -, up to 128)`,
        'v3',
      );
    }
  }
  const username = optionalString('username');
  const password = secretString('password');
  if (password !== undefined && username === undefined) {
    throw new InputError(
      'username',
      'is required when password is given',
      'username: ${{ github.actor }}',
    );
  }
  if (username !== undefined && password === undefined) {
    throw new InputError(
      'password',
      'is required when username is given',
      'password: ${{ secrets.REGISTRY_TOKEN }}',
    );
  }
  // The login is for one registry: sent to several, a password for one would reach the others.
  const genericHosts = [
    ...new Set(destinations.filter((d) => d.cloud === 'generic').map((d) => d.host)),
  ];
  const credentialsFor = optionalString('credentials-for');
  if (credentialsFor !== undefined && !genericHosts.includes(credentialsFor)) {
    throw new InputError(
      'credentials-for',
      `names '${credentialsFor}', which is not the host of a generic destination (${genericHosts.join(', ') || 'there is none'})`,
      `credentials-for: ${genericHosts[0] ?? 'registry.example.com'}`,
    );
  }
  if (username !== undefined && credentialsFor === undefined && genericHosts.length > 1) {
    throw new InputError(
      'credentials-for',
      `is needed: username and password would go to several registries (${genericHosts.join(', ')}), and they are for one`,
      `credentials-for: ${genericHosts[0]}`,
    );
  }
  const loginHost = credentialsFor ?? (genericHosts.length === 1 ? genericHosts[0] : undefined);
  const azure = azureFederationInputs();
  return {
    layout: requiredString('layout', { example: '${{ steps.package.outputs.layout }}' }),
    destinations,
    tags,
    createRepository: booleanInput('create-repository', true),
    immutableTags: booleanInput('immutable-tags', false),
    username,
    password,
    ...(loginHost !== undefined ? { loginHost } : {}),
    azureClientId: azure.clientId,
    azureTenantId: azure.tenantId,
    insecureRegistries: hostListInput('insecure-registries'),
  };
}

/** Service endpoint overrides for private clouds and local test doubles. */
function endpointOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  const endpoints: Record<string, string> = {};
  if (env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY) {
    endpoints.artifactregistry = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_ARTIFACTREGISTRY;
  }
  return endpoints;
}

export async function run(): Promise<boolean> {
  return runAction('push', async () => {
    const inputs = getInputs();
    const logger = actionsLogger;
    const layout = await readLayout(inputs.layout);
    const digest = layout.top.digest;
    const packageTag = layout.metadata?.version ?? layout.tag;
    const accessOptions: AccessOptions = {
      logger,
      username: inputs.username,
      password: inputs.password,
      azureClientId: inputs.azureClientId,
      azureTenantId: inputs.azureTenantId,
      insecureHosts: inputs.insecureRegistries,
      endpoints: endpointOverrides(process.env),
    };

    const summary = new JobSummary('model-deploy: push');
    const started = performance.now();
    let results: DestinationResult[] = [];
    try {
      // A destination whose login or repository fails is reported with the
      // others; it does not stop them.
      const prepared = await group('Preparing destinations', () =>
        Promise.allSettled(
          inputs.destinations.map((d) => prepare(d, inputs, packageTag, accessOptions)),
        ),
      );
      const inputProblem = prepared.find(
        (p): p is PromiseRejectedResult =>
          p.status === 'rejected' && p.reason instanceof InputError,
      );
      if (inputProblem) throw inputProblem.reason;
      const ready = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
      const sources = new Map<string, Promise<RegistryClient>>();
      const pushed =
        ready.length === 0
          ? []
          : await group(`Pushing ${digest} to ${ready.length} destination(s)`, () =>
              pushImage({
                layout,
                destinations: ready,
                logger,
                sourceClient: (host) => {
                  let client = sources.get(host);
                  if (client === undefined) {
                    client = sourceClientFor(host, accessOptions);
                    sources.set(host, client);
                  }
                  return client;
                },
              }),
            );
      let next = 0;
      results = prepared.map((p, i) => {
        if (p.status === 'fulfilled') return pushed[next++]!;
        const error = explainFailure(p.reason);
        logger.error(`${inputs.destinations[i]!.name}: ${error}`);
        return {
          name: inputs.destinations[i]!.name,
          ok: false,
          error,
          digest,
          uploadedBytes: 0,
          skippedBytes: 0,
          mountedBytes: 0,
          ms: performance.now() - started,
        };
      });
    } finally {
      writeSummary(summary, digest, results, performance.now() - started);
      await summary.write();
    }

    const images: Record<string, string> = {};
    for (const [i, result] of results.entries()) {
      if (result.ref) images[inputs.destinations[i]!.text] = result.ref;
    }
    setOutput('digest', digest);
    setOutput('images', images);
    // The first destination as listed: what deploy's `image` takes in the usual one-registry job.
    setOutput('image', results[0]?.ref ?? '');
    setOutput(
      'bytes-uploaded',
      results.reduce((n, r) => n + r.uploadedBytes, 0),
    );
    setOutput(
      'bytes-skipped',
      results.reduce((n, r) => n + r.skippedBytes + r.mountedBytes, 0),
    );

    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) {
      const ok = results.filter((r) => r.ok).map((r) => r.name);
      throw new UserError(
        `push failed for ${failed.length} of ${results.length} destination(s): ` +
          failed.map((r) => `${r.name}: ${r.error}`).join('; ') +
          (ok.length > 0 ? `. Pushed: ${ok.join(', ')}` : ''),
      );
    }
  });
}

async function prepare(
  destination: Destination,
  inputs: Inputs,
  packageTag: string | undefined,
  accessOptions: AccessOptions,
): Promise<PushDestination> {
  const { tags, source, notApplied, notAppliedSource } = destinationTags(
    destination,
    inputs.tags,
    packageTag,
  );
  if (tags.length === 0) {
    throw new InputError(
      'tags',
      'is required: the layout records no version to tag with',
      'tags: v3',
    );
  }
  const { logger } = accessOptions;
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
  // username/password reach only the registry they are for.
  const forThis = destination.cloud === 'generic' && destination.host === inputs.loginHost;
  const access = await registryAccessFor(
    destination,
    forThis ? accessOptions : { ...accessOptions, username: undefined, password: undefined },
  );
  const repository = destination.reference.repository;
  if (inputs.createRepository && access.ensureRepository) {
    await access.ensureRepository(repository, { immutableTags: inputs.immutableTags });
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
    tags,
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

function writeSummary(
  summary: JobSummary,
  digest: string,
  results: DestinationResult[],
  totalMs: number,
): void {
  summary.facts([
    ['Digest', `\`${digest}\``],
    ['Destinations', `${results.filter((r) => r.ok).length} of ${results.length} pushed`],
    ['Time', formatDuration(totalMs)],
  ]);
  summary.table(
    ['Destination', 'Result', 'Image', 'Uploaded', 'Skipped (present)', 'Mounted', 'Time'],
    results.map((r) => [
      r.name,
      r.ok ? '✅ pushed' : `❌ ${r.error ?? 'failed'}`,
      r.ref ? `\`${r.ref}\`` : '',
      formatBytes(r.uploadedBytes),
      formatBytes(r.skippedBytes),
      formatBytes(r.mountedBytes),
      formatDuration(r.ms),
    ]),
  );
}
