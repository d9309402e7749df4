import { InputError } from '../common/errors.ts';
import { formatDuration } from '../common/duration.ts';
import type { ImageFacts } from '../model/image-facts.ts';
import { RUNTIMES } from '../model/runtimes/index.ts';
import type { AutoscalingSpec, ExposeSpec, ResourceSpec, ServingSpec } from './manifests.ts';
import type { CloudProfile, LoadBalancerController } from './profiles.ts';
import {
  runtimeServing,
  SCRATCH_HOME,
  type RuntimeName,
  type RuntimeServing,
} from '../model/runtimes/serving.ts';

/**
 * From what the user asked and what the image says to the built-in
 * manifests' spec: the runtime's defaults (uid, writable folders, requests,
 * probes), GPU placement for the cloud, a rolling update that fits GPUs,
 * drain on shutdown, spreading, and rollout budgets that add up.
 */
export interface ServingRequest {
  name: string;
  namespace: string;
  image: string;
  runtime: RuntimeName;
  /** The model name the server serves (health paths of TF Serving carry it). */
  modelName: string;
  /** What the image says (model card ports and health, config user and command). */
  facts?: Pick<ImageFacts, 'ports' | 'health' | 'user' | 'cmd'>;
  /** Inputs that replace the runtime's own values. */
  overrides?: {
    port?: number;
    healthPath?: string;
    startSeconds?: number;
    readOnlyRootFilesystem?: boolean;
    runAsUser?: number;
  };
  replicas: number;
  resources: ResourceSpec;
  autoscaling?: AutoscalingSpec;
  env: Record<string, string>;
  podAnnotations?: Record<string, string>;
  expose: ExposeSpec;
  profile: CloudProfile;
  loadBalancerController?: LoadBalancerController;
  identity?: string;
  modelVersion?: string;
  /** The timeout input; undefined: the runtime's budgets decide. */
  timeoutMs?: number;
}

/** How long each part of a rollout may take, and so the deadlines that follow. */
export interface RolloutBudgets {
  /** The startup probe's allowance for loading the model. */
  startSeconds: number;
  startFrom: 'input' | 'runtime';
  /** Pulling the runtime's image onto a fresh node. */
  pullSeconds: number;
  /** A GPU node scaling up (and installing its driver) when none is free. */
  nodeSeconds: number;
  /** The Deployment's: no new pod ready within this long fails the rollout. */
  progressDeadlineSeconds: number;
  /** Replacement rounds the rolling update takes. */
  waves: number;
  timeoutMs: number;
  timeoutFrom: 'input' | 'runtime';
}

export interface ServingPlan {
  spec: ServingSpec;
  budgets: RolloutBudgets;
  /** The rolling update and why, for the summary. */
  rollingUpdate: { maxSurge: number | string; maxUnavailable: number | string; why: string };
  /** Choices deploy made for the user, one line each (log and summary). */
  notes: string[];
  /** What may not work as the user expects. */
  warnings: string[];
}

/** How long to wait for a GPU node: cluster autoscaler or Karpenter, then the driver. */
const GPU_NODE_SECONDS = 600;
/** Pause before stopping a pod behind a cloud load balancer (target deregistration). */
const LOAD_BALANCER_DRAIN_SECONDS = 30;
/** Pause before stopping any other pod (kube-proxy, gateways drop it from their endpoints). */
const DRAIN_SECONDS = 5;
/** The timeout's margin over the budgets, so the Deployment's own deadline reports first. */
const TIMEOUT_MARGIN_SECONDS = 60;

