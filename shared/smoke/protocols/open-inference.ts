import { ProtocolError, type ServedMetadata, type Target, type TensorSpec } from './types.ts';

/**
 * What the Open Inference Protocol's REST and gRPC forms share: the model
 * metadata message, which version is asked for, and the default request
 * built from the declared inputs.
 */

export function tensorSpecs(value: unknown): TensorSpec[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((item: { name?: unknown; datatype?: unknown; shape?: unknown }) => ({
    name: String(item.name ?? ''),
    datatype: String(item.datatype ?? ''),
    shape: Array.isArray(item.shape) ? item.shape.map(Number) : [],
  }));
}

/** A ModelMetadataResponse (REST JSON or gRPC message); `absent` stands for an undeclared signature. */
export function servedMetadata(
  body: { name?: unknown; versions?: unknown; inputs?: unknown; outputs?: unknown },
  absent?: TensorSpec[],
): ServedMetadata {
  return {
    name: typeof body.name === 'string' ? body.name : undefined,
    versions: Array.isArray(body.versions) ? body.versions.map(String) : [],
    inputs: tensorSpecs(body.inputs) ?? absent,
    outputs: tensorSpecs(body.outputs) ?? absent,
  };
}

/** Whether the metadata says the target's version is served. */
export function servesVersion(target: Target, metadata: ServedMetadata | undefined): boolean {
  return (
    target.version !== undefined &&
    (metadata?.versionServed === true || (metadata?.versions ?? []).includes(target.version))
  );
}

/** A value of the declared datatype, for the default request. */
function sampleValue(datatype: string): number | boolean | string {
  const type = datatype.toUpperCase();
  if (type === 'BOOL') return false;
  if (type === 'BYTES') return '';
  return 1;
}

/**
 * The default request's inputs: one of each declared input, dynamic
 * dimensions (-1) as 1, the smallest request the model must accept.
 */
export function sampleInputs(metadata: ServedMetadata | undefined): {
  inputs: Array<{ name: string; shape: number[]; datatype: string; data: unknown[] }>;
} {
  const inputs = metadata?.inputs;
  if (inputs === undefined || inputs.length === 0) {
    throw new ProtocolError(
      'the model metadata declares no inputs, so no default request can be built; give `request`',
    );
  }
  return {
    inputs: inputs.map((input) => {
      const shape = input.shape.map((d) => (d < 0 ? 1 : d));
      const size = shape.reduce((a, b) => a * b, 1);
      return {
        name: input.name,
        shape,
        datatype: input.datatype,
        data: Array.from({ length: size }, () => sampleValue(input.datatype)),
      };
    }),
  };
}
