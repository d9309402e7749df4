import {
  actionsLogger,
  azureFederationInputs,
  booleanInput,
  documentInput,
  durationInput,
  enumInput,
  group,
  headersInput,
  integerInput,
  isSecretHeader,
  modelNameInput,
  optionalString,
  runAction,
  serverUrlInput,
  setOutput,
  sloInputs,
} from '../../shared/action/index.ts';
import { parseClusterSpec } from '../../shared/clouds/cluster-access.ts';
import type { SmokeTestRequest } from '../../shared/orchestrators/run-smoke-test.ts';
import { refuseSecretsInTheClear } from '../../shared/orchestrators/smoke-request.ts';
import { EXPECT_EXAMPLE } from '../../shared/smoke/expect-example.ts';
import { SmokeTestFailed } from '../../shared/smoke/failures.ts';
import {
  expectationsFor,
  modelFor,
  oneEndpoint,
  openApiFor,
  requestPath,
  serviceSpeaks,
} from '../../shared/smoke/input-rules.ts';
import {
  GRPC_CONTENTS,
  isGrpcProtocol,
  PROTOCOL_NAMES,
} from '../../shared/smoke/protocols/types.ts';
import { writeReportFile } from '../../shared/smoke/report.ts';
import { parseServiceRef } from '../../shared/smoke/service-proxy.ts';
import { setOutputs } from './outputs.ts';
import { subjectOf, writeSummary } from './summary.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Checked now so a typo fails before any waiting; connecting parses it again. */
function clusterInput(): string | undefined {
  const cluster = optionalString('cluster');
  if (cluster !== undefined) parseClusterSpec(cluster);
  return cluster;
}

export function getInputs(): SmokeTestRequest {
  const url = optionalString('url');
  const service = optionalString('service');
  oneEndpoint(url, service);
  const protocol = enumInput('protocol', PROTOCOL_NAMES, 'v2');
  serviceSpeaks(protocol, service);
  const model = modelFor(protocol, modelNameInput('model'));
  const expectDocument = documentInput('expect', { yaml: true, example: EXPECT_EXAMPLE });
  const expect = expectationsFor(protocol, expectDocument);
  const openapi = openApiFor(
    protocol,
    documentInput('openapi', { yaml: true, example: 'openapi: openapi.json' }),
  );
  const { sloErrorRate, sloP95Ms } = sloInputs();
  const path = requestPath('path', optionalString('path', '/'));
  const readyPath = requestPath('ready-path', optionalString('ready-path'));
  const request = documentInput('request', {
    yaml: false,
    example: 'request: {"inputs": [...]} or request: tests/request.json',
  });
  const grpc = isGrpcProtocol(protocol);
  const inputs: SmokeTestRequest = {
    url: url === undefined ? undefined : serverUrlInput('url', { protocol, grpc }),
    service: service === undefined ? undefined : parseServiceRef(service),
    cluster: clusterInput(),
    azure: azureFederationInputs(),
    insecureSkipTlsVerify: booleanInput('insecure-skip-tls-verify', false),
    protocol,
    grpcContents: enumInput('grpc-contents', GRPC_CONTENTS, 'typed'),
    target: { model, version: optionalString('model-version') },
    request,
    expect,
    openapi,
    requests: integerInput('requests', 100, { min: 0, max: 10_000_000 }),
    concurrency: integerInput('concurrency', 4, { min: 1, max: 1024 }),
    warmup: integerInput('warmup', 10, { min: 0 }),
    slo: { p95Ms: sloP95Ms, errorRate: sloErrorRate },
    waitReadyMs: durationInput('wait-ready', '5m'),
    timeoutMs: durationInput('timeout', '30s'),
    headers: headersInput('headers', 'token'),
    http: {
      method: enumInput(
        'method',
        METHODS,
        request === undefined ? 'get' : 'post',
      ).toUpperCase() as Uppercase<(typeof METHODS)[number]>,
      path,
      readyPath,
    },
    managementUrl: serverUrlInput('management-url'),
  };
  if (!booleanInput('allow-secrets-over-http', false)) {
    refuseSecretsInTheClear(inputs, Object.keys(inputs.headers).filter(isSecretHeader));
  }
  return inputs;
}

export async function run(): Promise<boolean> {
  return runAction('smoke-test', async () => {
    const inputs = getInputs();
    // The protocols' clients load once the inputs hold: a wrong input fails at once.
    const { runSmokeTest } = await import('../../shared/orchestrators/run-smoke-test.ts');
    const { endpoint, result } = await runSmokeTest(inputs, { logger: actionsLogger, group });
    try {
      setOutputs(result);
      const report = writeReportFile(process.env.RUNNER_TEMP ?? process.cwd(), result, {
        endpoint: endpoint.displayName,
        protocol: inputs.protocol,
        model: inputs.target.model,
        version: inputs.target.version,
        slo: inputs.slo,
      });
      setOutput('report', report);
      if (!result.passed) {
        for (const failure of result.failures)
          actionsLogger.error(failure.message, { title: `smoke-test: ${failure.kind}` });
        throw new SmokeTestFailed(result.failures, subjectOf(inputs, endpoint));
      }
    } finally {
      await writeSummary(result, inputs, endpoint);
    }
  });
}
