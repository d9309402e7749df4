import { hostname } from 'node:os';
import {
  actionsLogger,
  azureFederationInputs,
  booleanInput,
  durationInput,
  enumInput,
  group,
  integerInput,
  listInput,
  mapInput,
  optionalInteger,
  optionalString,
  requiredString,
  runAction,
  secretString,
  setOutput,
  yamlInput,
} from '../../shared/action/index.ts';
import { startGithubDeployment, type GithubDeployment } from '../../shared/action/deployments.ts';
import { JobSummary } from '../../shared/action/summary.ts';
import {
  connectCluster,
  describeClusterSpec,
  parseClusterSpec,
  type ClusterSpec,
} from '../../shared/clouds/cluster-access.ts';
import { InputError, UserError } from '../../shared/common/errors.ts';
import { formatDuration } from '../../shared/common/duration.ts';
import type { Logger } from '../../shared/common/logger.ts';
import { parseReference, repositoryName } from '../../shared/oci/reference.ts';
import { KubeClient } from '../../shared/kube/client.ts';
import {
  findAwsLoadBalancerController,
  servesResourceMetrics,
} from '../../shared/kube/cluster-features.ts';
import { releaseEndpoint, type ReleaseEndpoint } from '../../shared/kube/endpoint.ts';
import { reconcileWithImage } from '../../shared/kube/image-contract.ts';
import { renderChart } from '../../shared/kube/helm.ts';
import {
  renderServing,
  type AutoscalingSpec,
  type ExposeMode,
  type ResourceSpec,
} from '../../shared/kube/manifests.ts';
import {
  describeBudgets,
  explainBudget,
  explainPlacement,
  planServing,
  type ServingPlan,
} from '../../shared/kube/serving-plan.ts';
import {
  cloudProfile,
  defaultProfileFor,
  PROFILE_NAMES,
  type LoadBalancerController,
  type ProfileName,
} from '../../shared/kube/profiles.ts';
import { runRelease, type ReleaseOutcome, type ReleaseRequest } from '../../shared/kube/release.ts';
import {
  RUNTIME_NAMES,
  smokeProtocolOf,
  type RuntimeName,
} from '../../shared/model/runtimes/serving.ts';
import { readImageFacts, type ImageFacts } from '../../shared/model/image-facts.ts';
import type { KubeObject } from '../../shared/kube/objects.ts';
import { checkName, parseAutoscaling, parseResources } from './settings.ts';
import { runStrategy, type StrategyOutcome } from '../../shared/kube/strategies/index.ts';
import { getStrategyInputs, type StrategyInputs } from './strategy-inputs.ts';
import { setStrategyOutputs, writeStrategySummary } from './strategy-summary.ts';

