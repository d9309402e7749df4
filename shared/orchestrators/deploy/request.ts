import type { ClusterSpec } from '../../clouds/cluster-access.ts';
import { formatDuration } from '../../common/duration.ts';
import { InputError } from '../../common/errors.ts';
import { checkDnsLabel } from '../../common/names.ts';
import type { AutoscalingSpec, ExposeMode, ResourceSpec } from '../../kube/manifests.ts';
import { PROFILE_NAMES, type ProfileName } from '../../kube/profiles.ts';
import type { RuntimeName } from '../../model/runtimes/serving.ts';
import type { StrategyInputs } from '../../kube/strategies/inputs.ts';

/** Everything a release of a model to a cluster is made from. */
export interface DeployRequest {
  cluster: ClusterSpec;
  namespace: string;
  name: string;
  /** Empty for a restore, which takes its image from the release history. */
  image: string;
  requireDigest: boolean;
  /** Undefined: the runtime package recorded in the image, else custom. */
  runtime?: RuntimeName;
  port?: number;
  healthPath?: string;
  modelVersion?: string;
  replicas: number;
  resources: ResourceSpec;
  autoscaling?: AutoscalingSpec;
  env: Record<string, string>;
  podAnnotations: Record<string, string>;
  expose: ExposeMode;
  host?: string;
  grpcHost?: string;
  gateway?: string;
  cloudProfile?: ProfileName;
  serviceAccount?: string;
  chart?: string;
  values?: Record<string, unknown>;
  valuesFiles: string[];
  strategy: StrategyInputs;
  /** Undefined: the runtime's budgets decide (10m for a chart or a restore). */
  timeoutMs?: number;
  /** The startup probe's allowance; undefined: the runtime's. */
  startTimeoutMs?: number;
  /** Undefined: the runtime's. */
  readOnlyRootFilesystem?: boolean;
  runAsUser?: number;
  /** How long a load balancer may take to get its address. */
  addressTimeoutMs: number;
  /** Accept a kubeconfig with insecure-skip-tls-verify. */
  insecureSkipTlsVerify: boolean;
  rollbackOnFailure: boolean;
  rollbackTo?: string;
  dryRun: boolean;
  environment?: string;
  token?: string;
  azureClientId?: string;
  azureTenantId?: string;
  prune: boolean;
  historyLimit: number;
}

/** The request without its strategy, which is read and checked after it. */
export type ReleaseSettings = Omit<DeployRequest, 'strategy'>;

export const EXPOSE_MODES = [
  'cluster-ip',
  'load-balancer',
  'internal-load-balancer',
  'gateway',
  'istio',
  'ambassador',
] as const;

/** A DNS name, optionally with a leading wildcard label, as Gateway API and Istio hosts take it. */
const DNS_NAME =
  /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

const VALUES_EXAMPLE = 'values: |\n  replicaCount: 2';

/** `cloud-profile`, in any case. */
export function parseProfileName(value: string | undefined): ProfileName | undefined {
  if (value === undefined) return undefined;
  if (!(PROFILE_NAMES as readonly string[]).includes(value.toLowerCase())) {
    throw new InputError(
      'cloud-profile',
      `'${value}' is not a known cloud profile (known: ${PROFILE_NAMES.join(', ')})`,
      'cloud-profile: aws',
    );
  }
  return value.toLowerCase() as ProfileName;
}

/** Chart values: a YAML mapping, or nothing. */
export function parseChartValues(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('values', 'must be a YAML mapping of chart values', VALUES_EXAMPLE);
  }
  return value as Record<string, unknown>;
}

/** The checks that take more than one input, or a rule of the cluster, to decide. */
export function checkDeployRequest<T extends ReleaseSettings>(request: T): T {
  checkRelease(request);
  checkPod(request);
  checkExposure(request);
  return request;
}

