import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  actionsLogger,
  azureFederationInputs,
  booleanInput,
  durationInput,
  enumInput,
  group,
  integerInput,
  mapInput,
  modelNameInput,
  sloInputs,
  optionalString,
  runAction,
  secretString,
  setOutput,
} from '../../shared/action/index.ts';
import {
  connectCluster,
  describeClusterSpec,
  parseClusterSpec,
} from '../../shared/clouds/cluster-access.ts';
import { InputError } from '../../shared/common/errors.ts';
import { isLoopbackHost } from '../../shared/common/http.ts';
import type { Endpoint } from '../../shared/smoke/endpoint.ts';
import {
  EXPECT_EXAMPLE,
  expectationsInput,
  type Expectations,
} from '../../shared/smoke/expectations.ts';
import { SmokeTestFailed } from '../../shared/smoke/failures.ts';
import { OpenApiValidator } from '../../shared/smoke/openapi.ts';
import {
  GRPC_CONTENTS,
  isGrpcProtocol,
  PROTOCOL_NAMES,
  type GrpcContents,
  type ProtocolName,
} from '../../shared/smoke/protocols/index.ts';
import { reportDocument } from '../../shared/smoke/report.ts';
import {
  parseServiceRef,
  serviceProxyEndpoint,
  type ServiceRef,
} from '../../shared/smoke/service-proxy.ts';
import { runSmokeTest, type SmokeTestResult } from '../../shared/smoke/smoke-test.ts';
import { readDocumentInput } from './documents.ts';
import { writeSummary } from './summary.ts';

export const PROTOCOLS = PROTOCOL_NAMES;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface Inputs {
  url: string | undefined;
  service: ServiceRef | undefined;
  cluster: string | undefined;
  /** AKS through GitHub OIDC federated to Entra, as deploy connects. */
  azure: { clientId?: string; tenantId?: string };
  /** Accept a kubeconfig with insecure-skip-tls-verify. */
  insecureSkipTlsVerify: boolean;
  protocol: ProtocolName;
  grpcContents: GrpcContents;
  model: string | undefined;
  modelVersion: string | undefined;
  request: unknown;
  expect: Expectations | undefined;
  openapi: OpenApiValidator | undefined;
  requests: number;
  concurrency: number;
  warmup: number;
  sloP95Ms: number | undefined;
  sloErrorRate: number;
  waitReadyMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
  method: (typeof METHODS)[number];
  path: string;
  readyPath: string | undefined;
  managementUrl: string | undefined;
}

const SECRET_HEADER = /authorization|token|secret|api-?key|cookie|password/i;

const GRPC_EXAMPLE = 'grpcs://models.example.com:443 or grpc://10.0.0.7:8081';

function parseUrl(input: string, value: string, protocol?: ProtocolName): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `is not a URL: '${value}'`, 'https://models.example.com');
  }
  const grpc = protocol !== undefined && isGrpcProtocol(protocol);
  if (grpc && ['grpc:', 'grpcs:', 'http:', 'https:'].includes(url.protocol)) {
    if (url.pathname !== '' && url.pathname !== '/') {
      throw new InputError(
        input,
        `has the path '${url.pathname}', but a gRPC endpoint is only a host and port: protocol ${protocol} fixes the paths of its calls`,
        GRPC_EXAMPLE,
      );
    }
  } else if (url.protocol === 'grpc:' || url.protocol === 'grpcs:') {
    throw new InputError(
      input,
      `is a gRPC address, and protocol ${protocol ?? 'v2'} speaks HTTP: use protocol v2-grpc or tfserving-grpc, or the server's HTTP URL`,
      'protocol: v2-grpc',
    );
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      input,
      `must be http:// or https://${grpc ? ' (or grpc://, grpcs:// for gRPC)' : ''}, not ${url.protocol}`,
      grpc ? GRPC_EXAMPLE : 'https://models.example.com',
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      input,
      'must not carry credentials; use `token` or `headers`',
      'https://models.example.com',
    );
  }
  return value;
}

/** Headers from `headers` and `token`, every credential masked before anything can log it. */
/** Header values this long or longer are masked in the log whatever the header's name. */
const MASKED_HEADER_MIN = 6;

