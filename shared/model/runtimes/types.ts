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

export interface Runtime {
  name: RuntimeName;
  protocol: Protocol;
  /** Undefined when the user must choose (custom). */
  defaultBaseImage: string | undefined;
  /** The first is the HTTP port the endpoint serves inference on. */
  ports: RuntimePort[];
  health: { live: string; ready: string };
  /** Version folders must be whole numbers (Triton and TF Serving load only those). */
  numericVersion: boolean;
  /** What to start; undefined parts keep the base image's own. */
  command(ctx: RuntimeContext): { entrypoint?: string[]; cmd?: string[] };
  env(ctx: RuntimeContext): Record<string, string>;
  /** Throws an InputError for `model` naming what is missing when the files do not fit. */
  plan(ctx: RuntimeContext): RuntimePlan;
}
