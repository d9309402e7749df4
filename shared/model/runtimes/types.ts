import type { ModelFile, ModelTree } from '../files.ts';

export const RUNTIME_NAMES = [
  'triton',
  'tfserving',
  'torchserve',
  'mlserver',
  'vllm',
  'custom',
] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** The HTTP API a runtime serves; decides the OpenAPI document and the smoke test protocol. */
export type Protocol = 'open-inference-v2' | 'tfserving' | 'torchserve' | 'openai' | 'http';

export interface TensorSpec {
  name: string;
  datatype: string;
  /** -1 for a variable dimension. */
  shape: number[];
}

/** Inputs and outputs when the model files say what they are. */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface RuntimeContext {
  name: string;
  version: string;
  tree: ModelTree;
}

export interface PlacedFile {
  file: ModelFile;
  /** Absolute path in the image. */
  imagePath: string;
}

/** Where every model file goes in the image, and what the runtime needs generated. */
export interface RuntimePlan {
  /** The folder (or file) the runtime loads, in the image. */
  modelPath: string;
  files: PlacedFile[];
  symlinks: Array<{ imagePath: string; target: string }>;
  directories: string[];
  /** Generated configuration: goes in the small config layer. */
  generated: Array<{ imagePath: string; content: Buffer }>;
  signature?: ModelSignature;
}

export interface RuntimePort {
  name: string;
  port: number;
}

/** A writable folder on an emptyDir, besides the /tmp every pod gets. */
export interface ScratchVolume {
  name: string;
  mountPath: string;
  /** `Memory`: a tmpfs (what /dev/shm must be for NCCL and Triton's Python backend). */
  medium?: 'Memory';
  sizeLimit?: string;
}

/**
 * What a pod needs to know about the runtime beyond its ports and health
 * paths: the uid the image really runs as, what it writes and where, how long
 * it takes to pull and to load a model, and what it asks of the node.
 */
export interface PodFacts {
  /** The non-root uid the pod runs as (Pod Security "restricted" refuses root). */
  runAsUser: number;
  /** The server writes only to mounted paths (a /tmp emptyDir is always mounted). */
  readOnlyRootFilesystem: boolean;
  /** Large models take long to load; the startup probe allows this long. */
  startupSeconds: number;
  /** An allowance for pulling the runtime's image onto a fresh node. */
  pullSeconds: number;
  /** How long the server may take to finish in-flight requests once told to stop. */
  shutdownSeconds: number;
  /** Requests when the resources input gives none: a BestEffort pod is the first evicted. */
  defaultRequests: { cpu: string; memory: string };
  /** Writable folders besides /tmp (HOME, caches, /dev/shm). */
  scratch?: ScratchVolume[];
  /** Environment the runtime needs in a pod (HOME and caches on the scratch folders). */
  env?: Record<string, string>;
  /** The runtime serves only on GPUs. */
  requiresGpu?: boolean;
}

export interface Runtime {
  name: RuntimeName;
  protocol: Protocol;
  /** Undefined when the user must choose (custom). */
  defaultBaseImage: string | undefined;
  /** The first is the HTTP port the endpoint serves inference on. */
  ports: RuntimePort[];
  health: { live: string; ready: string };
  /**
   * The protobuf package of the runtime's gRPC inference API (on the `grpc`
   * port): gRPC sends an RPC as POST /<package>.<Service>/<Method>.
   */
  grpcPackage?: string;
  pod: PodFacts;
  /** Version folders must be whole numbers (Triton and TF Serving load only those). */
  numericVersion: boolean;
  /** What to start; undefined parts keep the base image's own. */
  command(ctx: RuntimeContext): { entrypoint?: string[]; cmd?: string[] };
  env(ctx: RuntimeContext): Record<string, string>;
  /** Throws an InputError for `model` naming what is missing when the files do not fit. */
  plan(ctx: RuntimeContext): RuntimePlan;
}