function readHeaders(): Record<string, string> {
  const headers = mapInput('headers', { example: 'X-Tenant=ml-platform' });
  for (const [name, value] of Object.entries(headers)) {
    // RFC 9110 field names are tokens; a line break in a value would start a new header.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
      throw new InputError(
        'headers',
        `has the header '${name}', whose name is not a header token or whose value has a line break`,
        'headers: X-Tenant=ml-platform',
      );
    }
    // Header values often come from a secret whatever the header is called: all
    // are masked (but a few characters, which would blank out ordinary log text);
    // for a credential header the part after the scheme (`Bearer …`) too.
    if (SECRET_HEADER.test(name) || value.trim().length >= MASKED_HEADER_MIN) {
      actionsLogger.secret(value);
      const credential = /^\S+\s+(.+)$/.exec(value)?.[1];
      if (credential && SECRET_HEADER.test(name)) actionsLogger.secret(credential);
    }
  }
  const token = secretString('token');
  if (token !== undefined) headers.authorization = `Bearer ${token.trim()}`;
  return headers;
}

/** Checked now so a typo fails before any waiting; connecting parses it again. */
function clusterInput(): string | undefined {
  const cluster = optionalString('cluster');
  if (cluster !== undefined) parseClusterSpec(cluster);
  return cluster;
}

export function getInputs(): Inputs {
  const url = optionalString('url');
  const serviceText = optionalString('service');
  if (url === undefined && serviceText === undefined) {
    throw new InputError(
      'url',
      'is required unless service is given',
      'https://models.example.com or service: default/resnet50:8000',
    );
  }
  if (url !== undefined && serviceText !== undefined) {
    throw new InputError(
      'service',
      'cannot be given together with url; choose one',
      'service: models/resnet50:8000',
    );
  }
  const protocol = enumInput('protocol', PROTOCOL_NAMES, 'v2');
  const grpc = isGrpcProtocol(protocol);
  if (grpc && serviceText !== undefined) {
    // The proxy is an HTTP/1.1 endpoint of the API server: it cannot carry HTTP/2 gRPC calls.
    throw new InputError(
      'service',
      `cannot reach a gRPC server: the API server's service proxy carries HTTP/1.1 only, and protocol ${protocol} needs HTTP/2; give url, the gRPC address deploy exposed (a GRPCRoute, Istio or Ambassador host, or a load balancer), or a local port from kubectl port-forward`,
      'url: grpc://127.0.0.1:8081',
    );
  }
  const model = modelNameInput('model');
  if (
    model === undefined &&
    ['v2', 'v2-grpc', 'tfserving', 'tfserving-grpc', 'torchserve'].includes(protocol)
  ) {
    throw new InputError('model', `is required for protocol ${protocol}`, 'model: resnet50');
  }
  const expectDocument = readDocumentInput('expect', optionalString('expect'), {
    yaml: true,
    example: EXPECT_EXAMPLE,
  });
  const expect: Expectations | undefined =
    expectDocument === undefined ? undefined : expectationsInput(expectDocument);
  if (grpc && expect?.status !== undefined) {
    throw new InputError(
      'expect',
      `has status ${expect.status}, an HTTP status, but protocol ${protocol} speaks gRPC, whose calls must answer OK; remove status`,
      '{"outputs": {"probabilities": [0.9, 0.1]}}',
    );
  }
  const openapiDocument = readDocumentInput('openapi', optionalString('openapi'), {
    yaml: true,
    example: 'openapi: openapi.json',
  });
  let openapi: OpenApiValidator | undefined;
  if (openapiDocument !== undefined && grpc) {
    throw new InputError(
      'openapi',
      `documents a REST API, and protocol ${protocol} speaks gRPC, whose messages are checked against the protocol's .proto; remove openapi or use the REST protocol`,
      'protocol: v2',
    );
  }
  if (openapiDocument !== undefined) {
    try {
      openapi = new OpenApiValidator(openapiDocument);
    } catch (err) {
      throw new InputError(
        'openapi',
        `cannot be used: ${(err as Error).message}`,
        'openapi: ${{ steps.package.outputs.openapi }}',
      );
    }
  }
  const { sloErrorRate, sloP95Ms } = sloInputs();
  const path = optionalString('path', '/');
  const readyPath = optionalString('ready-path');
  for (const [name, value] of [
    ['path', path],
    ['ready-path', readyPath],
  ] as const) {
    if (value !== undefined && !value.startsWith('/'))
      throw new InputError(name, `must start with /, not '${value}'`, `${name}: /predict`);
  }
  const requestText = optionalString('request');
  const request = readDocumentInput('request', requestText, {
    yaml: false,
    example: 'request: {"inputs": [...]} or request: tests/request.json',
  });
  const managementUrl = optionalString('management-url');
  const inputs: Inputs = {
    url: url === undefined ? undefined : parseUrl('url', url, protocol),
    service: serviceText === undefined ? undefined : parseServiceRef(serviceText),
    cluster: clusterInput(),
    azure: azureFederationInputs(),
    insecureSkipTlsVerify: booleanInput('insecure-skip-tls-verify', false),
    protocol,
    grpcContents: enumInput('grpc-contents', GRPC_CONTENTS, 'typed'),
    model,
    modelVersion: optionalString('model-version'),
    request,
    expect,
    openapi,
    requests: integerInput('requests', 100, { min: 0, max: 10_000_000 }),
    concurrency: integerInput('concurrency', 4, { min: 1, max: 1024 }),
    warmup: integerInput('warmup', 10, { min: 0 }),
    sloP95Ms,
    sloErrorRate,
    waitReadyMs: durationInput('wait-ready', '5m'),
    timeoutMs: durationInput('timeout', '30s'),
    headers: readHeaders(),
    method: enumInput(
      'method',
      METHODS.map((m) => m.toLowerCase()) as Lowercase<(typeof METHODS)[number]>[],
      requestText === undefined ? 'get' : 'post',
    ).toUpperCase() as Inputs['method'],
    path,
    readyPath,
    managementUrl:
      managementUrl === undefined ? undefined : parseUrl('management-url', managementUrl),
  };
  refuseSecretsInTheClear(inputs, booleanInput('allow-secrets-over-http', false));
  return inputs;
}

