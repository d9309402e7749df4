import { RUNTIMES } from './index.ts';
import { SCRATCH_HOME } from './pod.ts';
import { RUNTIME_NAMES, type PodFacts, type RuntimeName, type ScratchVolume } from './types.ts';

export { RUNTIME_NAMES, SCRATCH_HOME, type RuntimeName, type ScratchVolume };

export interface GrpcServing {
  port: number;
  /** Every RPC path of the API starts with it (`/<protobuf package>.`): what gateways match on. */
  pathPrefix: string;
}

/** What the manifests need to know about a runtime serving one model. */
export interface RuntimeServing {
  port: number;
  /** The runtime's gRPC API beside its REST one: the port and the path prefix of its RPCs. */
  grpc?: GrpcServing;
  readinessPath: string;
  livenessPath: string;
  runAsUser?: number;
  readOnlyRootFilesystem: boolean;
  startupSeconds: number;
  pullSeconds?: number;
  shutdownSeconds?: number;
  defaultRequests?: PodFacts['defaultRequests'];
  scratch?: ScratchVolume[];
  env?: Record<string, string>;
  /** Container args replacing the image's Cmd (only when deploy must add to it). */
  args?: string[];
  requiresGpu?: boolean;
}

/** The runtime's ports, probes and pod facts for a model, each call a fresh copy. */
export function runtimeServing(runtime: RuntimeName, modelName: string): RuntimeServing {
  const description = RUNTIMES[runtime];
  const http = description.ports.find((p) => p.name === 'http') ?? description.ports[0];
  const path = (template: string) => template.replace('{name}', modelName);
  const facts = description.pod;
  const grpcPort = description.ports.find((p) => p.name === 'grpc')?.port;
  const grpcPackage = description.grpcPackage;
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
