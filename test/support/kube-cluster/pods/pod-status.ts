import { now } from '../api.ts';
import type { JsonObject } from '../schema.ts';

/** One container as the kubelet reports it in containerStatuses. */
export interface ContainerReport {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  state: JsonObject;
  lastState: JsonObject;
  ready: boolean;
  started: boolean;
  restartCount: number;
}

export const NODE_NAME = 'test-double-node';
export const NODE_IP = '127.0.0.1';

/** Keeps a condition's lastTransitionTime while its status stays the same, so a steady pod is not rewritten. */
function condition(
  previous: JsonObject[],
  type: string,
  status: boolean,
  extra: JsonObject = {},
): JsonObject {
  const value = status ? 'True' : 'False';
  const old = previous.find((c) => c.type === type);
  return {
    type,
    status: value,
    lastProbeTime: null,
    lastTransitionTime: old && old.status === value ? old.lastTransitionTime : now(),
    ...extra,
  };
}

export function scheduledStatus(
  pod: JsonObject,
  podIP: string,
  startTime: string,
  containers: ContainerReport[],
): JsonObject {
  const previous = ((pod.status as JsonObject | undefined)?.conditions ?? []) as JsonObject[];
  const everStarted = containers.every(
    (c) => c.state.running || c.state.terminated || c.restartCount > 0,
  );
  const allReady = containers.length > 0 && containers.every((c) => c.ready);
  const notReady = containers.filter((c) => !c.ready).map((c) => c.name);
  const unreadyExtra = allReady
    ? {}
    : {
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${notReady.join(' ')}]`,
      };
  const resources =
    containers.length > 0 &&
    ((pod.spec as JsonObject).containers as JsonObject[]).some(
      (c) => Object.keys((c.resources ?? {}) as JsonObject).length > 0,
    );
  return {
    phase: everStarted ? 'Running' : 'Pending',
    conditions: [
      condition(previous, 'PodReadyToStartContainers', true),
      condition(previous, 'Initialized', true),
      condition(previous, 'Ready', allReady, unreadyExtra),
      condition(previous, 'ContainersReady', allReady, unreadyExtra),
      condition(previous, 'PodScheduled', true),
    ],
    hostIP: NODE_IP,
    hostIPs: [{ ip: NODE_IP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    containerStatuses: containers.map((c) => ({
      name: c.name,
      state: c.state,
      lastState: c.lastState,
      ready: c.ready,
      restartCount: c.restartCount,
      image: c.image,
      imageID: c.imageID,
      ...(c.containerID ? { containerID: c.containerID } : {}),
      started: c.started,
    })),
    qosClass: resources ? 'Burstable' : 'BestEffort',
  };
}

export function unschedulableStatus(pod: JsonObject, message: string): JsonObject {
  const previous = ((pod.status as JsonObject | undefined)?.conditions ?? []) as JsonObject[];
  return {
    phase: 'Pending',
    conditions: [condition(previous, 'PodScheduled', false, { reason: 'Unschedulable', message })],
    qosClass: 'BestEffort',
  };
}

/** Why the single test-double node does not fit the pod, or undefined if it does. */
export function schedulingProblem(
  pod: JsonObject,
  nodeLabels: Record<string, string>,
  annotation: string | undefined,
): string | undefined {
  const tail = 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
  if (annotation !== undefined && annotation !== 'false') {
    return annotation === 'true' || annotation === ''
      ? `0/1 nodes are available: 1 Insufficient nvidia.com/gpu. ${tail}`
      : annotation;
  }
  const selector = ((pod.spec as JsonObject).nodeSelector ?? {}) as Record<string, string>;
  if (Object.entries(selector).some(([k, v]) => nodeLabels[k] !== v)) {
    return `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${tail}`;
  }
  return undefined;
}

export function nodeObject(): JsonObject {
  return {
    metadata: {
      name: NODE_NAME,
      labels: nodeLabels(),
    },
    spec: {},
    status: {
      capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: now(),
          lastTransitionTime: now(),
        },
      ],
      addresses: [
        { type: 'InternalIP', address: NODE_IP },
        { type: 'Hostname', address: NODE_NAME },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0-test-double',
        containerRuntimeVersion: 'podman://4',
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: 'test double',
        kernelVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
        kubeProxyVersion: '',
      },
    },
  };
}

export function nodeLabels(): Record<string, string> {
  return {
    'kubernetes.io/hostname': NODE_NAME,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': 'test-double',
  };
}

export interface PodRuntime {
  /** Called for every live pod on each controller pass: advance its lifecycle, return its status. */
  sync(pod: JsonObject): JsonObject | undefined;
  /** The pod object is gone: release what it held. */
  forget(uid: string): void;
  /** 127.0.0.1 URL for a pod's container port, if the pod is really listening somewhere. */
  endpointFor(pod: JsonObject, containerPort: number): string | undefined;
  logs(
    pod: JsonObject,
    container: string | undefined,
    tailLines: number | undefined,
  ): Promise<string>;
  stop(): Promise<void>;
}
