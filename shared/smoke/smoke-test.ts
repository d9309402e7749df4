import { errorMessage, UserError } from '../common/errors.ts';
import { ProxyAccessDenied } from '../common/kube-forbidden.ts';
import { NetworkError } from '../common/network.ts';
import { defaultClassify, withRetry } from '../common/retry.ts';
import type { Logger } from '../common/logger.ts';
import { checkAnswer, type ComparedValue } from './compare.ts';
import type { Endpoint } from './endpoint.ts';
import type { Expectations, TensorSpecExpectation } from './expectations.ts';
import type { Failure } from './failures.ts';
import { SmokeClient, excerpt, type HttpRequest, type HttpResult } from './http-client.ts';
import { runLoad, type LoadResult } from './load.ts';
import type { OpenApiValidator } from './openapi.ts';
import {
  protocolFor,
  type GrpcContents,
  type ModelOutputs,
  type Protocol,
  type PlainHttpSettings,
  type ProtocolContext,
  ProtocolError,
  type ProtocolName,
  type ServedMetadata,
  type Target,
  type TensorSpec,
} from './protocols/index.ts';
import { waitUntilReady, type ReadinessResult } from './readiness.ts';
import { statusLabel, type SmokeTransport } from './transport.ts';

export interface SmokeTestOptions {
  endpoint: Endpoint;
  /** TorchServe's management API. */
  management?: Endpoint | undefined;
  protocol: ProtocolName;
  http: PlainHttpSettings;
  /** For the gRPC protocols: tensors in typed fields (the default) or raw bytes. */
  grpcContents?: GrpcContents;
  target: Target;
  /** The parsed `request`; undefined means the protocol's default. */
  request: unknown;
  expect: Expectations | undefined;
  openapi: OpenApiValidator | undefined;
  requests: number;
  concurrency: number;
  warmup: number;
  waitReadyMs: number;
  timeoutMs: number;
  slo: { p95Ms: number | undefined; errorRate: number };
  logger: Logger;
}

export interface InferenceResult {
  method: string;
  path: string;
  /** The call in words: `POST /v2/models/m/infer`, or `inference.GRPCInferenceService/ModelInfer`. */
  call: string;
  /** The HTTP status, or the gRPC status code. */
  status: number;
  /** The status in words: `200`, or `OK`. */
  statusText: string;
  durationMs: number;
  outputs: ModelOutputs | undefined;
  compared: ComparedValue[];
}

export interface SmokeTestResult {
  passed: boolean;
  failures: Failure[];
  readiness: ReadinessResult;
  metadata: ServedMetadata | undefined;
  inference: InferenceResult | undefined;
  /** How many responses were checked against the OpenAPI document. */
  validatedResponses: number;
  load: LoadResult | undefined;
  /** From the start to the first inference answered as expected, when it was. */
  firstCorrectMs?: number;
}

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
  for (const want of expected) {
    const have = served.find((s) => s.name === want.name);
    if (have === undefined) {
      problems.push(
        `${kind.slice(0, -1)} '${want.name}' is not declared (declared: ${served.map((s) => s.name).join(', ') || 'none'})`,
      );
      continue;
    }
    if (
      want.datatype !== undefined &&
      want.datatype.toUpperCase() !== have.datatype.toUpperCase()
    ) {
      problems.push(
        `${kind.slice(0, -1)} '${want.name}' is ${have.datatype}, expected ${want.datatype}`,
      );
    }
    if (want.shape !== undefined && !shapesMatch(want.shape, have.shape)) {
      problems.push(
        `${kind.slice(0, -1)} '${want.name}' has shape [${have.shape.join(', ')}], expected [${want.shape.join(', ')}]`,
      );
    }
  }
  return problems;
}

