import { RUNTIMES } from '../model/runtimes/index.ts';
import { RUNTIME_NAMES, type Protocol, type RuntimeName } from '../model/runtimes/types.ts';
import type { ProtocolName } from '../smoke/protocols/types.ts';

export { RUNTIME_NAMES, type RuntimeName };

/**
 * What the manifests need to know about each serving runtime. Ports and
 * health paths come from the runtime descriptions that package uses; this
 * file adds only what the pod spec needs beyond them: whether the image runs
 * as a non-root user with a read-only root filesystem, and how long the
 * model may take to load.
 */
export interface RuntimeServing {
  port: number;
  readinessPath: string;
  livenessPath: string;
  /** The image has a non-root user it can run as; `runAsUser` is that uid. */
  runAsUser?: number;
  /** The server writes only to mounted paths (a /tmp emptyDir is always mounted). */
  readOnlyRootFilesystem: boolean;
  /** Large models take long to load; the startup probe allows this long. */
  startupSeconds: number;
}

interface PodFacts {
  runAsUser?: number;
  readOnlyRootFilesystem: boolean;
  startupSeconds: number;
}

const POD_FACTS: Record<RuntimeName, PodFacts> = {
  // The NGC image has the triton-server user (uid 1000) and writes nothing outside /tmp.
  triton: { runAsUser: 1000, readOnlyRootFilesystem: true, startupSeconds: 600 },
  // The official image runs as root and writes nothing outside /tmp.
  tfserving: { readOnlyRootFilesystem: true, startupSeconds: 300 },
  // TorchServe writes logs and unpacks .mar files under its home directory.
  torchserve: { runAsUser: 1000, readOnlyRootFilesystem: false, startupSeconds: 300 },
  mlserver: { runAsUser: 1000, readOnlyRootFilesystem: false, startupSeconds: 300 },
  // vLLM caches compiled kernels under root's home directory.
  vllm: { readOnlyRootFilesystem: false, startupSeconds: 900 },
  custom: { runAsUser: 1000, readOnlyRootFilesystem: true, startupSeconds: 120 },
};

export function runtimeServing(runtime: RuntimeName, modelName: string): RuntimeServing {
  const description = RUNTIMES[runtime];
  const http = description.ports.find((p) => p.name === 'http') ?? description.ports[0];
  const path = (template: string) => template.replace('{name}', modelName);
  return {
    port: http?.port ?? 8080,
    readinessPath: path(description.health.ready),
    livenessPath: path(description.health.live),
    ...POD_FACTS[runtime],
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