export interface Inputs {
  cluster: ClusterSpec;
  namespace: string;
  name: string;
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
  strategy: 'rolling';
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

/** A DNS name, optionally with a leading wildcard label, as Gateway API and Istio hosts take it. */
const DNS_NAME =
  /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

const EXPOSE_MODES = [
  'cluster-ip',
  'load-balancer',
  'internal-load-balancer',
  'gateway',
  'istio',
  'ambassador',
] as const;

export function getInputs(): Inputs {
  const profile = optionalString('cloud-profile');
  if (
    profile !== undefined &&
    !(PROFILE_NAMES as readonly string[]).includes(profile.toLowerCase())
  ) {
    throw new InputError(
      'cloud-profile',
      `'${profile}' is not a known cloud profile (known: ${PROFILE_NAMES.join(', ')})`,
      'cloud-profile: aws',
    );
  }
  const values = yamlInput('values', { example: 'values: |\n  replicaCount: 2' });
  if (
    values !== undefined &&
    values !== null &&
    (typeof values !== 'object' || Array.isArray(values))
  ) {
    throw new InputError(
      'values',
      'must be a YAML mapping of chart values',
      'values: |\n  replicaCount: 2',
    );
  }
  const rollbackTo = optionalString('rollback-to');
  if (rollbackTo !== undefined && !/^(previous|\d+|sha256:[0-9a-f]{64})$/.test(rollbackTo)) {
    throw new InputError(
      'rollback-to',
      `must be previous, a revision number or an image digest, not '${rollbackTo}'`,
      'rollback-to: previous',
    );
  }
  const azure = azureFederationInputs();
  const inputs: Inputs = {
    cluster: parseClusterSpec(optionalString('cluster')),
    namespace: checkName('namespace', optionalString('namespace', 'default'), 'namespace: models'),
    name: checkName('name', requiredString('name', { example: 'resnet50' }), 'name: resnet50'),
    // A restore takes its image from the release history, so only a new release needs one.
    image:
      rollbackTo === undefined
        ? requiredString('image', { example: 'myreg.azurecr.io/models/resnet50@sha256:…' })
        : optionalString('image', ''),
    requireDigest: booleanInput('require-digest', false),
    replicas: integerInput('replicas', 1, { min: 0, max: 1000 }),
    resources: parseResources(
      yamlInput('resources', { example: "resources: '{cpu: 500m, memory: 2Gi}'" }),
    ),
    env: mapInput('env', { example: 'LOG_LEVEL=info' }),
    podAnnotations: mapInput('pod-annotations', { example: 'prometheus.io/scrape=true' }),
    expose: enumInput('expose', EXPOSE_MODES, 'cluster-ip'),
    valuesFiles: listInput('values-files'),
    strategy: 'rolling',
    addressTimeoutMs: durationInput('address-timeout', '5m'),
    insecureSkipTlsVerify: booleanInput('insecure-skip-tls-verify', false),
    rollbackOnFailure: booleanInput('rollback-on-failure', true),
    dryRun: booleanInput('dry-run', false),
    prune: booleanInput('prune', true),
    historyLimit: integerInput('history-limit', 10, { min: 2, max: 100 }),
  };
  const optional = {
    runtime: enumInput('runtime', RUNTIME_NAMES, undefined),
    port: optionalInteger('port', { min: 1, max: 65535, example: 8080 }),
    timeoutMs:
      optionalString('timeout') === undefined ? undefined : durationInput('timeout', '10m'),
    startTimeoutMs:
      optionalString('start-timeout') === undefined
        ? undefined
        : durationInput('start-timeout', '10m'),
    readOnlyRootFilesystem:
      optionalString('read-only-root-filesystem') === undefined
        ? undefined
        : booleanInput('read-only-root-filesystem', false),
    runAsUser: optionalInteger('run-as-user', { min: 0, max: 2147483647, example: 1000 }),
    healthPath: optionalString('health-path'),
    modelVersion: optionalString('model-version'),
    autoscaling: parseAutoscaling(
      yamlInput('autoscaling', { example: "autoscaling: '{min: 2, max: 10, target-cpu: 70}'" }),
    ),
    host: optionalString('host'),
    grpcHost: optionalString('grpc-host'),
    gateway: optionalString('gateway'),
    cloudProfile: profile?.toLowerCase() as ProfileName | undefined,
    serviceAccount: optionalString('service-account'),
    chart: optionalString('chart'),
    values: values as Record<string, unknown> | undefined,
    rollbackTo,
    environment: optionalString('environment'),
    token: secretString('token'),
    azureClientId: azure.clientId,
    azureTenantId: azure.tenantId,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== null)
      (inputs as unknown as Record<string, unknown>)[key] = value;
  }
  if (inputs.healthPath !== undefined && !inputs.healthPath.startsWith('/')) {
    throw new InputError(
      'health-path',
      `must start with '/', not '${inputs.healthPath}'`,
      'health-path: /healthz',
    );
  }
  if (inputs.startTimeoutMs !== undefined && inputs.startTimeoutMs < 5000) {
    throw new InputError(
      'start-timeout',
      `is ${formatDuration(inputs.startTimeoutMs)}; the startup probe looks every 5s, so it must be at least 5s`,
      'start-timeout: 20m',
    );
  }
  if (inputs.runAsUser === 0) {
    throw new InputError(
      'run-as-user',
      'is 0 (root); model servers run as a non-root uid, which Pod Security "restricted" requires',
      'run-as-user: 1000',
    );
  }
  if (inputs.host !== undefined && !DNS_NAME.test(inputs.host)) {
    throw new InputError(
      'host',
      `must be a host name (no scheme, port or path), not '${inputs.host}'`,
      'host: resnet50.models.example.com',
    );
  }
  checkGrpcHost(inputs);
  if (
    inputs.gateway !== undefined &&
    !/^([a-z0-9-]{1,63}\/)?[a-z0-9.-]{1,253}$/.test(inputs.gateway)
  ) {
    throw new InputError(
      'gateway',
      `must be namespace/name or name of a Gateway, not '${inputs.gateway}'`,
      'gateway: infra/public',
    );
  }
  if (inputs.replicas === 0 && inputs.rollbackTo === undefined) {
    // A deploy is judged by its rollout and smoke test; with nothing running
    // both pass or fail on nothing, and the release history would record an
    // empty revision as a good one to roll back to.
    throw new InputError(
      'replicas',
      'is 0: a release with no replicas serves nothing, so there is no rollout to watch and nothing for a smoke test to reach',
      'replicas: 2',
      outOfServiceHint(inputs.name, inputs.namespace),
    );
  }
  if (!inputs.chart && (inputs.values !== undefined || inputs.valuesFiles.length > 0)) {
    throw new InputError('values', 'was given without a chart', 'chart: ./charts/model');
  }
  if ((inputs.expose === 'gateway' || inputs.expose === 'ambassador') && !inputs.host) {
    throw new InputError(
      'host',
      `is required with expose: ${inputs.expose}`,
      'host: resnet50.models.example.com',
    );
  }
  return inputs;
}

