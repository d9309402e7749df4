import { errorMessage, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Endpoint } from './endpoint.ts';
import type { Expectations } from './expectations.ts';
import type { Failure } from './failures.ts';
import { SmokeClient, type HttpRequest, type HttpResult } from './http-client.ts';
import { checkInference, type InferenceResult } from './inference-check.ts';
import { runLoad, type LoadResult } from './load.ts';
import { checkMetadata } from './metadata-check.ts';
import { checkConformance, type OpenApiValidator } from './openapi-conformance.ts';
import {
  protocolFor,
  type GrpcContents,
  type Protocol,
  type PlainHttpSettings,
  type ProtocolContext,
  type ProtocolName,
  type ServedMetadata,
  type Target,
} from './protocols/index.ts';
import { waitUntilReady, type ReadinessResult } from './readiness.ts';
import { statusLabel, type SmokeTransport } from './transport.ts';

export type { InferenceResult } from './inference-check.ts';

/** What a smoke test sends and what a good answer is, wherever the server is. */
export interface SmokeChecks {
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
}

export interface SmokeTestOptions extends SmokeChecks {
  endpoint: Endpoint;
  /** TorchServe's management API. */
  management?: Endpoint | undefined;
  logger: Logger;
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

function loadFailures(
  load: LoadResult,
  slo: SmokeChecks['slo'],
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

/** The load against the SLOs, with the request that the inference check found to work. */
async function checkLoad(
  client: SmokeTransport,
  request: HttpRequest,
  options: SmokeTestOptions,
): Promise<{ load: LoadResult; failures: Failure[] }> {
  const { logger } = options;
  logger.info(
    `load: ${options.requests} requests at concurrency ${options.concurrency} after ${options.warmup} warm-up requests`,
  );
  const expectedStatus = options.expect?.status;
  const isSuccess =
    expectedStatus === undefined
      ? (s: number) => client.isSuccess(s)
      : (s: number) => s === expectedStatus;
  const load = await runLoad(client, {
    requests: options.requests,
    concurrency: options.concurrency,
    warmup: options.warmup,
    request,
    isSuccess,
  });
  const { latency } = load;
  logger.info(
    `p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ` +
      `${load.requestsPerSecond.toFixed(0)} requests/s, error rate ${(load.errorRate * 100).toFixed(2)}%`,
  );
  for (const example of load.examples.slice(0, 3)) logger.info(`failed request: ${example}`);
  return { load, failures: loadFailures(load, options.slo, client, isSuccess) };
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

function openManagement(options: SmokeTestOptions): SmokeClient | undefined {
  return options.management === undefined
    ? undefined
    : new SmokeClient(options.management, { timeoutMs: options.timeoutMs, connections: 1 });
}

/** The checks after readiness: metadata, one inference, OpenAPI conformance, then the load. */
async function checkReadyServer(
  protocol: Protocol,
  context: ProtocolContext,
  responses: HttpResult[],
  options: SmokeTestOptions,
  started: number,
): Promise<Omit<SmokeTestResult, 'passed' | 'readiness'>> {
  const { metadata, failures } = await checkMetadata(protocol, context, options);
  const result = {
    failures,
    metadata,
    inference: undefined,
    validatedResponses: 0,
    load: undefined,
  };
  let request: HttpRequest;
  try {
    request = protocol.inferenceRequest(options.target, options.request, metadata);
  } catch (err) {
    return {
      ...result,
      failures: [...failures, { kind: 'wrong-metadata', message: errorMessage(err) }],
    };
  }
  const inference = await checkInference(protocol, context, request, { ...options, metadata });
  const firstCorrectMs =
    inference.inference !== undefined && inference.failures.length === 0
      ? Date.now() - started
      : undefined;
  const conformance =
    options.openapi === undefined
      ? { validated: 0, failures: [] }
      : checkConformance(options.openapi, responses, options.logger);
  const loaded =
    options.requests > 0 ? await checkLoad(context.client, inference.request, options) : undefined;
  return {
    failures: [
      ...failures,
      ...inference.failures,
      ...conformance.failures,
      ...(loaded?.failures ?? []),
    ],
    metadata,
    inference: inference.inference,
    validatedResponses: conformance.validated,
    load: loaded?.load,
    ...(firstCorrectMs === undefined ? {} : { firstCorrectMs }),
  };
}

/**
 * The whole smoke test of one endpoint: readiness, metadata, one checked
 * inference, then load against the SLOs. It stops early only when the server
 * never becomes ready; otherwise every check runs so the verdict lists all
 * that is wrong.
 */
export async function smokeTestEndpoint(options: SmokeTestOptions): Promise<SmokeTestResult> {
  const { logger } = options;
  const protocol = protocolFor(options.protocol, options.http, options.grpcContents);
  if (protocol.transport === 'grpc' && options.expect?.status !== undefined) {
    throw new UserError(
      `expect.status is an HTTP status, and protocol ${options.protocol} speaks gRPC, whose calls pass on status OK`,
      { hint: 'remove `status` from `expect`' },
    );
  }
  const client = await openTransport(protocol, options);
  const management = openManagement(options);
  const responses: HttpResult[] = [];
  const context: ProtocolContext = { client, management, record: (r) => responses.push(r) };
  const started = Date.now();
  try {
    logger.info(
      `waiting up to ${Math.round(options.waitReadyMs / 1000)}s for ${options.endpoint.displayName} to be ready (${options.protocol})`,
    );
    const readiness = await waitUntilReady(protocol, context, options.target, {
      waitReadyMs: options.waitReadyMs,
      logger,
    });
    if (!readiness.ready) {
      const failures = [readiness.failure!];
      return {
        passed: false,
        failures,
        readiness,
        metadata: undefined,
        inference: undefined,
        validatedResponses: 0,
        load: undefined,
      };
    }
    logger.info(`ready after ${readiness.waitedMs} ms: ${readiness.detail}`);
    const checked = await checkReadyServer(protocol, context, responses, options, started);
    return { passed: checked.failures.length === 0, readiness, ...checked };
  } finally {
    await client.close();
    await management?.close();
  }
}
