import { Ajv2020 } from 'ajv/dist/2020.js';
import type {
  Expectations,
  OutputExpectation,
  Tolerance,
  TopKExpectation,
} from './expectations.ts';
import type { ModelOutputs, OutputTensor } from './protocols/types.ts';

/** One compared value, for the summary table and the report. */
export interface ComparedValue {
  output: string;
  index: string;
  expected: number;
  got: number | undefined;
  difference: number | undefined;
  allowed: number;
  ok: boolean;
}

export interface AnswerCheck {
  passed: boolean;
  /** Why not, one line per problem, each naming the output, index, expected, got and tolerance. */
  problems: string[];
  values: ComparedValue[];
}

/** numpy.isclose: |got − expected| ≤ abs + rel·|expected|. */
export function allowedDifference(expected: number, tolerance: Tolerance): number {
  return tolerance.abs + tolerance.rel * Math.abs(expected);
}

function format(n: number | undefined): string {
  if (n === undefined) return 'nothing';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 1e-3 && Math.abs(n) < 1e6
    ? String(Number(n.toPrecision(7)))
    : n.toExponential(4);
}

function findTensor(outputs: ModelOutputs, name: string | undefined): OutputTensor | undefined {
  if (name === undefined) return outputs.tensors[0];
  return outputs.tensors.find((t) => t.name === name);
}

function compareOutput(outputs: ModelOutputs, expectation: OutputExpectation): AnswerCheck {
  const tensor = findTensor(outputs, expectation.name);
  const names = outputs.tensors.map((t) => `'${t.name}'`).join(', ') || 'none';
  if (tensor === undefined) {
    return {
      passed: false,
      problems: [`output '${expectation.name}' is missing from the response (outputs: ${names})`],
      values: [],
    };
  }
  const pairs: Array<{ index: string; expected: number; got: number | undefined }> = [];
  const problems: string[] = [];
  if (Array.isArray(expectation.data)) {
    if (tensor.data.length !== expectation.data.length) {
      problems.push(
        `output '${tensor.name}' has ${tensor.data.length} values, expected ${expectation.data.length}`,
      );
    }
    expectation.data.forEach((expected, i) =>
      pairs.push({ index: String(i), expected, got: tensor.data[i] }),
    );
  } else {
    for (const [label, expected] of Object.entries(expectation.data)) {
      const at = tensor.labels?.indexOf(label) ?? -1;
      pairs.push({ index: label, expected, got: at >= 0 ? tensor.data[at] : undefined });
    }
  }
  const values = pairs.map(({ index, expected, got }): ComparedValue => {
    const allowed = allowedDifference(expected, expectation.tolerance);
    const difference = got === undefined ? undefined : Math.abs(got - expected);
    return {
      output: tensor.name,
      index,
      expected,
      got,
      difference,
      allowed,
      ok: difference !== undefined && difference <= allowed,
    };
  });
  const wrong = values.filter((v) => !v.ok);
  for (const v of wrong.slice(0, 5)) {
    problems.push(
      `output '${v.output}' index ${v.index}: expected ${format(v.expected)}, got ${format(v.got)}` +
        (v.difference === undefined ? '' : ` (off by ${format(v.difference)})`) +
        `; tolerance abs ${expectation.tolerance.abs} + rel ${expectation.tolerance.rel} allows ${format(v.allowed)}`,
    );
  }
  if (wrong.length > 5)
    problems.push(`output '${tensor.name}': ${wrong.length - 5} more values differ`);
  return { passed: problems.length === 0, problems, values };
}