/**
 * A token or a credential header sent over plain http (or plaintext gRPC) to
 * another machine can be read by anyone on the way: refused unless the step
 * says so. Loopback is fine; the service proxy path uses the cluster's TLS.
 */
function refuseSecretsInTheClear(inputs: Inputs, allowed: boolean): void {
  const secrets = Object.keys(inputs.headers).filter((name) => SECRET_HEADER.test(name));
  if (allowed || secrets.length === 0) return;
  for (const [input, value] of [
    ['url', inputs.url],
    ['management-url', inputs.managementUrl],
  ] as const) {
    if (value === undefined) continue;
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'grpc:') && !isLoopbackHost(url.host)) {
      throw new InputError(
        input,
        `is ${url.protocol.replace(':', '')}:// to ${url.host}, and ${secrets.map((h) => (h.toLowerCase() === 'authorization' ? 'the token' : `header ${h}`)).join(', ')} would cross the network unencrypted`,
        `${input}: ${url.protocol === 'grpc:' ? 'grpcs' : 'https'}://${url.host}${url.pathname === '/' ? '' : url.pathname}`,
        'use the TLS address of the endpoint (a gateway or load balancer with a certificate), smoke-test through service (the API server carries it over TLS), or set allow-secrets-over-http: true on a network you trust',
      );
    }
  }
}

async function resolveEndpoint(inputs: Inputs): Promise<Endpoint> {
  if (inputs.url !== undefined) {
    const shown = new URL(inputs.url);
    return {
      baseUrl: inputs.url,
      headers: inputs.headers,
      displayName: isGrpcProtocol(inputs.protocol)
        ? `${shown.protocol}//${shown.host}`
        : shown.origin + shown.pathname.replace(/\/$/, ''),
      server: 'model server',
      input: 'url',
    };
  }
  if (Object.keys(inputs.headers).some((h) => h.toLowerCase() === 'authorization')) {
    // The API server takes Authorization for itself, so the model server never sees this one.
    actionsLogger.warning(
      'token / Authorization header is replaced by the cluster credentials when going through the service proxy',
    );
  }
  const spec = parseClusterSpec(inputs.cluster);
  actionsLogger.info(
    `connecting to ${describeClusterSpec(spec)} to reach the service through the API server proxy`,
  );
  const connection = await connectCluster(
    spec,
    { logger: actionsLogger, allowInsecureKubeconfig: inputs.insecureSkipTlsVerify },
    { azure: inputs.azure },
  );
  const endpoint = await serviceProxyEndpoint(inputs.service as ServiceRef, connection);
  const token = endpoint.headers.authorization?.replace(/^Bearer /, '');
  if (token) actionsLogger.secret(token);
  // The user's own headers go to the model server too (the proxy forwards them).
  return { ...endpoint, headers: { ...inputs.headers, ...endpoint.headers } };
}

