import { errorMessage, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { NetworkError } from '../common/network.ts';
import { checkAnswer, type ComparedValue } from './compare.ts';
import type { Expectations } from './expectations.ts';
import { noAnswer, type Failure } from './failures.ts';
import { excerpt, type HttpRequest, type HttpResult } from './http-client.ts';
import type {
  ModelOutputs,
  Protocol,
  ProtocolContext,
  ProtocolName,
  ServedMetadata,
  Target,
} from './protocols/types.ts';
import type { SmokeTransport } from './transport.ts';

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

export interface InferenceSettings {
  protocol: ProtocolName;
  target: Target;
  /** The parsed `request`; undefined means the protocol's default. */
  request: unknown;
  expect: Expectations | undefined;
  timeoutMs: number;
  logger: Logger;
}

export interface InferenceCheck {
  inference: InferenceResult | undefined;
  /** The request that was answered: a protocol's fallback may have replaced the first one. */
  request: HttpRequest;
  failures: Failure[];
}

/** One answered call: the request sent, the call in words and what came back. */
interface Exchange {
  request: HttpRequest;
  call: string;
  result: HttpResult;
  statusText: string;
}

type Sent = { exchange: Exchange } | { failure: Failure; request: HttpRequest };

/** Sends one request; a network failure is the server's, a request that cannot be sent the user's. */
async function send(
  context: ProtocolContext,
  request: HttpRequest,
  settings: InferenceSettings,
): Promise<Sent> {
  const transport = context.client;
  const call = transport.describeCall(request);
  let result: HttpResult;
  try {
    result = await transport.send(request);
  } catch (err) {
    if (err instanceof UserError && !(err instanceof NetworkError)) throw err;
    return { failure: noAnswer(call, err, settings.timeoutMs), request };
  }
  context.record(result);
  const statusText = transport.describeStatus(result.status);
  settings.logger.info(`${call} answered ${statusText} in ${result.durationMs.toFixed(1)} ms`);
  return { exchange: { request, call, result, statusText } };
}

/** The inference call, and the protocol's fallback request when the server refuses the first. */
async function exchange(
  protocol: Protocol,
  context: ProtocolContext,
  request: HttpRequest,
  settings: InferenceSettings & { metadata: ServedMetadata | undefined },
): Promise<Sent> {
  const first = await send(context, request, settings);
  if (!('exchange' in first)) return first;
  const { result, call } = first.exchange;
  if (settings.expect?.status !== undefined || context.client.isSuccess(result.status))
    return first;
  const fallback = protocol.fallback?.(
    { request, status: result.status, text: result.text },
    settings.target,
    settings.request,
    settings.metadata,
  );
  if (fallback === undefined) return first;
  settings.logger.info(`${call} was refused: ${fallback.why}`);
  return send(context, fallback.request, settings);
}

function statusFailure(
  transport: SmokeTransport,
  answered: Exchange,
  expect: Expectations | undefined,
): Failure | undefined {
  const { result } = answered;
  const expectedStatus = expect?.status;
  const statusOk =
    expectedStatus === undefined
      ? transport.isSuccess(result.status)
      : result.status === expectedStatus;
  if (statusOk) return undefined;
  const expected =
    expectedStatus === undefined ? (transport.kind === 'grpc' ? 'OK' : '2xx') : expectedStatus;
  return {
    kind: 'bad-status',
    message: `${answered.call} answered ${answered.statusText}, expected ${expected}: ${excerpt(result.text)}`,
  };
}

function looksLikeJson(result: HttpResult): boolean {
  return result.contentType.includes('json') || /^\s*[[{]/.test(result.text);
}

/** The answer's body: JSON when it looks like JSON; plain HTTP may answer anything. */
function answerBody(answered: Exchange, protocol: ProtocolName): { body: unknown } | Failure {
  const { result } = answered;
  if (!looksLikeJson(result)) return { body: result.text };
  try {
    return { body: JSON.parse(result.text) };
  } catch {
    if (protocol === 'http') return { body: result.text };
    return {
      kind: 'wrong-answer',
      message: `${answered.request.path} answered a body that is not JSON: ${excerpt(result.text)}`,
    };
  }
}

function identityFailures(outputs: ModelOutputs, settings: InferenceSettings): Failure[] {
  const { target } = settings;
  const failures: Failure[] = [];
  if (target.version !== undefined && outputs.version !== undefined) {
    if (outputs.version !== target.version) {
      failures.push({
        kind: 'wrong-version',
        message: `expected version ${target.version}, the inference response says model_version ${outputs.version}`,
      });
    }
  }
  if (
    settings.protocol === 'openai' &&
    target.model !== undefined &&
    outputs.model !== undefined &&
    outputs.model !== target.model
  ) {
    failures.push({
      kind: 'wrong-version',
      message: `expected the model '${target.model}', the completion came from '${outputs.model}'`,
    });
  }
  return failures;
}

/** The answer judged: its status, its outputs read by the protocol, its model and version, `expect`. */
function judge(
  protocol: Protocol,
  transport: SmokeTransport,
  answered: Exchange,
  settings: InferenceSettings,
): { inference: InferenceResult; failures: Failure[] } {
  const { request, result } = answered;
  const inference: InferenceResult = {
    method: request.method,
    path: request.path,
    call: answered.call,
    status: result.status,
    statusText: answered.statusText,
    durationMs: result.durationMs,
    outputs: undefined,
    compared: [],
  };
  const badStatus = statusFailure(transport, answered, settings.expect);
  if (badStatus !== undefined) return { inference, failures: [badStatus] };
  const read = answerBody(answered, settings.protocol);
  if (!('body' in read)) return { inference, failures: [read] };
  try {
    inference.outputs = protocol.readOutputs(read.body);
  } catch (err) {
    const message = `${errorMessage(err)}: ${excerpt(result.text)}`;
    return { inference, failures: [{ kind: 'wrong-answer', message }] };
  }
  const failures = identityFailures(inference.outputs, settings);
  if (settings.expect !== undefined) {
    const answer = checkAnswer(inference.outputs, read.body, settings.expect);
    inference.compared = answer.values;
    if (!answer.passed)
      failures.push({ kind: 'wrong-answer', message: answer.problems.join('; ') });
  }
  return { inference, failures };
}

/**
 * One inference, checked: the status, the outputs, the model and version that
 * answered, and the values against `expect`.
 */
export async function checkInference(
  protocol: Protocol,
  context: ProtocolContext,
  request: HttpRequest,
  settings: InferenceSettings & { metadata: ServedMetadata | undefined },
): Promise<InferenceCheck> {
  const sent = await exchange(protocol, context, request, settings);
  if (!('exchange' in sent)) {
    return { inference: undefined, request: sent.request, failures: [sent.failure] };
  }
  const judged = judge(protocol, context.client, sent.exchange, settings);
  return { ...judged, request: sent.exchange.request };
}
