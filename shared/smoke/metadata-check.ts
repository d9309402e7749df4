import { errorMessage } from '../common/errors.ts';
import { ProxyAccessDenied } from '../common/kube-forbidden.ts';
import type { Logger } from '../common/logger.ts';
import { defaultClassify, withRetry } from '../common/retry.ts';
import type { Expectations, TensorSpecExpectation } from './expectations.ts';
import { noAnswer, type Failure } from './failures.ts';
import {
  ProtocolError,
  type Protocol,
  type ProtocolContext,
  type ProtocolName,
  type ServedMetadata,
  type Target,
  type TensorSpec,
} from './protocols/types.ts';

function shapesMatch(expected: number[], got: number[]): boolean {
  return (
    expected.length === got.length && expected.every((d, i) => d < 0 || got[i]! < 0 || d === got[i])
  );
}

function signatureProblems(
  kind: string,
  expected: TensorSpecExpectation[],
  served: TensorSpec[] | undefined,
): string[] {
  if (served === undefined) return [`the server does not declare its ${kind}`];
  const problems: string[] = [];
  const one = kind.slice(0, -1);
  for (const want of expected) {
    const have = served.find((s) => s.name === want.name);
    if (have === undefined) {
      problems.push(
        `${one} '${want.name}' is not declared (declared: ${served.map((s) => s.name).join(', ') || 'none'})`,
      );
      continue;
    }
    if (
      want.datatype !== undefined &&
      want.datatype.toUpperCase() !== have.datatype.toUpperCase()
    ) {
      problems.push(`${one} '${want.name}' is ${have.datatype}, expected ${want.datatype}`);
    }
    if (want.shape !== undefined && !shapesMatch(want.shape, have.shape)) {
      problems.push(
        `${one} '${want.name}' has shape [${have.shape.join(', ')}], expected [${want.shape.join(', ')}]`,
      );
    }
  }
  return problems;
}

function identityFailures(
  protocol: ProtocolName,
  target: Target,
  metadata: ServedMetadata,
): Failure[] {
  const failures: Failure[] = [];
  if (protocol === 'openai') {
    if (target.model !== undefined && !metadata.versions.includes(target.model)) {
      failures.push({
        kind: 'wrong-version',
        message: `expected the model '${target.model}', the server serves ${metadata.versions.map((v) => `'${v}'`).join(', ') || 'none'}`,
      });
    }
    return failures;
  }
  if (target.model !== undefined && metadata.name !== undefined && metadata.name !== target.model) {
    failures.push({
      kind: 'wrong-metadata',
      message: `expected the model '${target.model}', the server names it '${metadata.name}'`,
    });
  }
  if (
    target.version !== undefined &&
    metadata.versionServed !== true &&
    !metadata.versions.includes(target.version)
  ) {
    failures.push({
      kind: 'wrong-version',
      message: `expected version ${target.version} of '${target.model ?? ''}', the server serves ${metadata.versions.length > 0 ? `version ${metadata.versions.join(', ')}` : 'no version'}`,
    });
  }
  return failures;
}

/** What is wrong with the served model's name, version and signature. */
export function metadataFailures(
  protocol: ProtocolName,
  target: Target,
  metadata: ServedMetadata,
  expect: Expectations | undefined,
): Failure[] {
  const failures = identityFailures(protocol, target, metadata);
  const signature = expect?.signature;
  const problems = [
    ...(signature?.inputs ? signatureProblems('inputs', signature.inputs, metadata.inputs) : []),
    ...(signature?.outputs
      ? signatureProblems('outputs', signature.outputs, metadata.outputs)
      : []),
  ];
  if (problems.length > 0) failures.push({ kind: 'wrong-metadata', message: problems.join('; ') });
  return failures;
}

export interface MetadataCheck {
  metadata: ServedMetadata | undefined;
  failures: Failure[];
}

/** Reads what the server says it serves, and checks it against the target and `expect`. */
export async function checkMetadata(
  protocol: Protocol,
  context: ProtocolContext,
  settings: {
    protocol: ProtocolName;
    target: Target;
    expect: Expectations | undefined;
    timeoutMs: number;
    logger: Logger;
  },
): Promise<MetadataCheck> {
  const { target, logger } = settings;
  let metadata: ServedMetadata | undefined;
  const failures: Failure[] = [];
  try {
    metadata = await readMetadata(protocol, context, target);
  } catch (err) {
    if (err instanceof ProxyAccessDenied) throw err;
    failures.push(unreadMetadata(err, context, settings.timeoutMs));
  }
  if (metadata === undefined) {
    if (settings.protocol === 'torchserve' && target.version !== undefined) {
      warnTorchServeVersion(logger);
    }
    return { metadata, failures };
  }
  logger.info(
    `serves '${metadata.name ?? '?'}' version ${metadata.versions.join(', ') || '?'}` +
      (metadata.inputs
        ? `; inputs ${metadata.inputs.map((i) => `${i.name} ${i.datatype}[${i.shape.join(',')}]`).join(', ')}`
        : ''),
  );
  return {
    metadata,
    failures: metadataFailures(settings.protocol, target, metadata, settings.expect),
  };
}

function warnTorchServeVersion(logger: Logger): void {
  logger.warning(
    'model-version is checked through the TorchServe management API: give management-url to check it',
  );
}

/**
 * A metadata read is retried like any API call (5xx, 429, resets): one hiccup
 * right after readiness says nothing about the model being the wrong one.
 */
function readMetadata(
  protocol: Protocol,
  context: ProtocolContext,
  target: Target,
): Promise<ServedMetadata | undefined> {
  return withRetry(() => protocol.metadata(context, target), {
    attempts: 3,
    baseDelayMs: 250,
    maxDelayMs: 2000,
    classify: (err) =>
      err instanceof ProtocolError
        ? { retry: err.status !== undefined && context.client.isTransient(err.status) }
        : defaultClassify(err),
  });
}

function unreadMetadata(err: unknown, context: ProtocolContext, timeoutMs: number): Failure {
  const refused =
    err instanceof ProtocolError &&
    err.status !== undefined &&
    context.client.isServerFault(err.status);
  if (err instanceof ProtocolError && !refused) {
    return { kind: 'wrong-metadata', message: errorMessage(err) };
  }
  return refused
    ? { kind: 'server-errors', message: errorMessage(err) }
    : noAnswer('reading the model metadata', err, timeoutMs);
}
