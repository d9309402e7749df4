import { describe, expect, it } from 'vitest';
import { allowedDifference, checkAnswer } from '../../../shared/smoke/compare.ts';
import { parseExpectations } from '../../../shared/smoke/expectations.ts';
import type { ModelOutputs } from '../../../shared/smoke/protocols/types.ts';

const outputs: ModelOutputs = {
  tensors: [
    { name: 'probabilities', data: [0.7, 0.2, 0.1] },
    { name: 'scores', data: [0.1, 0.6, 0.3], labels: ['cat', 'dog', 'fox'] },
  ],
};

describe('answer comparison', () => {
  it('uses |got − expected| ≤ abs + rel·|expected|, right at the boundary', () => {
    expect(allowedDifference(100, { abs: 0.5, rel: 0.01 })).toBe(1.5);
    const pass = checkAnswer(
      { tensors: [{ name: 'y', data: [101.5] }] },
      {},
      parseExpectations({ outputs: { y: [100] }, abs: 0.5, rel: 0.01 }),
    );
    expect(pass.passed).toBe(true);
    const fail = checkAnswer(
      { tensors: [{ name: 'y', data: [101.6] }] },
      {},
      parseExpectations({ outputs: { y: [100] }, abs: 0.5, rel: 0.01 }),
    );
    expect(fail.problems).toEqual([
      "output 'y' index 0: expected 100, got 101.6 (off by 1.6); tolerance abs 0.5 + rel 0.01 allows 1.5",
    ]);
  });

  it('applies a per-output tolerance and compares labelled outputs by label', () => {
    const result = checkAnswer(
      outputs,
      {},
      parseExpectations({
        outputs: {
          probabilities: { data: [0.69, 0.21, 0.1], abs: 0.02 },
          scores: { dog: 0.6, fox: 0.3 },
        },
      }),
    );
    expect(result.passed).toBe(true);
    expect(result.values.map((v) => `${v.output}[${v.index}]`)).toEqual([
      'probabilities[0]',
      'probabilities[1]',
      'probabilities[2]',
      'scores[dog]',
      'scores[fox]',
    ]);
  });

  it('says which output is missing and which lengths differ', () => {
    const result = checkAnswer(
      outputs,
      {},
      parseExpectations({ outputs: { logits: [1], probabilities: [[0.7, 0.2, 0.1, 0]] } }),
    );
    expect(result.problems[0]).toBe(
      "output 'logits' is missing from the response (outputs: 'probabilities', 'scores')",
    );
    expect(result.problems[1]).toBe("output 'probabilities' has 3 values, expected 4");
    expect(result.problems[2]).toContain("output 'probabilities' index 3: expected 0, got nothing");
  });

  it('checks the top-k label by index or name', () => {
    expect(checkAnswer(outputs, {}, parseExpectations({ 'top-k': { label: 0 } })).passed).toBe(
      true,
    );
    expect(
      checkAnswer(
        outputs,
        {},
        parseExpectations({ 'top-k': { output: 'scores', label: 'fox', k: 2 } }),
      ).passed,
    ).toBe(true);
    expect(
      checkAnswer(
        outputs,
        {},
        parseExpectations({ 'top-k': { output: 'scores', label: 'cat', k: 2 } }),
      ).problems,
    ).toEqual([
      "output 'scores': expected 'cat' in the top 2, got 'dog' (0.6), 'fox' (0.3); 'cat' is ranked 3 (0.1)",
    ]);
    expect(
      checkAnswer(outputs, {}, parseExpectations({ 'top-k': { output: 'scores', label: 'owl' } }))
        .problems[0],
    ).toBe("top-k: label 'owl' is not among the labels of output 'scores' (cat, dog, fox)");
  });

  it("tries a backtracking text.matches on the answer's first 64 KiB only", () => {
    // A 200 KB answer: the pattern is tried on its first 64 KiB, and the message says so.
    const hostile: ModelOutputs = { tensors: [], text: `${'a'.repeat(200_000)}!` };
    const [problem] = checkAnswer(
      hostile,
      {},
      parseExpectations({ text: { matches: '^a{10}' } }),
    ).problems;
    expect(problem).toBeUndefined();
    const refused = checkAnswer(hostile, {}, parseExpectations({ text: { matches: 'b$' } }));
    expect(refused.problems[0]).toContain('expected the text (its first 64 KiB) to match /b$/');
  });

  it('checks text answers and a JSON Schema of the whole response', () => {
    const text: ModelOutputs = { tensors: [], text: 'The answer is Paris.' };
    expect(
      checkAnswer(text, {}, parseExpectations({ text: { contains: 'Paris', matches: '^The' } }))
        .passed,
    ).toBe(true);
    expect(
      checkAnswer(text, {}, parseExpectations({ text: { equals: 'Paris' } })).problems,
    ).toEqual(['expected the text "Paris", got "The answer is Paris."']);
    expect(checkAnswer(text, {}, parseExpectations({ 'top-k': { label: 'paris' } })).passed).toBe(
      true,
    );
    const schema = {
      type: 'object',
      required: ['label'],
      properties: { label: { enum: ['cat', 'dog'] } },
    };
    expect(checkAnswer(outputs, { label: 'cow' }, parseExpectations({ schema })).problems).toEqual([
      'response/label must be equal to one of the allowed values',
    ]);
  });
});

describe('expectation documents', () => {
  it('refuses unknown fields and malformed values, saying where', () => {
    expect(() => parseExpectations({ output: {} })).toThrow(
      "has an unknown key 'output' (known: status, abs, rel, outputs, top-k, schema, text, signature); did you mean 'outputs'?",
    );
    expect(() => parseExpectations({ abs: -1 })).toThrow('/abs must be >= 0');
    expect(() => parseExpectations({ text: { matches: '(' } })).toThrow(
      '/text/matches is not a valid regular expression',
    );
    expect(() => parseExpectations({ outputs: { y: ['a'] } })).toThrow('/outputs/y');
  });

  it('flattens nested expected arrays and applies the default tolerance', () => {
    const parsed = parseExpectations({
      outputs: {
        y: [
          [1, 2],
          [3, 4],
        ],
      },
    });
    expect(parsed.outputs[0]).toEqual({
      name: 'y',
      data: [1, 2, 3, 4],
      tolerance: { abs: 1e-5, rel: 1e-4 },
    });
  });
});
