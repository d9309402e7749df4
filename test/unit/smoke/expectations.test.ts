import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/common/errors.ts';
import { expectationsInput } from '../../../shared/smoke/expectations.ts';

const refusal = (document: unknown): string => {
  try {
    expectationsInput(document);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('expect: unknown keys are named, with the known ones', () => {
  it('at the top level, with a guess when the key is a near miss', () => {
    expect(refusal({ outputz: {} })).toBe(
      "input 'expect' has an unknown key 'outputz' (known: status, abs, rel, outputs, top-k, schema, text, signature); did you mean 'outputs'? " +
        '(for example: expect: {"outputs": {"probabilities": [0.93, 0.05, 0.02]}, "abs": 1e-4})',
    );
    expect(refusal({ tolerance: 0.1 })).toMatch(
      /^input 'expect' has an unknown key 'tolerance' \(known: status, abs, rel, outputs, top-k, schema, text, signature\) \(for example/,
    );
  });

  it('inside a section, saying which', () => {
    expect(refusal({ text: { contain: 'setosa' } })).toMatch(
      /^input 'expect' has an unknown key 'contain' in text \(known: equals, contains, matches\); did you mean 'contains'\?/,
    );
    expect(refusal({ 'top-k': { label: 'cat', top: 3 } })).toMatch(
      /unknown key 'top' in top-k \(known: output, k, label, labels\)/,
    );
    expect(refusal({ outputs: { probabilities: { data: [0.9, 0.1], tol: 1e-3 } } })).toMatch(
      /unknown key 'tol' in outputs\.probabilities \(known: data, abs, rel\)/,
    );
    expect(refusal({ signature: { inputs: [{ name: 'x', dtype: 'FP32' }] } })).toMatch(
      /unknown key 'dtype' in signature\.inputs\[0\] \(known: name, datatype, shape\)/,
    );
  });

  it('keeps other problems as the validator words them, and accepts labelled outputs', () => {
    expect(refusal({ abs: -1 })).toMatch(
      /^input 'expect' is not a valid expectation: \/abs must be >= 0/,
    );
    expect(expectationsInput({ outputs: { label: { cat: 0.9 } } }).outputs).toHaveLength(1);
  });
});
