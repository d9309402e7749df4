import { InputError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { reconcileWithImage, type Contract } from '../../kube/image-contract.ts';
import { RUNTIME_NAMES } from '../../model/runtimes/serving.ts';
import { smokeProtocolOf } from '../../smoke/protocols/for-runtime.ts';
import { readImageFacts, type ImageFacts } from '../../model/image-facts.ts';
import { parseReference, repositoryName } from '../../oci/reference.ts';
import type { DeployRequest } from './request.ts';

export interface ImageInfo {
  reference: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What to give `image`: push's outputs are by digest, with their repository. */
const PUSHED_IMAGE_EXAMPLE =
  "image: ${{ steps.push.outputs.image }}, or with several destinations ${{ fromJSON(steps.push.outputs.images)['ghcr.io/org/resnet50'] }}, each host/repository@sha256:…";

/** The image to deploy, pinned by digest unless the user accepts a tag. */
export function checkImage(request: DeployRequest, logger: Logger): ImageInfo {
  if (request.image === '') return { reference: `revision ${request.rollbackTo}`, repository: '' };
  if (/^sha256:/i.test(request.image)) {
    // push's `digest` output alone: the cluster cannot pull a digest without its repository.
    throw new InputError(
      'image',
      `is '${request.image}', a digest without its repository; the cluster pulls host/repository@sha256:…, not a bare digest (push's digest output is the bare one)`,
      PUSHED_IMAGE_EXAMPLE,
    );
  }
  const ref = parseReference(request.image, 'image');
  if (!ref.digest) {
    if (request.requireDigest) {
      throw new InputError(
        'image',
        `'${request.image}' has no digest, and require-digest is true`,
        PUSHED_IMAGE_EXAMPLE,
      );
    }
    logger.warning(
      `image ${request.image} is not pinned by digest: the cluster may run a different image than the one tested, and rollback-to by digest cannot find it. Deploy what push wrote, host/repository@sha256:… (its image or images output).`,
      { title: 'image without digest' },
    );
  }
  return {
    reference: request.image,
    repository: repositoryName(ref).replace(/^docker\.io\//, ''),
    ...(ref.tag ? { tag: ref.tag } : {}),
    ...(ref.digest ? { digest: ref.digest } : {}),
  };
}

export interface CompletedRequest {
  request: DeployRequest;
  facts?: ImageFacts;
}

/**
 * What the image tells when the inputs do not: the runtime, served model
 * name and version package recorded in its annotations, the HTTP port and
 * health paths of its model card, and the user and command of its config.
 * An input that contradicts the image is refused. When every input the
 * image would decide is given and the image cannot be read (a registry only
 * the cluster may pull from), deploy goes on with a warning.
 */
export async function completeFromImage(
  request: DeployRequest,
  logger: Logger,
  early?: EarlyFacts,
): Promise<CompletedRequest> {
  if (request.chart || request.image === '') return { request: withAnalysisProtocol(request) };
  const facts = early ? await early.settle(logger) : await readFacts(request, logger);
  const { strategy } = request;
  const contract = reconcileWithImage(
    {
      ...(request.runtime ? { runtime: request.runtime } : {}),
      ...(request.port ? { port: request.port } : {}),
      ...(request.healthPath ? { healthPath: request.healthPath } : {}),
      ...(strategy.modelGiven ? { model: strategy.analysis.smoke.target.model } : {}),
      ...(request.modelVersion !== undefined ? { modelVersion: request.modelVersion } : {}),
    },
    facts,
    request.image,
  );
  for (const line of contract.taken) logger.info(line);
  if (facts !== undefined && facts.runtime === undefined && request.runtime === undefined) {
    logger.info(
      `runtime: custom (the image has no runtime recorded by the package action; set runtime to choose one of ${RUNTIME_NAMES.join(', ')})`,
    );
  }
  const completed = withAnalysisProtocol(withContract(request, contract));
  return facts === undefined ? { request: completed } : { request: completed, facts };
}

/** The image's facts, read while deploy connects to the cluster. */
export interface EarlyFacts {
  /** The facts, with the reading's log lines told to `logger` now, where the render shows them. */
  settle(logger: Logger): Promise<ImageFacts | undefined>;
}

/**
 * Starts reading the image (registry sign-in, manifest, config) at once, so
 * it overlaps the cluster sign-in. Its log lines wait for settle(); a secret
 * it meets is masked at once.
 */
export function readFactsEarly(request: DeployRequest, logger: Logger): EarlyFacts | undefined {
  if (request.chart || request.image === '' || request.rollbackTo) return undefined;
  const held: Array<(target: Logger) => void> = [];
  const holding: Logger = {
    info: (m) => void held.push((target) => target.info(m)),
    debug: (m) => void held.push((target) => target.debug(m)),
    warning: (m, p) => void held.push((target) => target.warning(m, p)),
    error: (m, p) => void held.push((target) => target.error(m, p)),
    secret: (v) => logger.secret(v),
  };
  const reading = readFacts(request, holding).then(
    (facts) => ({ facts }),
    (error: unknown) => ({ error }),
  );
  return {
    async settle(target) {
      const read = await reading;
      for (const tell of held.splice(0)) tell(target);
      if ('error' in read) throw read.error;
      return read.facts;
    },
  };
}

async function readFacts(request: DeployRequest, logger: Logger): Promise<ImageFacts | undefined> {
  try {
    return await readImageFacts(parseReference(request.image, 'image'), {
      logger,
      ...(request.azureClientId ? { azureClientId: request.azureClientId } : {}),
      ...(request.azureTenantId ? { azureTenantId: request.azureTenantId } : {}),
    });
  } catch (err) {
    if (request.runtime === undefined) throw err;
    logger.warning(
      `${(err as Error).message}; deploying as runtime ${request.runtime} without checking the inputs against the image`,
      { title: 'image not read' },
    );
    return undefined;
  }
}

/** The request with the runtime, model name and version that the image and inputs agree on. */
export function withContract(request: DeployRequest, contract: Contract): DeployRequest {
  const modelVersion = contract.modelVersion ?? request.modelVersion;
  const { smoke } = request.strategy.analysis;
  const target = {
    ...smoke.target,
    ...(contract.modelName !== undefined ? { model: contract.modelName } : {}),
  };
  if (modelVersion !== undefined && target.version === undefined) target.version = modelVersion;
  return {
    ...request,
    runtime: contract.runtime,
    ...(modelVersion !== undefined ? { modelVersion } : {}),
    strategy: {
      ...request.strategy,
      analysis: { ...request.strategy.analysis, smoke: { ...smoke, target } },
    },
  };
}

/** The analysis speaks the runtime's protocol unless the `protocol` input chose one. */
export function withAnalysisProtocol(request: DeployRequest): DeployRequest {
  if (request.strategy.protocolGiven) return request;
  const { analysis } = request.strategy;
  return {
    ...request,
    strategy: {
      ...request.strategy,
      analysis: {
        ...analysis,
        smoke: { ...analysis.smoke, protocol: smokeProtocolOf(request.runtime ?? 'custom') },
      },
    },
  };
}
