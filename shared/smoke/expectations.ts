import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../common/errors.ts';

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
  // verbose: an error carries the schema it broke, so an unknown key can list the known ones.
  compiledExpect ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(
    EXPECT_SCHEMA,
  );
  return compiledExpect;
}

function flatten(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value as number];
}

import { EXPECT_EXAMPLE } from './expect-example.ts';

export { EXPECT_EXAMPLE };

/** Thrown for a key the expectation format does not have; names it and the known ones. */
export class UnknownExpectationKey extends Error {
  readonly key: string;
  readonly where: string;
  readonly known: string[];

  constructor(key: string, where: string, known: string[]) {
    const guess = closest(key, known);
    super(
      `has an unknown key '${key}'${where === '' ? '' : ` in ${where}`} (known: ${known.join(', ')})` +
        (guess === undefined ? '' : `; did you mean '${guess}'?`),
    );
    this.name = 'UnknownExpectationKey';
    this.key = key;
    this.where = where;
    this.known = known;
  }
}

/** The known key nearest to a typo, when it is near enough to be the one meant. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** `/outputs/probabilities` → `outputs.probabilities`, `/signature/inputs/0` → `signature.inputs[0]`. */
function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, part) =>
        /^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`,
      '',
    );
}

/** The first unknown key among the validator's errors, the shallowest first. */
function unknownKey(errors: readonly ErrorObject[]): UnknownExpectationKey | undefined {
  const unknown = errors
    .filter((e) => e.keyword === 'additionalProperties')
    .filter((e) => typeof (e.parentSchema as { properties?: unknown })?.properties === 'object')
    .sort((a, b) => a.instancePath.split('/').length - b.instancePath.split('/').length);
  const first = unknown[0];
  if (first === undefined) return undefined;
  const known = Object.keys((first.parentSchema as { properties: object }).properties);
  const key = String((first.params as { additionalProperty?: unknown }).additionalProperty);
  return new UnknownExpectationKey(key, dotted(first.instancePath), known);
}

/**
 * Checks the shape of an expectation document. Throws an Error whose message
 * says which field is wrong (an UnknownExpectationKey for a key it does not
 * know); the caller names the input. expectationsInput does both.
 */
export function parseExpectations(document: unknown): Expectations {
  const validateExpect = expectValidator();
  if (!validateExpect(document)) {
    const errors = validateExpect.errors ?? [];
    const unknown = unknownKey(errors);
    if (unknown !== undefined) throw unknown;
    const problems = errors
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

/**
 * The `expect` input of smoke-test and of a canary's analysis: one message
 * for both, naming the input, an unknown key and the known ones.
 */
export function expectationsInput(document: unknown, input = 'expect'): Expectations {
  try {
    return parseExpectations(document);
  } catch (err) {
    if (err instanceof UnknownExpectationKey)
      throw new InputError(input, err.message, EXPECT_EXAMPLE);
    throw new InputError(
      input,
      `is not a valid expectation: ${(err as Error).message}`,
      EXPECT_EXAMPLE,
    );
  }
}