function writeReport(result: SmokeTestResult, inputs: Inputs, endpoint: Endpoint): string {
  const dir = process.env.RUNNER_TEMP ?? process.cwd();
  const file = join(dir, `smoke-test-report-${randomBytes(4).toString('hex')}.json`);
  const document = reportDocument(result, {
    endpoint: endpoint.displayName,
    protocol: inputs.protocol,
    model: inputs.model,
    version: inputs.modelVersion,
    slo: { p95Ms: inputs.sloP95Ms, errorRate: inputs.sloErrorRate },
  });
  writeFileSync(file, JSON.stringify(document, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** What the verdict is about: the model (and version) and where it was reached. */
function subjectOf(inputs: Inputs, endpoint: Endpoint): string {
  if (inputs.model === undefined) return endpoint.displayName;
  const version = inputs.modelVersion === undefined ? '' : ` version ${inputs.modelVersion}`;
  return `model '${inputs.model}'${version} at ${endpoint.displayName}`;
}

function fixed(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

export async function run(): Promise<boolean> {
  return runAction('smoke-test', async () => {
    const inputs = getInputs();
    const endpoint = await group('Connect', () => resolveEndpoint(inputs));
    let result: SmokeTestResult | undefined;
    try {
      result = await group(`Smoke test ${endpoint.displayName}`, () =>
        runSmokeTest({
          endpoint,
          management:
            inputs.managementUrl === undefined
              ? undefined
              : {
                  baseUrl: inputs.managementUrl,
                  headers: inputs.headers,
                  displayName: inputs.managementUrl,
                  server: 'TorchServe management API',
                  input: 'management-url',
                },
          protocol: inputs.protocol,
          grpcContents: inputs.grpcContents,
          http: { method: inputs.method, path: inputs.path, readyPath: inputs.readyPath },
          target: { model: inputs.model, version: inputs.modelVersion },
          request: inputs.request,
          expect: inputs.expect,
          openapi: inputs.openapi,
          requests: inputs.requests,
          concurrency: inputs.concurrency,
          warmup: inputs.warmup,
          waitReadyMs: inputs.waitReadyMs,
          timeoutMs: inputs.timeoutMs,
          slo: { p95Ms: inputs.sloP95Ms, errorRate: inputs.sloErrorRate },
          logger: actionsLogger,
        }),
      );
      const load = result.load;
      setOutput('passed', result.passed);
      setOutput('p50-ms', load ? fixed(load.latency.p50, 3) : '');
      setOutput('p95-ms', load ? fixed(load.latency.p95, 3) : '');
      setOutput('p99-ms', load ? fixed(load.latency.p99, 3) : '');
      setOutput('error-rate', load ? fixed(load.errorRate, 6) : '');
      setOutput('requests-per-second', load ? fixed(load.requestsPerSecond, 1) : '');
      setOutput(
        'ready-seconds',
        result.readiness.ready ? (result.readiness.waitedMs / 1000).toFixed(1) : '',
      );
      setOutput(
        'first-inference-seconds',
        result.firstCorrectMs !== undefined ? (result.firstCorrectMs / 1000).toFixed(1) : '',
      );
      setOutput('report', writeReport(result, inputs, endpoint));
      if (!result.passed) {
        for (const failure of result.failures)
          actionsLogger.error(failure.message, { title: `smoke-test: ${failure.kind}` });
        throw new SmokeTestFailed(result.failures, subjectOf(inputs, endpoint));
      }
    } finally {
      if (result !== undefined) await writeSummary(result, inputs, endpoint);
    }
  });
}
