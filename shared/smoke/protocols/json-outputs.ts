import type { ModelOutputs, OutputTensor } from './types.ts';

/** Flattens nested numeric arrays; undefined when anything in them is not a number. */
export function flattenNumbers(value: unknown): number[] | undefined {
  if (typeof value === 'number') return [value];
  if (typeof value === 'boolean') return [value ? 1 : 0];
  if (!Array.isArray(value)) return undefined;
  const out: number[] = [];
  for (const item of value) {
    const inner = flattenNumbers(item);
    if (inner === undefined) return undefined;
    for (const n of inner) out.push(n);
  }
  return out;
}

export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let current = value;
  while (Array.isArray(current)) {
    shape.push(current.length);
    current = current[0];
  }
  return shape;
}

/**
 * Reads a JSON body that has no protocol-defined shape (TorchServe handlers,
 * plain HTTP): a number or numeric array is the output `output`; an object of
 * numbers is a labelled output `scores` (TorchServe classifiers answer
 * `{"label": probability}`); other object fields that hold numbers become
 * outputs under their own names, and the first string field is the text.
 */
export function readJsonOutputs(body: unknown): ModelOutputs {
  const direct = flattenNumbers(body);
  if (direct !== undefined)
    return { tensors: [{ name: 'output', data: direct, shape: shapeOf(body) }] };
  if (typeof body === 'string') return { tensors: [], text: body };
  if (Array.isArray(body) && body.length === 1) return readJsonOutputs(body[0]);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { tensors: [] };
  const entries = Object.entries(body);
  if (entries.length > 0 && entries.every(([, v]) => typeof v === 'number')) {
    return {
      tensors: [
        {
          name: 'scores',
          data: entries.map(([, v]) => v as number),
          labels: entries.map(([k]) => k),
        },
      ],
    };
  }
  const tensors: OutputTensor[] = [];
  let text: string | undefined;
  for (const [key, value] of entries) {
    const data = flattenNumbers(value);
    if (data !== undefined) tensors.push({ name: key, data, shape: shapeOf(value) });
    else if (typeof value === 'string' && text === undefined) text = value;
  }
  return text === undefined ? { tensors } : { tensors, text };
}
