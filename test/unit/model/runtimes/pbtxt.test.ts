import { describe, expect, it } from 'vitest';
import { parsePbtxt, PbtxtError } from '../../../../shared/model/runtimes/pbtxt.ts';

describe('the protobuf text reader for config.pbtxt', () => {
  it('reads scalars, strings with escapes, nested messages and lists', () => {
    expect(
      parsePbtxt(
        'name: "a\\"b" max_batch_size: 8\ninstance_group [ { count: 2 kind: KIND_GPU } ]\nparameters { key: "x" value: { string_value: "1" } }',
      ),
    ).toEqual({
      name: ['a"b'],
      max_batch_size: [8],
      instance_group: [{ count: [2], kind: ['KIND_GPU'] }],
      parameters: [{ key: ['x'], value: [{ string_value: ['1'] }] }],
    });
  });

  it.each([
    ['name: "open', 'a string is not closed'],
    ['input [ { name: "a" }', "the list of 'input' is not closed"],
    ['input { name: "a"', "a message is not closed with '}'"],
    ['name: ', 'the text ends where a value should be'],
    ['{ }', 'a field name is missing'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parsePbtxt(text)).toThrow(PbtxtError);
    expect(() => parsePbtxt(text)).toThrow(message);
  });

  it('reads hostile input in one pass: megabytes of whitespace and repeated keys', () => {
    // Each of these took the old regular expressions quadratic time.
    const spaces = `input${' \n'.repeat(2_000_000)}`;
    expect(() => parsePbtxt(spaces)).toThrow('the text ends where a value should be');
    const names = 'input { ' + 'name '.repeat(400_000);
    expect(() => parsePbtxt(names)).toThrow(PbtxtError);
  });
});