function checkTopK(outputs: ModelOutputs, expectation: TopKExpectation): string[] {
  if (outputs.tensors.length === 0 && outputs.text !== undefined) {
    const wanted = String(expectation.label).toLowerCase();
    return outputs.text.toLowerCase().includes(wanted)
      ? []
      : [
          `expected the label '${expectation.label}' in the answer, got '${outputs.text.slice(0, 200)}'`,
        ];
  }
  const tensor = findTensor(outputs, expectation.output);
  if (tensor === undefined) {
    return [`top-k: output '${expectation.output ?? '(first)'}' is missing from the response`];
  }
  const labels = expectation.labels ?? tensor.labels;
  const nameOf = (i: number) => (labels?.[i] === undefined ? `#${i}` : `'${labels[i]}'`);
  const wantedIndex =
    typeof expectation.label === 'number'
      ? expectation.label
      : (labels?.indexOf(expectation.label) ?? -1);
  if (wantedIndex < 0) {
    return [
      `top-k: label '${expectation.label}' is not among the labels of output '${tensor.name}' (${(labels ?? []).join(', ') || 'none given'})`,
    ];
  }
  const ranked = tensor.data
    .map((value, index) => ({ value, index }))
    .sort((a, b) => b.value - a.value);
  const rank = ranked.findIndex((r) => r.index === wantedIndex);
  if (rank >= 0 && rank < expectation.k) return [];
  const top = ranked
    .slice(0, expectation.k)
    .map((r) => `${nameOf(r.index)} (${format(r.value)})`)
    .join(', ');
  const where = rank < 0 ? 'absent' : `ranked ${rank + 1} (${format(tensor.data[wantedIndex])})`;
  return [
    `output '${tensor.name}': expected ${nameOf(wantedIndex)} in the top ${expectation.k}, got ${top}; ${nameOf(wantedIndex)} is ${where}`,
  ];
}

function checkText(outputs: ModelOutputs, text: NonNullable<Expectations['text']>): string[] {
  const got = outputs.text;
  if (got === undefined) return ['expected a text answer, the response carries none'];
  const shown = JSON.stringify(got.length > 200 ? `${got.slice(0, 200)}…` : got);
  const problems: string[] = [];
  if (text.equals !== undefined && got.trim() !== text.equals.trim()) {
    problems.push(`expected the text ${JSON.stringify(text.equals)}, got ${shown}`);
  }
  if (text.contains !== undefined && !got.includes(text.contains)) {
    problems.push(`expected the text to contain ${JSON.stringify(text.contains)}, got ${shown}`);
  }
  if (text.matches !== undefined) {
    // The user's expression runs on the server's text: on at most 64 KiB of it, so a
    // pattern that backtracks cannot stall the job on a long answer.
    const subject = got.length > MATCH_LIMIT ? got.slice(0, MATCH_LIMIT) : got;
    if (!new RegExp(text.matches).test(subject)) {
      problems.push(
        `expected the text${subject === got ? '' : ` (its first ${MATCH_LIMIT / 1024} KiB)`} to match /${text.matches}/, got ${shown}`,
      );
    }
  }
  return problems;
}

/** How much of an answer `text.matches` is tried on. */
const MATCH_LIMIT = 64 * 1024;

const schemaValidator = new Ajv2020({ allErrors: true, strict: false });

export function schemaProblems(schema: object, body: unknown, what: string): string[] {
  const validate = schemaValidator.compile(schema);
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${what}${e.instancePath || ' (top level)'} ${e.message ?? 'is invalid'}`);
}

/** Compares an answer to every expectation that concerns its content. */
export function checkAnswer(
  outputs: ModelOutputs,
  body: unknown,
  expect: Expectations,
): AnswerCheck {
  const problems: string[] = [];
  const values: ComparedValue[] = [];
  for (const expectation of expect.outputs) {
    const result = compareOutput(outputs, expectation);
    problems.push(...result.problems);
    values.push(...result.values);
  }
  if (expect.topK !== undefined) problems.push(...checkTopK(outputs, expect.topK));
  if (expect.text !== undefined) problems.push(...checkText(outputs, expect.text));
  if (expect.schema !== undefined)
    problems.push(...schemaProblems(expect.schema, body, 'response'));
  return { passed: problems.length === 0, problems, values };
}
