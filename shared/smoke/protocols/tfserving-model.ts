import { ProtocolError, type ServedMetadata, type Target, type TensorSpec } from './types.ts';

/**
 * What TensorFlow Serving's REST and gRPC APIs share: the model status of
 * each version, the serving_default signature, and the default request.
 */
export const SIGNATURE = 'serving_default';

export interface VersionStatus {
  version?: unknown;
  state?: unknown;
  status?: { error_message?: unknown };
}

/** Ready when a version is AVAILABLE; otherwise each version's state (and error) says why not. */
export function readiness(versions: VersionStatus[]): { ready: boolean; detail: string } {
  const available = versions.filter((v) => v.state === 'AVAILABLE');
  if (available.length > 0) {
    return {
      ready: true,
      detail: `version ${available.map((v) => String(v.version)).join(', ')} AVAILABLE`,
    };
  }
  const states = versions.map((v) => {
    const error = v.status?.error_message ? ` (${String(v.status.error_message)})` : '';
    return `version ${String(v.version)} ${String(v.state)}${error}`;
  });
  return { ready: false, detail: states.length > 0 ? states.join(', ') : 'no version reported' };
}

/** The versions served: every AVAILABLE one from the status, else the latest the metadata names. */
export function servedVersions(versions: VersionStatus[], latest: unknown): string[] {
  const served = versions.filter((v) => v.state === 'AVAILABLE').map((v) => String(v.version));
  if (served.length > 0) return served;
  return latest === undefined ? [] : [String(latest)];
}

export function signatureSpecs(value: unknown): TensorSpec[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return Object.entries(
    value as Record<
      string,
      { dtype?: unknown; tensor_shape?: { dim?: Array<{ size?: unknown }> } }
    >,
  ).map(([alias, info]) => ({
    name: alias,
    datatype: String(info.dtype ?? ''),
    shape: (info.tensor_shape?.dim ?? []).map((d) => Number(d.size ?? -1)),
  }));
}

/** The version to ask for: the target's, when the server serves it. */
export function askedVersion(
  target: Target,
  metadata: ServedMetadata | undefined,
): string | undefined {
  return target.version !== undefined && (metadata?.versions ?? []).includes(target.version)
    ? target.version
    : undefined;
}

function nestedOnes(shape: number[]): unknown {
  if (shape.length === 0) return 1;
  const [first, ...rest] = shape as [number, ...number[]];
  return Array.from({ length: first < 0 ? 1 : first }, () => nestedOnes(rest));
}

/** The default request's columns: each declared input filled with ones, dynamic dimensions as 1. */
export function sampleColumns(metadata: ServedMetadata | undefined): Record<string, unknown> {
  const inputs = metadata?.inputs;
  if (inputs === undefined || inputs.length === 0) {
    throw new ProtocolError(
      `the ${SIGNATURE} signature declares no inputs, so no default request can be built; give \`request\``,
    );
  }
  return Object.fromEntries(inputs.map((input) => [input.name, nestedOnes(input.shape)]));
}
