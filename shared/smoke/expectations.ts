import { Ajv, type ValidateFunction } from 'ajv';

/**
 * What a correct answer looks like, as the user writes it in `expect`
 * (inline JSON/YAML or a file):
 *
 * ```json
 * {
 *   "status": 200,
 *   "outputs": { "probabilities": [0.93, 0.05, 0.02] },
 *   "abs": 1e-4, "rel": 1e-3,
 *   "top-k": { "output": "probabilities", "k": 1, "label": "setosa",
 *              "labels": ["setosa", "versicolor", "virginica"] },
 *   "schema": { "type": "object", "required": ["outputs"] },
 *   "text": { "contains": "setosa" },
 *   "signature": { "inputs": [{ "name": "input", "datatype": "FP32", "shape": [-1, 4] }] }
 * }
 * ```
 * An output may also be `{ "data": [...], "abs": ..., "rel": ... }` to carry
 * its own tolerance, or `{ "label": value }` for outputs the server labels.
 */
export interface Tolerance {
  abs: number;
  rel: number;
}

export interface OutputExpectation {
  name: string;
  /** Values by index, or by label for labelled outputs. */
  data: number[] | Record<string, number>;
  tolerance: Tolerance;
}

export interface TopKExpectation {
  output: string | undefined;
  k: number;
  label: string | number;
  labels: string[] | undefined;
}

export interface TensorSpecExpectation {
  name: string;
  datatype?: string;
  shape?: number[];
}

export interface Expectations {
  status: number | undefined;
  outputs: OutputExpectation[];
  topK: TopKExpectation | undefined;
  schema: object | undefined;
  text: { equals?: string; contains?: string; matches?: string } | undefined;
  signature: { inputs?: TensorSpecExpectation[]; outputs?: TensorSpecExpectation[] } | undefined;
}

/** numpy.isclose's defaults would be too strict for float32 round trips over JSON. */
export const DEFAULT_TOLERANCE: Tolerance = { abs: 1e-5, rel: 1e-4 };

const numberMap = { type: 'object', additionalProperties: { type: 'number' } };
const numbers = { type: 'array', items: { type: ['number', 'array'] } };
const tensorSpec = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    datatype: { type: 'string' },
    shape: { type: 'array', items: { type: 'integer' } },
  },
};

const EXPECT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer', minimum: 100, maximum: 599 },
    abs: { type: 'number', minimum: 0 },
    rel: { type: 'number', minimum: 0 },
    outputs: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          numbers,
          numberMap,
          {
            type: 'object',
            required: ['data'],
            additionalProperties: false,
            properties: {
              data: { anyOf: [numbers, numberMap] },
              abs: { type: 'number', minimum: 0 },
              rel: { type: 'number', minimum: 0 },
            },
          },
        ],
      },
    },
    'top-k': {
      type: 'object',
      required: ['label'],
      additionalProperties: false,
      properties: {
        output: { type: 'string' },
        k: { type: 'integer', minimum: 1 },
        label: { type: ['string', 'integer'] },
        labels: { type: 'array', items: { type: 'string' } },
      },
    },
    schema: { type: ['object', 'boolean'] },
    text: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        equals: { type: 'string' },
        contains: { type: 'string' },
        matches: { type: 'string' },
      },
    },
    signature: {
      type: 'object',
      additionalProperties: false,
      properties: {
        inputs: { type: 'array', items: tensorSpec },
        outputs: { type: 'array', items: tensorSpec },
      },
    },
  },
};

// Compiled on first use: deploy imports this module, and compiling at load time
// would add to every action's start-up whether or not it checks expectations.
let compiledExpect: ValidateFunction | undefined;
function expectValidator(): ValidateFunction {
  compiledExpect ??= new Ajv({ allErrors: true, strict: false }).compile(EXPECT_SCHEMA);
  return compiledExpect;
}

function flatten(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value as number];
}

/**
 * Checks the shape of an expectation document. Throws an Error whose message
 * says which field is wrong; the caller names the input.
 */
export function parseExpectations(document: unknown): Expectations {
  const validateExpect = expectValidator();
  if (!validateExpect(document)) {
    const problems = (validateExpect.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new Error(problems);
  }
  const doc = document as {
    status?: number;
    abs?: number;
    rel?: number;
    outputs?: Record<string, unknown>;
    'top-k'?: { output?: string; k?: number; label: string | number; labels?: string[] };
    schema?: object;
    text?: Expectations['text'];
    signature?: Expectations['signature'];
  };
  if (doc.text?.matches !== undefined) {
    try {
      new RegExp(doc.text.matches);
    } catch (err) {
      throw new Error(
        `/text/matches is not a valid regular expression: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
  const tolerance: Tolerance = {
    abs: doc.abs ?? DEFAULT_TOLERANCE.abs,
    rel: doc.rel ?? DEFAULT_TOLERANCE.rel,
  };
  const outputs = Object.entries(doc.outputs ?? {}).map(([name, spec]): OutputExpectation => {
    if (Array.isArray(spec)) return { name, data: flatten(spec), tolerance };
    const withData = spec as { data?: unknown; abs?: number; rel?: number };
    if (withData.data !== undefined) {
      return {
        name,
        data: Array.isArray(withData.data)
          ? flatten(withData.data)
          : (withData.data as Record<string, number>),
        tolerance: { abs: withData.abs ?? tolerance.abs, rel: withData.rel ?? tolerance.rel },
      };
    }
    return { name, data: spec as Record<string, number>, tolerance };
  });
  const topK = doc['top-k'];
  return {
    status: doc.status,
    outputs,
    topK:
      topK === undefined
        ? undefined
        : { output: topK.output, k: topK.k ?? 1, label: topK.label, labels: topK.labels },
    schema: doc.schema,
    text: doc.text,
    signature: doc.signature,
  };
}
