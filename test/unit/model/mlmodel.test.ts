import { describe, expect, it } from 'vitest';
import { signatureFromMlmodel } from '../../../shared/model/mlmodel.ts';

describe('an MLmodel signature', () => {
  it('reads tensors from MLmodel', () => {
    const mlmodel = signatureFromMlmodel(
      'signature:\n  inputs: \'[{"name": "sepal", "type": "double"}]\'\n  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]\'\n',
    );
    expect(mlmodel).toEqual({
      inputs: [{ name: 'sepal', datatype: 'FP64', shape: [-1] }],
      outputs: [{ name: 'output-0', datatype: 'INT64', shape: [-1] }],
    });
  });
});
