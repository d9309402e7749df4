import { RUNTIMES } from '../model/runtimes/index.ts';
import { RUNTIME_NAMES, type Protocol, type RuntimeName } from '../model/runtimes/types.ts';
import type { ProtocolName } from '../smoke/protocols/types.ts';

export { RUNTIME_NAMES, type RuntimeName };

/** A writable folder on an emptyDir, besides the /tmp every pod gets. */
export interface ScratchVolume {
  name: string;
  mountPath: string;
  /** `Memory`: a tmpfs (what /dev/shm must be for NCCL and Triton's Python backend). */
  medium?: 'Memory';
  sizeLimit?: string;
}

/**
 * What the manifests need to know about each serving runtime. Ports and
 * health paths come from the runtime descriptions that package uses; this
 * file adds what the pod spec needs beyond them: the uid the image really
 * runs as, what it writes and where, how long it takes to pull and to load
 * a model, and what it asks of the node.
 */
export interface RuntimeServing {
  port: number;
  /** The runtime's gRPC API beside its REST one: the port and the path prefix of its RPCs. */
  grpc?: GrpcServing;
  readinessPath: string;
  livenessPath: string;
  /** The non-root uid the pod runs as (Pod Security "restricted" refuses root). */
  runAsUser?: number;
  /** The server writes only to mounted paths (a /tmp emptyDir is always mounted). */
  readOnlyRootFilesystem: boolean;
  /** Large models take long to load; the startup probe allows this long. */
  startupSeconds: number;
  /** An allowance for pulling the runtime's image onto a fresh node. */
  pullSeconds?: number;
  /** How long the server may take to finish in-flight requests once told to stop. */
  shutdownSeconds?: number;
  /** Requests when the resources input gives none: a BestEffort pod is the first evicted. */
  defaultRequests?: { cpu: string; memory: string };
  /** Writable folders besides /tmp (HOME, caches, /dev/shm). */
  scratch?: ScratchVolume[];
  /** Environment the runtime needs in a pod (HOME and caches on the scratch folders). */
  env?: Record<string, string>;
  /** Container args replacing the image's Cmd (only when deploy must add to it). */
  args?: string[];
  /** The runtime serves only on GPUs. */
  requiresGpu?: boolean;
}

export interface GrpcServing {
  port: number;
  /** Every RPC path of the API starts with it (`/<protobuf package>.`): what gateways match on. */
  pathPrefix: string;
}

/**
 * The protobuf package of each runtime's gRPC inference API: gRPC sends an
 * RPC as POST /<package>.<Service>/<Method>, so the package prefixes them all.
 */
const GRPC_PACKAGE: Partial<Record<RuntimeName, string>> = {
  // The Open Inference Protocol's gRPC API.
  triton: 'inference',
  mlserver: 'inference',
  // PredictionService and ModelService.
  tfserving: 'tensorflow.serving',
  // InferenceAPIsService (management is on another port).
  torchserve: 'org.pytorch.serve.grpc.inference',
};

interface PodFacts {
  runAsUser: number;
  readOnlyRootFilesystem: boolean;
  startupSeconds: number;
  pullSeconds: number;
  shutdownSeconds: number;
  defaultRequests: { cpu: string; memory: string };
  scratch?: ScratchVolume[];
  env?: Record<string, string>;
  requiresGpu?: boolean;
}

/** The folder HOME points at where the image has no writable home for the pod's uid. */
export const SCRATCH_HOME = '/home/model-server';

const SHM = (sizeLimit: string): ScratchVolume => ({
  name: 'dshm',
  mountPath: '/dev/shm',
  medium: 'Memory',
  sizeLimit,
});

const POD_FACTS: Record<RuntimeName, PodFacts> = {
  // The NGC image has the triton-server user, uid 1000, made for running
  // non-root; the server writes nothing outside /tmp, and its Python backend
  // and TensorRT-LLM talk through /dev/shm. Images of 10 GB and more.
  triton: {
    runAsUser: 1000,
    readOnlyRootFilesystem: true,
    startupSeconds: 600,
    pullSeconds: 600,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '1', memory: '2Gi' },
    scratch: [SHM('1Gi')],
  },
  // The official image has no user of its own and runs as root; the server
  // reads the model and writes nothing, so any non-root uid serves.
  tfserving: {
    runAsUser: 1000,
    readOnlyRootFilesystem: true,
    startupSeconds: 300,
    pullSeconds: 180,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '500m', memory: '1Gi' },
  },
  // The image runs as its model-server user (uid 1000), which writes logs and
  // unpacks .mar files under its home directory.
  torchserve: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 300,
    pullSeconds: 300,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '1', memory: '2Gi' },
  },
  // The image's USER is 1000; MLServer writes its environments and logs.
  mlserver: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 300,
    pullSeconds: 300,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '500m', memory: '1Gi' },
  },
  // The vllm-openai image runs as root with HOME=/root, where vLLM, Hugging
  // Face, Triton (the compiler) and torch keep their caches. As uid 1000 they
  // go to an emptyDir HOME instead; USER stands in for the passwd entry the
  // uid lacks (getpass reads it before asking the passwd file). Tensor
  // parallelism needs /dev/shm larger than a container's 64 MiB. Images of ~9 GB.
  vllm: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 900,
    pullSeconds: 600,
    shutdownSeconds: 60,
    defaultRequests: { cpu: '4', memory: '16Gi' },
    scratch: [{ name: 'home', mountPath: SCRATCH_HOME }, SHM('2Gi')],
    env: { HOME: SCRATCH_HOME, USER: 'vllm' },
    requiresGpu: true,
  },
  // Any server image: the pod runs as the image's own non-root user when it
  // names one by uid, else as 1000 with HOME on an emptyDir (see planServing).
  custom: {
    runAsUser: 1000,
    readOnlyRootFilesystem: false,
    startupSeconds: 120,
    pullSeconds: 180,
    shutdownSeconds: 30,
    defaultRequests: { cpu: '250m', memory: '512Mi' },
  },
};

export function runtimeServing(runtime: RuntimeName, modelName: string): RuntimeServing {
  const description = RUNTIMES[runtime];
  const http = description.ports.find((p) => p.name === 'http') ?? description.ports[0];
  const path = (template: string) => template.replace('{name}', modelName);
  const facts = POD_FACTS[runtime];
  const grpcPort = description.ports.find((p) => p.name === 'grpc')?.port;
  const grpcPackage = GRPC_PACKAGE[runtime];
  return {
    port: http?.port ?? 8080,
    ...(grpcPort !== undefined && grpcPackage !== undefined
      ? { grpc: { port: grpcPort, pathPrefix: `/${grpcPackage}.` } }
      : {}),
    readinessPath: path(description.health.ready),
    livenessPath: path(description.health.live),
    ...facts,
    defaultRequests: { ...facts.defaultRequests },
    ...(facts.scratch ? { scratch: facts.scratch.map((s) => ({ ...s })) } : {}),
    ...(facts.env ? { env: { ...facts.env } } : {}),
  };
}

const SMOKE_PROTOCOL: Record<Protocol, ProtocolName> = {
  'open-inference-v2': 'v2',
  tfserving: 'tfserving',
  torchserve: 'torchserve',
  openai: 'openai',
  http: 'http',
};

/** The smoke-test protocol that speaks a runtime's API: the analysis default. */
export function smokeProtocolOf(runtime: RuntimeName): ProtocolName {
  return SMOKE_PROTOCOL[RUNTIMES[runtime].protocol];
}
