import {
  azureFederationInputs,
  booleanInput,
  documentInput,
  durationInput,
  enumInput,
  integerInput,
  listInput,
  mapInput,
  modelNameInput,
  optionalBoolean,
  optionalDuration,
  optionalInteger,
  optionalString,
  requiredString,
  secretString,
  sloInputs,
  yamlInput,
} from '../../shared/action/index.ts';
import { parseClusterSpec } from '../../shared/clouds/cluster-access.ts';
import type { ExposeMode } from '../../shared/kube/manifests.ts';
import { parseAutoscaling, parseResources } from '../../shared/kube/resources.ts';
import {
  parseStrategyInputs,
  QUERIES_EXAMPLE,
  STRATEGIES,
  TRAFFIC_ROUTERS,
  type StrategyInputs,
} from '../../shared/kube/strategies/inputs.ts';
import { RUNTIME_NAMES } from '../../shared/model/runtimes/serving.ts';
import {
  checkDeployRequest,
  EXPOSE_MODES,
  parseChartValues,
  parseProfileName,
  type DeployRequest,
  type ReleaseSettings,
} from '../../shared/orchestrators/deploy/request.ts';
import { EXPECT_EXAMPLE } from '../../shared/smoke/expect-example.ts';
import { PROTOCOL_NAMES } from '../../shared/smoke/protocols/types.ts';

/** The deploy action's inputs, read into the request its orchestrator takes. */
export function getInputs(): DeployRequest {
  const release = releaseSettings();
  return { ...release, strategy: strategyInputs(release.name, release.expose) };
}

function releaseSettings(): ReleaseSettings {
  const rollbackTo = optionalString('rollback-to');
  const azure = azureFederationInputs();
  return checkDeployRequest({
    cluster: parseClusterSpec(optionalString('cluster')),
    namespace: optionalString('namespace', 'default'),
    name: requiredString('name', { example: 'resnet50' }),
    // A restore takes its image from the release history, so only a new release needs one.
    image:
      rollbackTo === undefined
        ? requiredString('image', { example: 'myreg.azurecr.io/models/resnet50@sha256:…' })
        : optionalString('image', ''),
    requireDigest: booleanInput('require-digest', false),
    runtime: enumInput('runtime', RUNTIME_NAMES, undefined),
    port: optionalInteger('port', { min: 1, max: 65535, example: 8080 }),
    healthPath: optionalString('health-path'),
    modelVersion: optionalString('model-version'),
    replicas: integerInput('replicas', 1, { min: 0, max: 1000 }),
    resources: parseResources(
      yamlInput('resources', { example: "resources: '{cpu: 500m, memory: 2Gi}'" }),
    ),
    autoscaling: parseAutoscaling(
      yamlInput('autoscaling', { example: "autoscaling: '{min: 2, max: 10, target-cpu: 70}'" }),
    ),
    env: mapInput('env', { example: 'LOG_LEVEL=info' }),
    podAnnotations: mapInput('pod-annotations', { example: 'prometheus.io/scrape=true' }),
    expose: enumInput('expose', EXPOSE_MODES, 'cluster-ip'),
    host: optionalString('host'),
    grpcHost: optionalString('grpc-host'),
    gateway: optionalString('gateway'),
    cloudProfile: parseProfileName(optionalString('cloud-profile')),
    serviceAccount: optionalString('service-account'),
    chart: optionalString('chart'),
    values: parseChartValues(yamlInput('values', { example: 'values: |\n  replicaCount: 2' })),
    valuesFiles: listInput('values-files'),
    timeoutMs: optionalDuration('timeout', '10m'),
    startTimeoutMs: optionalDuration('start-timeout', '10m'),
    readOnlyRootFilesystem: optionalBoolean('read-only-root-filesystem'),
    runAsUser: optionalInteger('run-as-user', { min: 0, max: 2147483647, example: 1000 }),
    addressTimeoutMs: durationInput('address-timeout', '5m'),
    insecureSkipTlsVerify: booleanInput('insecure-skip-tls-verify', false),
    rollbackOnFailure: booleanInput('rollback-on-failure', true),
    rollbackTo,
    dryRun: booleanInput('dry-run', false),
    environment: optionalString('environment'),
    token: secretString('token'),
    azureClientId: azure.clientId,
    azureTenantId: azure.tenantId,
    prune: booleanInput('prune', true),
    historyLimit: integerInput('history-limit', 10, { min: 2, max: 100 }),
  });
}

/** `strategy`, `canary-steps`, `traffic-router`, the analysis and `scale-down-delay`. */
function strategyInputs(release: string, expose: ExposeMode): StrategyInputs {
  const values = {
    strategy: enumInput('strategy', STRATEGIES, 'rolling'),
    router: enumInput('traffic-router', TRAFFIC_ROUTERS, undefined),
    canarySteps: optionalString('canary-steps', '10%:1m, 50%:2m, 100%'),
    expect: documentInput('expect', { yaml: true, example: EXPECT_EXAMPLE }),
    ...sloInputs(),
    analysisPath: optionalString('analysis-path', '/'),
    request: documentInput('request', {
      yaml: false,
      example: 'request: {"inputs": [...]} or request: tests/request.json',
    }),
    prometheusUrl: optionalString('prometheus-url'),
    prometheusQueries: yamlInput('prometheus-queries', { example: QUERIES_EXAMPLE }),
    protocol: enumInput('protocol', PROTOCOL_NAMES, undefined),
    model: modelNameInput('model'),
    modelVersion: optionalString('model-version'),
    analysisRequests: integerInput('analysis-requests', 20, { min: 0, max: 100_000 }),
    scaleDownDelayMs: durationInput('scale-down-delay', '30s'),
  };
  return parseStrategyInputs(values, release, expose);
}
