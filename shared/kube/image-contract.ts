import { InputError } from '../common/errors.ts';
import type { ImageFacts } from '../model/image-facts.ts';
import type { RuntimeName } from '../model/runtimes/serving.ts';

/** The deploy inputs the image also speaks to; undefined where the input was not given. */
export interface ContractInputs {
  runtime?: RuntimeName;
  port?: number;
  healthPath?: string;
  /** The `model` input: the served model name. */
  model?: string;
  modelVersion?: string;
}

export interface Contract {
  runtime: RuntimeName;
  /** The served model name, when the input or the image gives one. */
  modelName?: string;
  modelVersion?: string;
  /** What was taken from the image, one line each, for the log. */
  taken: string[];
}

/**
 * The image is the contract between package and deploy: what package
 * recorded (runtime, model name and version in the annotations, ports and
 * health paths in the model card) fills in the inputs not given, and an
 * input that says otherwise is refused with both values, since a pod built
 * from it would probe, route or label something the image does not serve.
 */
export function reconcileWithImage(
  given: ContractInputs,
  facts: ImageFacts | undefined,
  image: string,
): Contract {
  const taken: string[] = [];
  const refuse = (input: string, value: string, recorded: string, where: string): never => {
    throw new InputError(
      input,
      `is '${value}', but ${image} says ${recorded} (${where}); the image is what package built, so deploy follows it`,
      `leave ${input} unset, or package the model again with the ${input} you mean`,
    );
  };
  if (
    facts?.runtime !== undefined &&
    given.runtime !== undefined &&
    given.runtime !== facts.runtime
  ) {
    refuse(
      'runtime',
      given.runtime,
      `it was packaged for ${facts.runtime}`,
      'its dev.model-deploy.runtime annotation',
    );
  }
  const httpPort = facts?.ports?.[0];
  if (httpPort !== undefined && given.port !== undefined && given.port !== httpPort) {
    refuse(
      'port',
      String(given.port),
      `the server answers HTTP on port ${httpPort}`,
      'its model card',
    );
  }
  const ready = facts?.health?.ready;
  if (ready !== undefined && given.healthPath !== undefined && given.healthPath !== ready) {
    refuse(
      'health-path',
      given.healthPath,
      `the server reports ready at ${ready}`,
      'its model card',
    );
  }
  if (
    facts?.modelName !== undefined &&
    given.model !== undefined &&
    given.model !== facts.modelName
  ) {
    refuse(
      'model',
      given.model,
      `it serves the model '${facts.modelName}'`,
      'its dev.model-deploy.model.name annotation',
    );
  }
  // Any image may carry a version annotation; only package's is the model's.
  if (
    facts?.runtime !== undefined &&
    facts.version !== undefined &&
    given.modelVersion !== undefined &&
    given.modelVersion !== facts.version
  ) {
    refuse(
      'model-version',
      given.modelVersion,
      `it holds version '${facts.version as string}' of the model`,
      'its org.opencontainers.image.version annotation',
    );
  }
  const runtime = given.runtime ?? facts?.runtime ?? 'custom';
  if (given.runtime === undefined && facts?.runtime !== undefined) {
    taken.push(`runtime: ${facts.runtime}, as package recorded it in the image`);
  }
  if (given.port === undefined && httpPort !== undefined) {
    taken.push(`port: ${httpPort}, from the image's model card`);
  }
  if (given.healthPath === undefined && facts?.health !== undefined) {
    taken.push(
      `health paths: ${facts.health.ready} (ready), ${facts.health.live} (live), from the image's model card`,
    );
  }
  if (given.model === undefined && facts?.modelName !== undefined) {
    taken.push(`model name: ${facts.modelName}, as package recorded it in the image`);
  }
  if (given.modelVersion === undefined && facts?.version !== undefined) {
    taken.push(`model version: ${facts.version}, as package recorded it in the image`);
  }
  const modelName = given.model ?? facts?.modelName;
  const modelVersion = given.modelVersion ?? facts?.version;
  return {
    runtime,
    ...(modelName !== undefined ? { modelName } : {}),
    ...(modelVersion !== undefined ? { modelVersion } : {}),
    taken,
  };
}
