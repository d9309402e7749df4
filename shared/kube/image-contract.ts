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
  const contradiction = facts === undefined ? undefined : contradictionOf(given, facts);
  if (contradiction) {
    const { input, value, recorded, where } = contradiction;
    throw new InputError(
      input,
      `is '${value}', but ${image} says ${recorded} (${where}); the image is what package built, so deploy follows it`,
      `leave ${input} unset, or package the model again with the ${input} you mean`,
    );
  }
  const modelName = given.model ?? facts?.modelName;
  const modelVersion = given.modelVersion ?? facts?.version;
  return {
    runtime: given.runtime ?? facts?.runtime ?? 'custom',
    ...(modelName !== undefined ? { modelName } : {}),
    ...(modelVersion !== undefined ? { modelVersion } : {}),
    taken: facts === undefined ? [] : takenFromImage(given, facts),
  };
}

/** An input the image says otherwise about: the input, both values and where the image says it. */
export interface Contradiction {
  input: string;
  value: string;
  recorded: string;
  where: string;
}

export function contradictionOf(
  given: ContractInputs,
  facts: ImageFacts,
): Contradiction | undefined {
  if (facts.runtime !== undefined && given.runtime !== undefined && given.runtime !== facts.runtime)
    return {
      input: 'runtime',
      value: given.runtime,
      recorded: `it was packaged for ${facts.runtime}`,
      where: 'its dev.model-deploy.runtime annotation',
    };
  const httpPort = facts.ports?.[0];
  if (httpPort !== undefined && given.port !== undefined && given.port !== httpPort)
    return {
      input: 'port',
      value: String(given.port),
      recorded: `the server answers HTTP on port ${httpPort}`,
      where: 'its model card',
    };
  const ready = facts.health?.ready;
  if (ready !== undefined && given.healthPath !== undefined && given.healthPath !== ready)
    return {
      input: 'health-path',
      value: given.healthPath,
      recorded: `the server reports ready at ${ready}`,
      where: 'its model card',
    };
  if (facts.modelName !== undefined && given.model !== undefined && given.model !== facts.modelName)
    return {
      input: 'model',
      value: given.model,
      recorded: `it serves the model '${facts.modelName}'`,
      where: 'its dev.model-deploy.model.name annotation',
    };
  return versionContradiction(given, facts);
}

function versionContradiction(given: ContractInputs, facts: ImageFacts): Contradiction | undefined {
  // Any image may carry a version annotation; only package's is the model's.
  if (
    facts.runtime === undefined ||
    facts.version === undefined ||
    given.modelVersion === undefined ||
    given.modelVersion === facts.version
  )
    return undefined;
  return {
    input: 'model-version',
    value: given.modelVersion,
    recorded: `it holds version '${facts.version}' of the model`,
    where: 'its org.opencontainers.image.version annotation',
  };
}

/** What the image decided for the inputs not given, one line each, for the log. */
export function takenFromImage(given: ContractInputs, facts: ImageFacts): string[] {
  const taken: string[] = [];
  const httpPort = facts.ports?.[0];
  if (given.runtime === undefined && facts.runtime !== undefined) {
    taken.push(`runtime: ${facts.runtime}, as package recorded it in the image`);
  }
  if (given.port === undefined && httpPort !== undefined) {
    taken.push(`port: ${httpPort}, from the image's model card`);
  }
  if (given.healthPath === undefined && facts.health !== undefined) {
    taken.push(
      `health paths: ${facts.health.ready} (ready), ${facts.health.live} (live), from the image's model card`,
    );
  }
  if (given.model === undefined && facts.modelName !== undefined) {
    taken.push(`model name: ${facts.modelName}, as package recorded it in the image`);
  }
  if (given.modelVersion === undefined && facts.version !== undefined) {
    taken.push(`model version: ${facts.version}, as package recorded it in the image`);
  }
  return taken;
}