function metadataFailures(
  protocol: ProtocolName,
  target: Target,
  metadata: ServedMetadata,
  expect: Expectations | undefined,
): Failure[] {
  const failures: Failure[] = [];
  if (protocol === 'openai') {
    if (target.model !== undefined && !metadata.versions.includes(target.model)) {
      failures.push({
        kind: 'wrong-version',
        message: `expected the model '${target.model}', the server serves ${metadata.versions.map((v) => `'${v}'`).join(', ') || 'none'}`,
      });
    }
  } else if (
    target.model !== undefined &&
    metadata.name !== undefined &&
    metadata.name !== target.model
  ) {
    failures.push({
      kind: 'wrong-metadata',
      message: `expected the model '${target.model}', the server names it '${metadata.name}'`,
    });
  }
  if (
    protocol !== 'openai' &&
    target.version !== undefined &&
    metadata.versionServed !== true &&
    !metadata.versions.includes(target.version)
  ) {
    failures.push({
      kind: 'wrong-version',
      message: `expected version ${target.version} of '${target.model ?? ''}', the server serves ${metadata.versions.length > 0 ? `version ${metadata.versions.join(', ')}` : 'no version'}`,
    });
  }
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

/**
 * A request that got no answer, as a failure: a NetworkError already names the
 * server, the cause and the fix; anything else gets the code undici hides in it.
 */
function noAnswer(what: string, err: unknown, timeoutMs: number): Failure {
  if (err instanceof NetworkError) {
    return {
      kind: 'server-errors',
      message: `${what}: ${err.message}`,
      ...(err.hint === undefined ? {} : { hint: err.hint }),
    };
  }
  return {
    kind: 'server-errors',
    message: `${what} got no answer: ${networkError(err, timeoutMs)}`,
  };
}

/** A network failure in words: the error code undici hides in it, and the timeout when it was one. */
function networkError(err: unknown, timeoutMs: number): string {
  const code =
    (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  const timedOut = typeof code === 'string' && code.includes('TIMEOUT');
  return `${typeof code === 'string' ? `${code}: ` : ''}${errorMessage(err)}${timedOut ? ` (timeout ${timeoutMs} ms)` : ''}`;
}

function looksLikeJson(result: HttpResult): boolean {
  return result.contentType.includes('json') || /^\s*[[{]/.test(result.text);
}

async function checkInference(
  options: SmokeTestOptions,
  protocol: Protocol,
  context: ProtocolContext,
  request: HttpRequest,
  failures: Failure[],
  metadata: ServedMetadata | undefined,
  /** Told the request when a fallback replaces it, so the load uses the one that works. */
  onRequest: (request: HttpRequest) => void,
): Promise<InferenceResult | undefined> {
  const transport = context.client;
  let call = transport.describeCall(request);
  let result: HttpResult;
  const send = async (): Promise<HttpResult | undefined> => {
    try {
      return await transport.send(request);
    } catch (err) {
      // A request that cannot be sent at all is the user's to fix; a network failure is the server's.
      if (err instanceof UserError && !(err instanceof NetworkError)) throw err;
      failures.push(noAnswer(call, err, options.timeoutMs));
      return undefined;
    }
  };
  const first = await send();
  if (first === undefined) return undefined;
  result = first;
  context.record(result);
  let statusText = transport.describeStatus(result.status);
  options.logger.info(`${call} answered ${statusText} in ${result.durationMs.toFixed(1)} ms`);
  const fallback =
    options.expect?.status === undefined && !transport.isSuccess(result.status)
      ? protocol.fallback?.(
          { request, status: result.status, text: result.text },
          options.target,
          options.request,
          metadata,
        )
      : undefined;
  if (fallback !== undefined) {
    options.logger.info(`${call} was refused: ${fallback.why}`);
    request = fallback.request;
    onRequest(request);
    call = transport.describeCall(request);
    const second = await send();
    if (second === undefined) return undefined;
    result = second;
    context.record(result);
    statusText = transport.describeStatus(result.status);
    options.logger.info(`${call} answered ${statusText} in ${result.durationMs.toFixed(1)} ms`);
  }
  const inference: InferenceResult = {
    method: request.method,
    path: request.path,
    call,
    status: result.status,
    statusText,
    durationMs: result.durationMs,
    outputs: undefined,
    compared: [],
  };
  const expectedStatus = options.expect?.status;
  const statusOk =
    expectedStatus === undefined
      ? transport.isSuccess(result.status)
      : result.status === expectedStatus;
  if (!statusOk) {
    const expected =
      expectedStatus === undefined ? (transport.kind === 'grpc' ? 'OK' : '2xx') : expectedStatus;
    failures.push({
      kind: 'bad-status',
      message: `${call} answered ${statusText}, expected ${expected}: ${excerpt(result.text)}`,
    });
    return inference;
  }
  let body: unknown = result.text;
  if (looksLikeJson(result)) {
    try {
      body = JSON.parse(result.text);
    } catch {
      if (options.protocol !== 'http') {
        failures.push({
          kind: 'wrong-answer',
          message: `${request.path} answered a body that is not JSON: ${excerpt(result.text)}`,
        });
        return inference;
      }
    }
  }
  try {
    inference.outputs = protocol.readOutputs(body);
  } catch (err) {
    failures.push({
      kind: 'wrong-answer',
      message: `${errorMessage(err)}: ${excerpt(result.text)}`,
    });
    return inference;
  }
  const outputs = inference.outputs;
  if (
    options.target.version !== undefined &&
    outputs.version !== undefined &&
    outputs.version !== options.target.version
  ) {
    failures.push({
      kind: 'wrong-version',
      message: `expected version ${options.target.version}, the inference response says model_version ${outputs.version}`,
    });
  }
  if (
    options.protocol === 'openai' &&
    options.target.model !== undefined &&
    outputs.model !== undefined &&
    outputs.model !== options.target.model
  ) {
    failures.push({
      kind: 'wrong-version',
      message: `expected the model '${options.target.model}', the completion came from '${outputs.model}'`,
    });
  }
  if (options.expect !== undefined) {
    const answer = checkAnswer(outputs, body, options.expect);
    inference.compared = answer.values;
    if (!answer.passed)
      failures.push({ kind: 'wrong-answer', message: answer.problems.join('; ') });
  }
  return inference;
}

function loadFailures(
  load: LoadResult,
  slo: SmokeTestOptions['slo'],
  transport: SmokeTransport,
  isSuccess: (status: number) => boolean,
): Failure[] {
  const failures: Failure[] = [];
  if (load.errorRate > slo.errorRate) {
    const kinds = [
      ...Object.entries(load.statuses)
        .filter(([s]) => !isSuccess(Number(s)))
        .map(([s, n]) => `${statusLabel(transport, Number(s))} ×${n}`),
      ...Object.entries(load.errors).map(([code, n]) => `${code} ×${n}`),
    ];
    failures.push({
      kind: 'server-errors',
      message: `${load.failed} of ${load.requests} requests failed (error rate ${(load.errorRate * 100).toFixed(2)}% > slo-error-rate ${(slo.errorRate * 100).toFixed(2)}%): ${kinds.join(', ')}`,
    });
  }
  if (slo.p95Ms !== undefined && load.latency.p95 > slo.p95Ms) {
    failures.push({
      kind: 'slo-miss',
      message: `p95 ${load.latency.p95.toFixed(1)} ms > slo-p95-ms ${slo.p95Ms} (p50 ${load.latency.p50.toFixed(1)} ms, p99 ${load.latency.p99.toFixed(1)} ms over ${load.requests} requests at concurrency ${load.concurrency})`,
    });
  }
  return failures;
}

/**
 * The transport the protocol speaks. gRPC is loaded only when a gRPC
 * protocol is used, so a REST smoke test does not pay for it.
 */
async function openTransport(
  protocol: Protocol,
  options: SmokeTestOptions,
): Promise<SmokeTransport> {
  if (protocol.transport === 'grpc') {
    const { GrpcClient } = await import('./grpc/client.ts');
    return new GrpcClient(options.endpoint, { timeoutMs: options.timeoutMs });
  }
  return new SmokeClient(options.endpoint, {
    timeoutMs: options.timeoutMs,
    connections: options.concurrency,
  });
}

/**
 * The whole smoke test: readiness, metadata, one checked inference, then
 * load against the SLOs. It stops early only when the server never becomes
 * ready; otherwise every check runs so the verdict lists all that is wrong.
 */
export async function runSmokeTest(options: SmokeTestOptions): Promise<SmokeTestResult> {
  const { logger } = options;
  const protocol = protocolFor(options.protocol, options.http, options.grpcContents);
  if (protocol.transport === 'grpc' && options.expect?.status !== undefined) {
    throw new UserError(
      `expect.status is an HTTP status, and protocol ${options.protocol} speaks gRPC, whose calls pass on status OK`,
      { hint: 'remove `status` from `expect`' },
    );
  }
  const client = await openTransport(protocol, options);
  const management =
    options.management === undefined
      ? undefined
      : new SmokeClient(options.management, { timeoutMs: options.timeoutMs, connections: 1 });
  const responses: HttpResult[] = [];
  const context: ProtocolContext = { client, management, record: (r) => responses.push(r) };
  const failures: Failure[] = [];
  const result: SmokeTestResult = {
    passed: false,
    failures,
    readiness: { ready: false, attempts: 0, waitedMs: 0, detail: '' },
    metadata: undefined,
    inference: undefined,
    validatedResponses: 0,
    load: undefined,
  };
  const started = Date.now();
  try {
    logger.info(
      `waiting up to ${Math.round(options.waitReadyMs / 1000)}s for ${options.endpoint.displayName} to be ready (${options.protocol})`,
    );
    result.readiness = await waitUntilReady(protocol, context, options.target, {
      waitReadyMs: options.waitReadyMs,
      logger,
    });
    if (!result.readiness.ready) {
      failures.push(result.readiness.failure!);
      return result;
    }
    logger.info(`ready after ${result.readiness.waitedMs} ms: ${result.readiness.detail}`);

    try {
      // A metadata read is retried like any API call (5xx, 429, resets): one hiccup
      // right after readiness says nothing about the model being the wrong one.
      result.metadata = await withRetry(() => protocol.metadata(context, options.target), {
        attempts: 3,
        baseDelayMs: 250,
        maxDelayMs: 2000,
        classify: (err) =>
          err instanceof ProtocolError
            ? { retry: err.status !== undefined && client.isTransient(err.status) }
            : defaultClassify(err),
      });
    } catch (err) {
      if (err instanceof ProxyAccessDenied) throw err;
      const refused =
        err instanceof ProtocolError &&
        err.status !== undefined &&
        client.isServerFault(err.status);
      failures.push(
        err instanceof ProtocolError && !refused
          ? { kind: 'wrong-metadata', message: errorMessage(err) }
          : refused
            ? { kind: 'server-errors', message: errorMessage(err) }
            : noAnswer('reading the model metadata', err, options.timeoutMs),
      );
    }
    if (result.metadata !== undefined) {
      logger.info(
        `serves '${result.metadata.name ?? '?'}' version ${result.metadata.versions.join(', ') || '?'}` +
          (result.metadata.inputs
            ? `; inputs ${result.metadata.inputs.map((i) => `${i.name} ${i.datatype}[${i.shape.join(',')}]`).join(', ')}`
            : ''),
      );
      failures.push(
        ...metadataFailures(options.protocol, options.target, result.metadata, options.expect),
      );
    } else if (options.protocol === 'torchserve' && options.target.version !== undefined) {
      logger.warning(
        'model-version is checked through the TorchServe management API: give management-url to check it',
      );
    }

    let request: HttpRequest;
    try {
      request = protocol.inferenceRequest(options.target, options.request, result.metadata);
    } catch (err) {
      failures.push({ kind: 'wrong-metadata', message: errorMessage(err) });
      return result;
    }
    const failuresBefore = failures.length;
    result.inference = await checkInference(
      options,
      protocol,
      context,
      request,
      failures,
      result.metadata,
      (replacement) => {
        request = replacement;
      },
    );
    if (result.inference !== undefined && failures.length === failuresBefore) {
      result.firstCorrectMs = Date.now() - started;
    }

    if (options.openapi !== undefined) {
      const openapi = options.openapi;
      const documented = responses.filter((r) => openapi.documents(r.path));
      const problems = documented.flatMap((r) =>
        openapi.validate(r.method, r.path, r.status, r.contentType, r.text),
      );
      result.validatedResponses = documented.length;
      const skipped = [
        ...new Set(
          responses.filter((r) => !openapi.documents(r.path)).map((r) => `${r.method} ${r.path}`),
        ),
      ];
      if (skipped.length > 0)
        logger.info(`not in the OpenAPI document, so not validated: ${skipped.join(', ')}`);
      if (problems.length > 0) {
        failures.push({
          kind: 'schema-violation',
          message: [...new Set(problems)].slice(0, 5).join('; '),
        });
      } else {
        logger.info(`${documented.length} responses match the OpenAPI document`);
      }
    }

    if (options.requests > 0) {
      logger.info(
        `load: ${options.requests} requests at concurrency ${options.concurrency} after ${options.warmup} warm-up requests`,
      );
      const expectedStatus = options.expect?.status;
      const isSuccess =
        expectedStatus === undefined
          ? (s: number) => client.isSuccess(s)
          : (s: number) => s === expectedStatus;
      result.load = await runLoad(client, {
        requests: options.requests,
        concurrency: options.concurrency,
        warmup: options.warmup,
        request,
        isSuccess,
      });
      const { latency } = result.load;
      logger.info(
        `p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ` +
          `${result.load.requestsPerSecond.toFixed(0)} requests/s, error rate ${(result.load.errorRate * 100).toFixed(2)}%`,
      );
      for (const example of result.load.examples.slice(0, 3))
        logger.info(`failed request: ${example}`);
      failures.push(...loadFailures(result.load, options.slo, client, isSuccess));
    }
    return result;
  } finally {
    result.passed = failures.length === 0;
    await client.close();
    await management?.close();
  }
}
