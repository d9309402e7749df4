import { describe, expect, it } from 'vitest';
import { parseYamlInput, YamlProblem } from '../../../shared/common/yaml-problem.ts';

const problem = (text: string): string => {
  try {
    parseYamlInput(text);
  } catch (err) {
    expect(err).toBeInstanceOf(YamlProblem);
    return (err as YamlProblem).detail;
  }
  throw new Error(`parsed: ${text}`);
};

describe('YAML mistakes in inputs, in plain words', () => {
  it.each([
    ['{cpu: 500m, memory: 2Gi', " at column 24: a '{' is not closed: add '}' at the end"],
    ['[1, 2', " at column 6: a '[' is not closed: add ']' at the end"],
    ['cpu: "500m', ` at column 11: a '"' quote is not closed`],
    [
      'cpu: 500m, memory: 2Gi',
      ' at column 6: several key: value pairs on one line need braces, like {cpu: 500m, memory: 2Gi}',
    ],
    [
      'min: 1\n  max: 2',
      ' at line 1 ("min: 1"), column 6: the next line is indented more than this one: keys of one mapping start in the same column',
    ],
    [
      'cpu: 500m\nmemory 2Gi',
      ` at line 2 ("memory 2Gi"), column 1: this is neither 'key: value' nor part of the value above: write 'key: value', with a space after the colon`,
    ],
    [
      'min: 1\n\tmax: 3',
      ' at line 2 ("max: 3"), column 1: a tab indents this line: YAML indents with spaces',
    ],
    [
      'replicaCount: 2\nreplicaCount: 3',
      ` at line 2 ("replicaCount: 3"), column 1: the key 'replicaCount' appears twice`,
    ],
    [
      '{min: 2 max: 10}',
      ' at column 7: inside { } or [ ], separate the entries with commas, like {min: 2, max: 10}',
    ],
    [
      '- name: e\n  query: up\n condition: < 1',
      ` at line 3 ("condition: < 1"), column 1: a list item does not start with '- ', or is indented differently from the items above`,
    ],
    ['a: @foo', " at column 4: a value starts with '@', which YAML reserves: quote the value"],
    ['a: [1, 2]]', " at column 10: the ']' here has nothing to close or belong to"],
    [
      'a: 1\n---\nb: 2',
      ` at line 2 ("---"), column 1: it holds several YAML documents ('---'): give one`,
    ],
    ['a: *x', ': the alias *x has no anchor &x before it'],
    [
      'replicaCount: [1\n',
      " at the end: a '[' is not closed: add ']' (a list that goes on over lines is indented more than its key)",
    ],
  ])('%j', (text, detail) => {
    expect(problem(text)).toBe(detail);
  });

  it('refuses an alias bomb by the alias count', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'
        .split('')
        .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    expect(problem(bomb)).toMatch(/^: it uses more than 100 aliases/);
  });

  it('reads what is valid', () => {
    expect(parseYamlInput('{cpu: 500m, memory: 2Gi}')).toEqual({ cpu: '500m', memory: '2Gi' });
    expect(parseYamlInput('{"outputs": {"y": [1]}}')).toEqual({ outputs: { y: [1] } });
  });
});
