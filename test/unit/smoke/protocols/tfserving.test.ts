import { describe, expect, it } from 'vitest';
import { tensorflowServing } from '../../../../shared/smoke/protocols/tfserving.ts';

describe('TF Serving (REST)', () => {
  it('reads TF Serving row, named-row and columnar answers', () => {
    expect(tensorflowServing.readOutputs({ predictions: [[0.1, 0.9]] }).tensors).toEqual([
      { name: 'predictions', data: [0.1, 0.9], shape: [1, 2] },
    ]);
    expect(
      tensorflowServing.readOutputs({
        predictions: [
          { a: [1], b: 2 },
          { a: [3], b: 4 },
        ],
      }).tensors,
    ).toEqual([
      { name: 'a', data: [1, 3] },
      { name: 'b', data: [2, 4] },
    ]);
    expect(tensorflowServing.readOutputs({ outputs: { scores: [[0.5]] } }).tensors).toEqual([
      { name: 'scores', data: [0.5], shape: [1, 1] },
    ]);
    expect(() => tensorflowServing.readOutputs({ result: 1 })).toThrow(
      'neither `predictions` nor `outputs`',
    );
  });
});