export function planServing(request: ServingRequest): ServingPlan {
  const notes: string[] = [];
  const warnings: string[] = [];
  const runtime: RuntimeServing = runtimeServing(request.runtime, request.modelName);
  const overrides = request.overrides ?? {};
  const facts = request.facts ?? {};

  // The image's card is what package wrote; inputs that contradict it were refused before.
  if (facts.ports?.[0] !== undefined) runtime.port = facts.ports[0];
  if (facts.health) {
    runtime.readinessPath = facts.health.ready;
    runtime.livenessPath = facts.health.live;
  }
  if (overrides.port) runtime.port = overrides.port;
  if (overrides.healthPath) {
    runtime.readinessPath = overrides.healthPath;
    runtime.livenessPath = overrides.healthPath;
  }
  if (overrides.startSeconds !== undefined) runtime.startupSeconds = overrides.startSeconds;
  if (overrides.readOnlyRootFilesystem !== undefined) {
    runtime.readOnlyRootFilesystem = overrides.readOnlyRootFilesystem;
  }
  runAs(request, runtime, notes, warnings);

  const resources = requestsFor(request, runtime, notes);
  const gpus = resources.gpu ?? 0;
  checkGpus(request, runtime, gpus);
  if (request.runtime === 'vllm' && gpus > 1) tensorParallel(request, runtime, gpus, notes);

  const minReplicas = request.autoscaling?.min ?? request.replicas;
  const maxReplicas = request.autoscaling?.max ?? request.replicas;
  const rollingUpdate = rollingUpdateFor(gpus, minReplicas);
  if (gpus > 0) notes.push(`rolling update: ${rollingUpdate.why}`);

  if (request.autoscaling) {
    notes.push(
      `autoscaling on CPU at ${request.autoscaling.targetCpu}% of the ${resources.cpu} CPU request${resources.defaulted?.includes('cpu') ? ` (the ${request.runtime} runtime's default request)` : ''}`,
    );
  }

  const loadBalanced =
    request.expose.mode === 'load-balancer' || request.expose.mode === 'internal-load-balancer';
  const drainSeconds = loadBalanced ? LOAD_BALANCER_DRAIN_SECONDS : DRAIN_SECONDS;

  const budgets = budgetsFor(request, runtime, gpus, rollingUpdate, minReplicas, overrides);
  if (budgets.timeoutFrom === 'input' && budgets.timeoutMs < budgets.startSeconds * 1000) {
    warnings.push(
      `timeout ${formatDuration(budgets.timeoutMs)} is shorter than the time the ${request.runtime} runtime may take to load a model (${formatDuration(budgets.startSeconds * 1000)}, the startup probe's allowance): a model that loads that slowly fails the rollout. Leave timeout unset for the runtime's budget (${formatDuration(defaultTimeoutMs(budgets))}), or lower start-timeout if the model loads faster.`,
    );
  }

  const spec: ServingSpec = {
    name: request.name,
    namespace: request.namespace,
    image: request.image,
    runtime,
    replicas: request.replicas,
    resources,
    ...(request.autoscaling ? { autoscaling: request.autoscaling } : {}),
    env: request.env,
    ...(request.podAnnotations ? { podAnnotations: request.podAnnotations } : {}),
    expose: request.expose,
    profile: request.profile,
    ...(request.identity ? { identity: request.identity } : {}),
    progressDeadlineSeconds: budgets.progressDeadlineSeconds,
    ...(request.modelVersion ? { modelVersion: request.modelVersion } : {}),
    rollingUpdate: {
      maxSurge: rollingUpdate.maxSurge,
      maxUnavailable: rollingUpdate.maxUnavailable,
    },
    drainSeconds,
    terminationGracePeriodSeconds: drainSeconds + (runtime.shutdownSeconds ?? 30),
    topologySpread: maxReplicas >= 2,
    ...(request.loadBalancerController
      ? { loadBalancerController: request.loadBalancerController }
      : {}),
  };
  return { spec, budgets, rollingUpdate, notes, warnings };
}

/** A uid given as `1000` or `1000:1000`; undefined for a name or nothing. */
function numericUid(user: string | undefined): number | undefined {
  const uid = user?.split(':')[0];
  return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : undefined;
}

/**
 * The non-root uid to run as: the input, else the image's own non-root uid,
 * else the runtime's (the uid its official image has a user for). A custom
 * image that runs as root or as a user named without a uid gets 1000, and
 * HOME on an emptyDir, since that uid has no home in the image.
 */
function runAs(
  request: ServingRequest,
  runtime: RuntimeServing,
  notes: string[],
  warnings: string[],
): void {
  const given = request.overrides?.runAsUser;
  const imageUser = request.facts?.user;
  const imageUid = numericUid(imageUser);
  if (given !== undefined) {
    runtime.runAsUser = given;
  } else if (imageUid !== undefined && imageUid > 0) {
    runtime.runAsUser = imageUid;
    if (request.runtime === 'custom') return;
  } else if (request.runtime === 'custom') {
    runtime.runAsUser = 1000;
    if (imageUser !== undefined && imageUid === undefined) {
      warnings.push(
        `the image runs as user '${imageUser}', a name whose uid deploy cannot read; the pod runs as uid 1000 (Pod Security "restricted" needs a numeric non-root uid). Set run-as-user to that user's uid.`,
      );
    } else {
      notes.push(
        'the image runs as root; the pod runs as uid 1000 with HOME on an emptyDir (set run-as-user for another uid)',
      );
    }
  }
  if (request.runtime === 'custom' && given === undefined && !('HOME' in request.env)) {
    runtime.scratch = [...(runtime.scratch ?? []), { name: 'home', mountPath: SCRATCH_HOME }];
    runtime.env = { ...runtime.env, HOME: SCRATCH_HOME };
  }
}

function requestsFor(
  request: ServingRequest,
  runtime: RuntimeServing,
  notes: string[],
): ResourceSpec {
  const given = request.resources;
  const defaults = runtime.defaultRequests ?? { cpu: '250m', memory: '512Mi' };
  const defaulted: Array<'cpu' | 'memory'> = [];
  const resources: ResourceSpec = { ...given };
  if (!given.cpu) {
    resources.cpu = defaults.cpu;
    defaulted.push('cpu');
  }
  if (!given.memory) {
    resources.memory = defaults.memory;
    defaulted.push('memory');
  }
  if (defaulted.length > 0) {
    resources.defaulted = defaulted;
    notes.push(
      `requests: ${defaulted.map((d) => `${d} ${resources[d]}`).join(', ')} (the ${request.runtime} runtime's default${defaulted.length > 1 ? 's' : ''}, no limit; set resources to size them)`,
    );
  }
  return resources;
}

function checkGpus(request: ServingRequest, runtime: RuntimeServing, gpus: number): void {
  const profile = request.profile;
  const gpuType = request.resources.gpuType;
  if (runtime.requiresGpu && gpus === 0) {
    throw new InputError(
      'resources',
      `has no gpu, and the ${request.runtime} runtime serves on NVIDIA GPUs only`,
      `resources: '{gpu: 1${profile.gpuTypeRequired ? `, gpu-type: ${profile.gpuTypeExample.replace('gpu-type: ', '')}` : ''}}'`,
    );
  }
  if (gpus === 0) return;
  if (gpuType !== undefined) {
    const problem = profile.checkGpuType(gpuType);
    if (problem) {
      throw new InputError(
        'resources',
        `has gpu-type '${gpuType}', which ${problem} for the ${profile.name} cloud profile`,
        profile.gpuTypeExample,
      );
    }
  } else if (profile.gpuTypeRequired) {
    throw new InputError(
      'resources',
      `asks for ${gpus} GPU${gpus > 1 ? 's' : ''} without gpu-type, which the ${profile.name} cloud profile needs: ${profile.gpuTypeRequired}`,
      profile.gpuTypeExample,
    );
  }
}

const TP_FLAG = '--tensor-parallel-size';

/** vLLM splits a model over several GPUs only when told to. */
function tensorParallel(
  request: ServingRequest,
  runtime: RuntimeServing,
  gpus: number,
  notes: string[],
): void {
  const cmd =
    request.facts?.cmd ??
    RUNTIMES.vllm.command({
      name: request.modelName,
      version: request.modelVersion ?? '',
      tree: { root: '', files: [], symlinks: [], directories: [], singleFile: false, totalSize: 0 },
    }).cmd ??
    [];
  const at = cmd.findIndex((a) => a === TP_FLAG || a === '-tp' || a.startsWith(`${TP_FLAG}=`));
  if (at >= 0) {
    const value = cmd[at]!.includes('=') ? cmd[at]!.split('=')[1] : cmd[at + 1];
    if (Number(value) !== gpus) {
      throw new InputError(
        'resources',
        `has gpu: ${gpus}, but the image's command runs vLLM with ${TP_FLAG} ${value}: each GPU would not hold its share`,
        `resources: '{gpu: ${value}}', or package the image without ${TP_FLAG}`,
      );
    }
    return;
  }
  runtime.args = [...cmd, TP_FLAG, String(gpus)];
  notes.push(`vLLM splits the model over the ${gpus} GPUs (${TP_FLAG} ${gpus})`);
}

function rollingUpdateFor(gpus: number, minReplicas: number): ServingPlan['rollingUpdate'] {
  if (gpus > 0 && minReplicas >= 2) {
    return {
      maxSurge: 0,
      maxUnavailable: 1,
      why: `one pod at a time gives its ${gpus === 1 ? 'GPU' : `${gpus} GPUs`} to its replacement (maxSurge 0, maxUnavailable 1), so a fixed GPU pool needs no spare GPU; the other replicas serve meanwhile`,
    };
  }
  if (gpus > 0) {
    return {
      maxSurge: 1,
      maxUnavailable: 0,
      why: `one replica: the new pod needs ${gpus === 1 ? 'a spare GPU' : `${gpus} spare GPUs`} while the old one keeps serving (maxSurge 1, maxUnavailable 0); with replicas 2 or more deploy replaces one pod at a time instead`,
    };
  }
  return {
    maxSurge: '25%',
    maxUnavailable: 0,
    why: 'new pods up to 25% over the replicas, none of the old ones down until they are ready',
  };
}

function budgetsFor(
  request: ServingRequest,
  runtime: RuntimeServing,
  gpus: number,
  rollingUpdate: ServingPlan['rollingUpdate'],
  replicas: number,
  overrides: NonNullable<ServingRequest['overrides']>,
): RolloutBudgets {
  const startSeconds = runtime.startupSeconds;
  const pullSeconds = runtime.pullSeconds ?? 180;
  const nodeSeconds = gpus > 0 ? GPU_NODE_SECONDS : 0;
  const perRound =
    typeof rollingUpdate.maxSurge === 'string'
      ? Math.max(1, Math.ceil((replicas * parseInt(rollingUpdate.maxSurge, 10)) / 100))
      : Math.max(1, rollingUpdate.maxSurge, Number(rollingUpdate.maxUnavailable));
  const budgets: RolloutBudgets = {
    startSeconds,
    startFrom: overrides.startSeconds !== undefined ? 'input' : 'runtime',
    pullSeconds,
    nodeSeconds,
    progressDeadlineSeconds: startSeconds + pullSeconds + nodeSeconds,
    waves: Math.ceil(replicas / perRound),
    timeoutMs: 0,
    timeoutFrom: request.timeoutMs !== undefined ? 'input' : 'runtime',
  };
  budgets.timeoutMs = request.timeoutMs ?? defaultTimeoutMs(budgets);
  return budgets;
}

/** The first round waits for a node and a pull; each further round for a model to load. */
export function defaultTimeoutMs(b: RolloutBudgets): number {
  return (
    (b.progressDeadlineSeconds + (b.waves - 1) * b.startSeconds + TIMEOUT_MARGIN_SECONDS) * 1000
  );
}

/** What the progress deadline is made of: `start 10m + image pull 10m + GPU node 10m`. */
function deadlineParts(b: RolloutBudgets): string {
  return [
    `start ${formatDuration(b.startSeconds * 1000)}${b.startFrom === 'input' ? ' from start-timeout' : ''}`,
    `image pull ${formatDuration(b.pullSeconds * 1000)}`,
    ...(b.nodeSeconds ? [`GPU node ${formatDuration(b.nodeSeconds * 1000)}`] : []),
  ].join(' + ');
}

/** The budgets in one line, for the log and the summary. */
export function describeBudgets(b: RolloutBudgets): string {
  return `progress deadline ${formatDuration(b.progressDeadlineSeconds * 1000)} (${deadlineParts(b)}); timeout ${formatDuration(b.timeoutMs)}${b.timeoutFrom === 'input' ? ' (the timeout input)' : ` (${b.waves} round${b.waves === 1 ? '' : 's'} of replacement)`}`;
}

/**
 * Which budget ran out, in words, from a failed rollout's reason and
 * diagnosis: the startup probe's (the model did not load in time), the
 * Deployment's progress deadline, or the step's timeout.
 */
export function explainBudget(
  failure: { reason: string; diagnosis: string },
  budgets: RolloutBudgets,
  readinessPath?: string,
): string | undefined {
  if (/Startup probe failed|failed startup probe/i.test(failure.diagnosis)) {
    return `the start budget ran out: the startup probe gives the model server ${formatDuration(budgets.startSeconds * 1000)}${budgets.startFrom === 'input' ? ' (start-timeout)' : ''} to answer ${readinessPath ?? 'its health path'}, and the kubelet restarted it when it had not; raise start-timeout for a model that loads slowly, or read the server's log for why it did not come up`;
  }
  if (failure.reason.startsWith('ProgressDeadlineExceeded')) {
    return `the Deployment's progress deadline ran out: no new pod became ready within ${formatDuration(budgets.progressDeadlineSeconds * 1000)} (${deadlineParts(budgets)})`;
  }
  if (failure.reason.startsWith('Timeout')) {
    return `the step's timeout ran out: ${formatDuration(budgets.timeoutMs)}${budgets.timeoutFrom === 'input' ? ' (the timeout input)' : " (the runtime's budget)"} passed before every new pod was ready${budgets.timeoutFrom === 'input' && budgets.timeoutMs < budgets.progressDeadlineSeconds * 1000 ? `, sooner than the Deployment's progress deadline of ${formatDuration(budgets.progressDeadlineSeconds * 1000)}` : ''}`;
  }
  return undefined;
}

/**
 * Why no node took a GPU pod, when the scheduler said so: the node labels
 * and the GPU resource the pod asks for, so the user can compare them with
 * the cluster's GPU nodes.
 */
export function explainPlacement(
  failure: { diagnosis: string },
  spec: ServingSpec,
): string | undefined {
  const gpus = spec.resources.gpu ?? 0;
  if (gpus === 0) return undefined;
  const selectorMissed = /didn't match Pod's node affinity\/selector/.test(failure.diagnosis);
  const gpuShort = /Insufficient nvidia\.com\/gpu/.test(failure.diagnosis);
  if (!selectorMissed && !gpuShort) return undefined;
  const placement = spec.profile.gpuPlacement(spec.resources.gpuType);
  const wanted = [
    ...Object.entries(placement.nodeSelector).map(([k, v]) => `${k}=${v}`),
    ...(placement.nodeAffinityTerms?.length
      ? [
          placement.nodeAffinityTerms
            .map((term) => term.map((t) => `${t.key}=${t.values.join('|')}`).join(', '))
            .join(' or '),
        ]
      : []),
  ];
  const labels = wanted.length ? `nodes labelled ${wanted.join(', ')}` : 'GPU nodes';
  return `no node can take the pod: it asks for ${gpus} nvidia.com/gpu on ${labels} (the ${spec.profile.name} cloud profile); ${selectorMissed ? 'check that such a GPU node pool exists and its nodes carry these labels' : 'every such node has its GPUs taken: add GPU nodes, or let the node autoscaler add them'}, and that the NVIDIA device plugin reports nvidia.com/gpu on them`;
}