/** The GRPCRoute's host: only for the Gateway API, and never the HTTPRoute's own. */
function checkGrpcHost(inputs: Inputs): void {
  if (inputs.grpcHost === undefined) return;
  const example = 'grpc-host: resnet50-grpc.models.example.com';
  if (!DNS_NAME.test(inputs.grpcHost)) {
    throw new InputError(
      'grpc-host',
      `must be a host name (no scheme, port or path), not '${inputs.grpcHost}'`,
      example,
    );
  }
  if (inputs.expose !== 'gateway') {
    throw new InputError(
      'grpc-host',
      `is for expose: gateway (its GRPCRoute); with expose: ${inputs.expose} gRPC is served on host beside REST`,
      `expose: gateway, with host and ${example}`,
    );
  }
  if (inputs.grpcHost === inputs.host) {
    throw new InputError(
      'grpc-host',
      `is the same as host (${inputs.host}): a Gateway listener accepts an HTTPRoute or a GRPCRoute for a host name, not both, and rejects the newer`,
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

interface ImageInfo {
  reference: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What to give `image`: push's outputs are by digest, with their repository. */
const PUSHED_IMAGE_EXAMPLE =
  "image: ${{ steps.push.outputs.image }}, or with several destinations ${{ fromJSON(steps.push.outputs.images)['ghcr.io/org/resnet50'] }}, each host/repository@sha256:…";

function checkImage(inputs: Inputs, logger: Logger): ImageInfo {
  if (inputs.image === '') return { reference: `revision ${inputs.rollbackTo}`, repository: '' };
  if (/^sha256:/i.test(inputs.image)) {
    // push's `digest` output alone: the cluster cannot pull a digest without its repository.
    throw new InputError(
      'image',
      `is '${inputs.image}', a digest without its repository; the cluster pulls host/repository@sha256:…, not a bare digest (push's digest output is the bare one)`,
      PUSHED_IMAGE_EXAMPLE,
    );
  }
  const ref = parseReference(inputs.image, 'image');
  if (!ref.digest) {
    if (inputs.requireDigest) {
      throw new InputError(
        'image',
        `'${inputs.image}' has no digest, and require-digest is true`,
        PUSHED_IMAGE_EXAMPLE,
      );
    }
    logger.warning(
      `image ${inputs.image} is not pinned by digest: the cluster may run a different image than the one tested, and rollback-to by digest cannot find it. Deploy what push wrote, host/repository@sha256:… (its image or images output).`,
      { title: 'image without digest' },
    );
  }
  return {
    reference: inputs.image,
    repository: repositoryName(ref).replace(/^docker\.io\//, ''),
    ...(ref.tag ? { tag: ref.tag } : {}),
    ...(ref.digest ? { digest: ref.digest } : {}),
  };
}

/**
 * What the image tells when the inputs do not: the runtime, served model
 * name and version package recorded in its annotations, the HTTP port and
 * health paths of its model card, and the user and command of its config.
 * An input that contradicts the image is refused. When every input the
 * image would decide is given and the image cannot be read (a registry only
 * the cluster may pull from), deploy goes on with a warning.
 */
async function completeFromImage(
  inputs: Inputs,
  progressive: StrategyInputs,
  logger: Logger,
): Promise<ImageFacts | undefined> {
  let facts: ImageFacts | undefined;
  if (!inputs.chart && inputs.image !== '') {
    try {
      facts = await readImageFacts(parseReference(inputs.image, 'image'), {
        logger,
        ...(inputs.azureClientId ? { azureClientId: inputs.azureClientId } : {}),
        ...(inputs.azureTenantId ? { azureTenantId: inputs.azureTenantId } : {}),
      });
    } catch (err) {
      if (inputs.runtime === undefined) throw err;
      logger.warning(
        `${(err as Error).message}; deploying as runtime ${inputs.runtime} without checking the inputs against the image`,
        { title: 'image not read' },
      );
    }
    const contract = reconcileWithImage(
      {
        ...(inputs.runtime ? { runtime: inputs.runtime } : {}),
        ...(inputs.port ? { port: inputs.port } : {}),
        ...(inputs.healthPath ? { healthPath: inputs.healthPath } : {}),
        ...(progressive.modelGiven ? { model: progressive.analysis.smoke.target.model } : {}),
        ...(inputs.modelVersion !== undefined ? { modelVersion: inputs.modelVersion } : {}),
      },
      facts,
      inputs.image,
    );
    for (const line of contract.taken) logger.info(line);
    if (facts !== undefined && facts.runtime === undefined && inputs.runtime === undefined) {
      logger.info(
        `runtime: custom (the image has no runtime recorded by the package action; set runtime to choose one of ${RUNTIME_NAMES.join(', ')})`,
      );
    }
    inputs.runtime = contract.runtime;
    if (contract.modelVersion !== undefined) inputs.modelVersion = contract.modelVersion;
    if (contract.modelName !== undefined)
      progressive.analysis.smoke.target.model = contract.modelName;
    if (
      inputs.modelVersion !== undefined &&
      progressive.analysis.smoke.target.version === undefined
    ) {
      progressive.analysis.smoke.target.version = inputs.modelVersion;
    }
  }
  if (!progressive.protocolGiven) {
    progressive.analysis.smoke.protocol = smokeProtocolOf(inputs.runtime ?? 'custom');
  }
  return facts;
}

/** The built-in manifests' spec, or undefined with a chart (the chart decides). */
async function plan(
  inputs: Inputs,
  image: ImageInfo,
  profileName: ProfileName,
  facts: ImageFacts | undefined,
  modelName: string,
  client: KubeClient,
  logger: Logger,
): Promise<ServingPlan> {
  const profile = cloudProfile(profileName);
  if (inputs.serviceAccount) {
    if (!profile.identity) {
      throw new InputError(
        'service-account',
        `needs a cloud profile (aws, azure or gcp); the profile is ${profileName}`,
        'cloud-profile: aws',
      );
    }
    const problem = profile.identity.check(inputs.serviceAccount);
    if (problem)
      throw new InputError(
        'service-account',
        `'${inputs.serviceAccount}' ${problem} for ${profileName}`,
        profile.identity.example,
      );
  }
  const servingPlan = planServing({
    name: inputs.name,
    namespace: inputs.namespace,
    image: image.reference,
    runtime: inputs.runtime ?? 'custom',
    modelName,
    ...(facts ? { facts } : {}),
    overrides: {
      ...(inputs.port ? { port: inputs.port } : {}),
      ...(inputs.healthPath ? { healthPath: inputs.healthPath } : {}),
      ...(inputs.startTimeoutMs !== undefined
        ? { startSeconds: Math.ceil(inputs.startTimeoutMs / 1000) }
        : {}),
      ...(inputs.readOnlyRootFilesystem !== undefined
        ? { readOnlyRootFilesystem: inputs.readOnlyRootFilesystem }
        : {}),
      ...(inputs.runAsUser !== undefined ? { runAsUser: inputs.runAsUser } : {}),
    },
    replicas: inputs.replicas,
    resources: inputs.resources,
    ...(inputs.autoscaling ? { autoscaling: inputs.autoscaling } : {}),
    env: inputs.env,
    podAnnotations: inputs.podAnnotations,
    expose: {
      mode: inputs.expose,
      ...(inputs.host ? { host: inputs.host } : {}),
      ...(inputs.grpcHost ? { grpcHost: inputs.grpcHost } : {}),
      ...(inputs.gateway ? { gateway: inputs.gateway } : {}),
    },
    profile,
    ...(inputs.expose === 'load-balancer' || inputs.expose === 'internal-load-balancer'
      ? { loadBalancerController: await loadBalancerController(profileName, client, logger) }
      : {}),
    ...(inputs.serviceAccount ? { identity: inputs.serviceAccount } : {}),
    ...(inputs.modelVersion ? { modelVersion: inputs.modelVersion } : {}),
    ...(inputs.timeoutMs !== undefined ? { timeoutMs: inputs.timeoutMs } : {}),
  });
  for (const note of servingPlan.notes) logger.info(note);
  for (const warning of servingPlan.warnings) logger.warning(warning, { title: 'deploy settings' });
  logger.info(`rollout budgets: ${describeBudgets(servingPlan.budgets)}`);
  if (inputs.autoscaling && !(await servesResourceMetrics(client))) {
    logger.warning(
      `autoscaling: the cluster does not serve the resource metrics API (metrics.k8s.io), so the HorizontalPodAutoscaler cannot read CPU use and will hold ${inputs.autoscaling.min} replica${inputs.autoscaling.min === 1 ? '' : 's'}: install metrics-server (EKS does not run it by default; AKS and GKE do)`,
      { title: 'autoscaling without metrics' },
    );
  }
  return servingPlan;
}

/**
 * Who will give a LoadBalancer Service its address. On EKS the annotations
 * deploy writes depend on it: the AWS Load Balancer Controller's (or EKS
 * Auto Mode's) NLB when one of them is there, else the in-tree controller's.
 */
async function loadBalancerController(
  profileName: ProfileName,
  client: KubeClient,
  logger: Logger,
): Promise<LoadBalancerController> {
  if (profileName !== 'aws') return 'cloud';
  const found = await findAwsLoadBalancerController(client, logger);
  if (found.controller === 'in-tree') {
    logger.warning(
      `EKS: no AWS Load Balancer Controller and no EKS Auto Mode found (${found.evidence}), so the Service gets the in-tree cloud provider's NLB annotation (aws-load-balancer-type: nlb, instance targets); install the AWS Load Balancer Controller for its IP-target NLB (https://docs.aws.amazon.com/eks/latest/userguide/aws-load-balancer-controller.html)`,
      { title: 'load balancer controller' },
    );
  } else {
    logger.info(`load balancer: ${found.controller} (${found.evidence})`);
  }
  return found.controller;
}

async function renderChartObjects(
  inputs: Inputs,
  image: ImageInfo,
  logger: Logger,
): Promise<KubeObject[]> {
  return renderChart({
    chart: inputs.chart as string,
    release: inputs.name,
    namespace: inputs.namespace,
    valuesFiles: inputs.valuesFiles,
    ...(inputs.values ? { values: inputs.values } : {}),
    image,
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    logger,
  });
}

/** A chart's or a restore's rollout has no runtime to size a budget from. */
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

function holderName(): string {
  const {
    GITHUB_REPOSITORY: repo,
    GITHUB_RUN_ID: run,
    GITHUB_RUN_ATTEMPT: attempt,
    GITHUB_JOB: job,
  } = process.env;
  return repo && run
    ? `${repo} run ${run}${attempt ? `.${attempt}` : ''}${job ? ` job ${job}` : ''}`
    : `${hostname()} pid ${process.pid}`;
}

export interface RunOptions {
  logger?: Logger;
  /** Rollout watch tuning for tests. */
  pollMs?: number;
  hopelessAfterMs?: number;
}

export async function run(options: RunOptions = {}): Promise<boolean> {
  const logger = options.logger ?? actionsLogger;
  return runAction('deploy', async () => {
    let inputs: Inputs;
    let image: ImageInfo;
    let progressive: StrategyInputs;
    try {
      inputs = getInputs();
      progressive = getStrategyInputs(inputs.name, inputs.expose);
      image = checkImage(inputs, logger);
    } catch (err) {
      setOutput('status', 'failed');
      throw err;
    }
    const summary = new JobSummary(`Deploy ${inputs.name}`);
    let githubDeployment: GithubDeployment | undefined;
    let outcome: ReleaseOutcome | undefined;
    let strategyOutcome: StrategyOutcome | undefined;
    // A restore or a dry run is the same whatever the strategy.
    const strategy =
      progressive.strategy === 'rolling' || inputs.rollbackTo || inputs.dryRun
        ? undefined
        : progressive.strategy;
    let clusterName = describeClusterSpec(inputs.cluster);
    let url: string | undefined;
    let servingPlan: ServingPlan | undefined;
    try {
      const connection = await group(`Connecting to ${clusterName}`, () =>
        connectCluster(
          inputs.cluster,
          {
            logger,
            endpoints: endpointOverrides(),
            allowInsecureKubeconfig: inputs.insecureSkipTlsVerify,
          },
          {
            azure: {
              ...(inputs.azureClientId ? { clientId: inputs.azureClientId } : {}),
              ...(inputs.azureTenantId ? { tenantId: inputs.azureTenantId } : {}),
            },
          },
        ),
      );
      clusterName = connection.displayName;
      const client = new KubeClient(connection);
      const profileName = inputs.cloudProfile ?? defaultProfileFor(connection.cloud);
      let objects: KubeObject[] = [];
      if (!inputs.rollbackTo) {
        objects = await group('Rendering manifests', async () => {
          const facts = await completeFromImage(inputs, progressive, logger);
          if (inputs.chart) return renderChartObjects(inputs, image, logger);
          servingPlan = await plan(
            inputs,
            image,
            profileName,
            facts,
            progressive.analysis.smoke.target.model ?? inputs.name,
            client,
            logger,
          );
          return renderServing(servingPlan.spec);
        });
      } else if (!progressive.protocolGiven) {
        progressive.analysis.smoke.protocol = smokeProtocolOf(inputs.runtime ?? 'custom');
      }
      const timeoutMs = servingPlan?.budgets.timeoutMs ?? inputs.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      if (!inputs.dryRun) {
        githubDeployment = await startGithubDeployment({
          token: inputs.token,
          environment: inputs.environment,
          description: `${inputs.name} → ${clusterName}/${inputs.namespace}`,
          payload: { image: image.reference, cluster: clusterName, namespace: inputs.namespace },
          logger,
        });
        await githubDeployment?.setStatus('in_progress');
      }
      const request: ReleaseRequest = {
        release: inputs.name,
        namespace: inputs.namespace,
        objects,
        image: image.reference,
        ...(image.digest ? { imageDigest: image.digest } : {}),
        ...(inputs.modelVersion ? { modelVersion: inputs.modelVersion } : {}),
        ...(process.env.GITHUB_SHA ? { gitSha: process.env.GITHUB_SHA } : {}),
        ...(process.env.GITHUB_ACTOR ? { actor: process.env.GITHUB_ACTOR } : {}),
        ...(runUrl() ? { runUrl: runUrl() as string } : {}),
        ...(inputs.rollbackTo ? { rollbackTo: inputs.rollbackTo } : {}),
        timeoutMs,
        rollbackOnFailure: inputs.rollbackOnFailure,
        prune: inputs.prune,
        dryRun: inputs.dryRun,
        historyLimit: inputs.historyLimit,
        holder: holderName(),
        logger,
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        ...(options.hopelessAfterMs !== undefined
          ? { hopelessAfterMs: options.hopelessAfterMs }
          : {}),
      };
      const releaseStarted = Date.now();
      if (strategy) {
        strategyOutcome = await group(`${strategy} of ${inputs.name}`, () =>
          runStrategy(client, {
            ...request,
            strategy,
            steps: progressive.steps,
            router: progressive.router,
            analysis: progressive.analysis,
            scaleDownDelayMs: progressive.scaleDownDelayMs,
          }),
        );
        outcome = strategyOutcome.release;
      } else {
        outcome = await group(
          inputs.dryRun ? 'Diff against the cluster' : `Deploying ${inputs.name}`,
          () => runRelease(client, request),
        );
      }
      if (outcome.diff) {
        for (const d of outcome.diff) {
          logger.info(
            d.change === 'unchanged'
              ? `${d.name}: unchanged`
              : `${d.name}: ${d.change}\n${d.patch}`,
          );
        }
      }
      setOutput('status', outcome.status);
      // Apply to rollout done (or rolled back), the strategy's steps included.
      setOutput(
        'rollout-seconds',
        outcome.status === 'dry-run' ? '' : seconds(Date.now() - releaseStarted),
      );
      setOutput('revision', outcome.revision ?? '');
      setOutput('previous-revision', outcome.previousRevision ?? '');
      if (strategy) setStrategyOutputs(strategyOutcome);
      let endpoint: ReleaseEndpoint | undefined;
      let unreachable: unknown;
      const addressStarted = Date.now();
      if (outcome.status !== 'dry-run') {
        endpoint = await releaseEndpoint(client, outcome.objects, {
          ...(inputs.host ? { host: inputs.host } : {}),
          addressTimeoutMs: inputs.addressTimeoutMs,
          logger,
          ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        }).catch((err: unknown) => {
          unreachable = err;
          return undefined;
        });
      }
      url = endpoint?.url;
      setOutput('url', url ?? '');
      setOutput('reach', endpoint?.reach ?? '');
      setOutput('service', endpoint?.service ?? '');
      setOutput('address-seconds', endpoint ? seconds(Date.now() - addressStarted) : '');
      await githubDeployment?.setStatus(outcome.failure || unreachable ? 'failure' : 'success', {
        ...(url ? { url } : {}),
        description: outcome.failure
          ? `failed: ${outcome.failure.reason}`
          : unreachable
            ? `revision ${outcome.revision} serves, but has no address`
            : `revision ${outcome.revision}`,
      });
      if (outcome.failure) {
        const restored =
          outcome.status === 'rolled-back'
            ? `; revision ${outcome.revision} was restored and is serving`
            : '';
        const budget = servingPlan
          ? explainBudget(
              outcome.failure,
              servingPlan.budgets,
              servingPlan.spec.runtime.readinessPath,
            )
          : undefined;
        const placement = servingPlan
          ? explainPlacement(outcome.failure, servingPlan.spec)
          : undefined;
        throw new UserError(
          `rollout of ${inputs.name} failed: ${outcome.failure.reason}: ${outcome.failure.message}${budget ? ` (${budget})` : ''}${placement ? `; ${placement}` : ''}${restored}`,
          {
            hint: outcome.failure.diagnosis.split('\n')[0] || 'see the rollout log above',
          },
        );
      }
      if (unreachable) throw unreachable;
    } catch (err) {
      if (strategy && !strategyOutcome) setStrategyOutputs(undefined);
      if (!outcome) {
        setOutput('status', 'failed');
        await githubDeployment?.setStatus('error', { description: (err as Error).message });
      }
      throw err;
    } finally {
      writeSummary(summary, inputs, clusterName, image, outcome, url, servingPlan);
      if (strategyOutcome) writeStrategySummary(summary, strategyOutcome);
      await summary.write();
    }
  });
}

/** Endpoints for control planes without an SDK-level override (documented in deploy/README.md). */
function endpointOverrides(): Record<string, string> {
  const out: Record<string, string> = {};
  if (process.env.MODEL_DEPLOY_ARM_ENDPOINT) out.arm = process.env.MODEL_DEPLOY_ARM_ENDPOINT;
  if (process.env.MODEL_DEPLOY_GKE_ENDPOINT) out.gke = process.env.MODEL_DEPLOY_GKE_ENDPOINT;
  return out;
}

function writeSummary(
  summary: JobSummary,
  inputs: Inputs,
  cluster: string,
  image: ImageInfo,
  outcome: ReleaseOutcome | undefined,
  url: string | undefined,
  servingPlan?: ServingPlan,
): void {
  const deployment = outcome?.objects.find((o) => o.kind === 'Deployment');
  const replicas = (deployment?.spec as { replicas?: number } | undefined)?.replicas;
  summary.facts([
    ['status', outcome?.status ?? 'failed'],
    ['cluster', cluster],
    ['namespace', inputs.namespace],
    ['revision', outcome?.revision],
    ['previous revision', outcome?.previousRevision],
    [
      'attempted revision',
      outcome?.attemptedRevision !== outcome?.revision ? outcome?.attemptedRevision : undefined,
    ],
    ['image', outcome?.image ?? image.reference],
    ['attempted image', outcome?.attemptedImage],
    [
      'replicas',
      inputs.autoscaling
        ? `${inputs.autoscaling.min}–${inputs.autoscaling.max} (autoscaled)`
        : replicas,
    ],
    ['runtime', servingPlan ? inputs.runtime : undefined],
    ['rolling update', servingPlan?.rollingUpdate.why],
    ['rollout budgets', servingPlan ? describeBudgets(servingPlan.budgets) : undefined],
    ['rollout time', outcome?.rollout ? formatDuration(outcome.rollout.durationMs) : undefined],
    ['url', url],
    [
      'waited for lock',
      outcome?.waitedFor ? `${formatDuration(outcome.waitedMs)} (${outcome.waitedFor})` : undefined,
    ],
  ]);
  if (servingPlan?.notes.length) {
    summary.paragraph(`Chosen for this release: ${servingPlan.notes.join('; ')}`);
  }
  if (outcome?.applied.length) summary.paragraph(`Applied: ${outcome.applied.join(', ')}`);
  if (outcome?.pruned.length) summary.paragraph(`Pruned: ${outcome.pruned.join(', ')}`);
  if (outcome?.failure) {
    summary.heading(`Rollout failed: ${outcome.failure.reason}`);
    summary.paragraph(outcome.failure.message);
    if (outcome.failure.diagnosis) summary.code(outcome.failure.diagnosis);
  }
  if (outcome?.diff) {
    summary.heading('Dry run: changes');
    summary.table(
      ['object', 'change'],
      outcome.diff.map((d) => [d.name, d.change]),
    );
    const patches = outcome.diff
      .filter((d) => d.patch)
      .map((d) => d.patch)
      .join('\n');
    if (patches) summary.code(patches, 'diff');
  }
}

/** Milliseconds as seconds with one decimal, for the timing outputs. */
function seconds(ms: number): string {
  return (Math.round(ms / 100) / 10).toFixed(1);
}