function checkRelease(request: ReleaseSettings): void {
  const { rollbackTo } = request;
  if (rollbackTo !== undefined && !/^(previous|\d+|sha256:[0-9a-f]{64})$/.test(rollbackTo)) {
    throw new InputError(
      'rollback-to',
      `must be previous, a revision number or an image digest, not '${rollbackTo}'`,
      'rollback-to: previous',
    );
  }
  checkDnsLabel('namespace', request.namespace, 'namespace: models');
  checkDnsLabel('name', request.name, 'name: resnet50');
  if (request.replicas === 0 && rollbackTo === undefined) {
    // A deploy is judged by its rollout and smoke test; with nothing running
    // both pass or fail on nothing, and the release history would record an
    // empty revision as a good one to roll back to.
    throw new InputError(
      'replicas',
      'is 0: a release with no replicas serves nothing, so there is no rollout to watch and nothing for a smoke test to reach',
      'replicas: 2',
      outOfServiceHint(request.name, request.namespace),
    );
  }
  if (!request.chart && (request.values !== undefined || request.valuesFiles.length > 0)) {
    throw new InputError('values', 'was given without a chart', 'chart: ./charts/model');
  }
}

function checkPod(request: ReleaseSettings): void {
  if (request.healthPath !== undefined && !request.healthPath.startsWith('/')) {
    throw new InputError(
      'health-path',
      `must start with '/', not '${request.healthPath}'`,
      'health-path: /healthz',
    );
  }
  if (request.startTimeoutMs !== undefined && request.startTimeoutMs < 5000) {
    throw new InputError(
      'start-timeout',
      `is ${formatDuration(request.startTimeoutMs)}; the startup probe looks every 5s, so it must be at least 5s`,
      'start-timeout: 20m',
    );
  }
  if (request.runAsUser === 0) {
    throw new InputError(
      'run-as-user',
      'is 0 (root); model servers run as a non-root uid, which Pod Security "restricted" requires',
      'run-as-user: 1000',
    );
  }
}

function checkExposure(request: ReleaseSettings): void {
  if (request.host !== undefined && !DNS_NAME.test(request.host)) {
    throw new InputError(
      'host',
      `must be a host name (no scheme, port or path), not '${request.host}'`,
      'host: resnet50.models.example.com',
    );
  }
  checkGrpcHost(request);
  if (
    request.gateway !== undefined &&
    !/^([a-z0-9-]{1,63}\/)?[a-z0-9.-]{1,253}$/.test(request.gateway)
  ) {
    throw new InputError(
      'gateway',
      `must be namespace/name or name of a Gateway, not '${request.gateway}'`,
      'gateway: infra/public',
    );
  }
  if ((request.expose === 'gateway' || request.expose === 'ambassador') && !request.host) {
    throw new InputError(
      'host',
      `is required with expose: ${request.expose}`,
      'host: resnet50.models.example.com',
    );
  }
}

/** The GRPCRoute's host: only for the Gateway API, and never the HTTPRoute's own. */
function checkGrpcHost(request: ReleaseSettings): void {
  if (request.grpcHost === undefined) return;
  const example = 'grpc-host: resnet50-grpc.models.example.com';
  if (!DNS_NAME.test(request.grpcHost)) {
    throw new InputError(
      'grpc-host',
      `must be a host name (no scheme, port or path), not '${request.grpcHost}'`,
      example,
    );
  }
  if (request.expose !== 'gateway') {
    throw new InputError(
      'grpc-host',
      `is for expose: gateway (its GRPCRoute); with expose: ${request.expose} gRPC is served on host beside REST`,
      `expose: gateway, with host and ${example}`,
    );
  }
  if (request.grpcHost === request.host) {
    throw new InputError(
      'grpc-host',
      `is the same as host (${request.host}): a Gateway listener accepts an HTTPRoute or a GRPCRoute for a host name, not both, and rejects the newer`,
      example,
    );
  }
}

/** How to take a model out of service, which deploy does not do. */
function outOfServiceHint(name: string, namespace: string): string {
  return (
    `to take ${name} out of service, scale it outside this action: ` +
    `kubectl scale deployment/${name} -n ${namespace} --replicas=0 (the next deploy restores it; ` +
    `with autoscaling, also delete hpa/${name}), or remove it with ` +
    `kubectl delete deployment,service,hpa,pdb -n ${namespace} -l app.kubernetes.io/name=${name}`
  );
}
