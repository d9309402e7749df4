import { parse } from 'yaml';
import type { ModelSignature, TensorSpec } from './runtimes/types.ts';

interface SignatureColumn {
  name?: string;
  type?: string;
  'tensor-spec'?: { dtype?: string; shape?: number[] };
}

const NUMPY_TO_V2: Record<string, string> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  bool: 'BOOL',
  double: 'FP64',
  float: 'FP32',
  long: 'INT64',
  integer: 'INT32',
  boolean: 'BOOL',
  string: 'BYTES',
  binary: 'BYTES',
};

/**
 * The signature of an MLflow `MLmodel` file: `signature.inputs`/`outputs` are
 * JSON strings of column specs (`{name, type}`) or tensor specs
 * (`{type: tensor, tensor-spec: {dtype, shape}}`).
 */
export function signatureFromMlmodel(text: string): ModelSignature | undefined {
  let doc: { signature?: { inputs?: string; outputs?: string } };
  try {
    doc = parse(text, { maxAliasCount: 10 }) as typeof doc;
  } catch {
    return undefined;
  }
  const read = (json: string | undefined, prefix: string): TensorSpec[] => {
    if (json === undefined) return [];
    let columns: SignatureColumn[];
    try {
      columns = JSON.parse(json) as SignatureColumn[];
    } catch {
      return [];
    }
    if (!Array.isArray(columns)) return [];
    return columns.map((c, i) => {
      const dtype = c['tensor-spec']?.dtype ?? c.type ?? '';
      return {
        name: c.name ?? `${prefix}-${i}`,
        datatype: NUMPY_TO_V2[dtype] ?? dtype.toUpperCase(),
        shape: c['tensor-spec']?.shape ?? [-1],
      };
    });
  };
  const inputs = read(doc?.signature?.inputs, 'input');
  const outputs = read(doc?.signature?.outputs, 'output');
  return inputs.length === 0 && outputs.length === 0 ? undefined : { inputs, outputs };
}
