import { describe, expect, it } from 'vitest';
import { readJsonOutputs } from '../../../../shared/smoke/protocols/json-outputs.ts';

describe('outputs of untyped JSON', () => {
  it('reads label maps, named fields and plain numbers from untyped JSON', () => {
    expect(readJsonOutputs({ cat: 0.8, dog: 0.2 }).tensors).toEqual([
      { name: 'scores', data: [0.8, 0.2], labels: ['cat', 'dog'] },
    ]);
    expect(readJsonOutputs([[1, 2]])).toEqual({
      tensors: [{ name: 'output', data: [1, 2], shape: [1, 2] }],
    });
    expect(readJsonOutputs({ probabilities: [0.3, 0.7], label: 'dog' })).toEqual({
      tensors: [{ name: 'probabilities', data: [0.3, 0.7], shape: [2] }],
      text: 'dog',
    });
  });
});
