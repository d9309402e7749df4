import { describe, expect, it } from 'vitest';
import { encodeRaw } from '../../../../shared/smoke/protocols/tensor-bytes.ts';
import {
  grpcTensorflowServing,
  predictRequest,
} from '../../../../shared/smoke/protocols/tfserving-grpc.ts';

const target = { model: 'iris', version: '1' };

describe('tfserving-grpc messages', () => {
  const metadata = {
    name: 'iris',
    versions: ['1'],
    inputs: [{ name: 'features', datatype: 'DT_FLOAT', shape: [-1, 4] }],
    outputs: undefined,
  };

  it('turns rows into a TensorProto of the signature dtype, typed or raw', () => {
    expect(predictRequest(target, { instances: [[1, 2, 3, 4]] }, metadata, 'typed')).toEqual({
      model_spec: { name: 'iris', signature_name: 'serving_default', version: { value: 1 } },
      inputs: {
        features: {
          dtype: 'DT_FLOAT',
          tensor_shape: { dim: [{ size: 1 }, { size: 4 }] },
          float_val: [1, 2, 3, 4],
        },
      },
    });
    const raw = predictRequest(target, { inputs: { features: [[1, 2, 3, 4]] } }, metadata, 'raw');
    expect((raw.inputs as Record<string, Record<string, unknown>>).features!.tensor_content).toBe(
      encodeRaw('FP32', [1, 2, 3, 4]).toString('base64'),
    );
  });

  it('stacks named rows per input, and types undeclared inputs from their values', () => {
    const request = predictRequest(
      { model: 'm', version: undefined },
      {
        instances: [
          { a: 1, words: 'x' },
          { a: 2, words: 'y' },
        ],
        signature_name: 'classify',
      },
      undefined,
      'typed',
    );
    expect(request).toEqual({
      model_spec: { name: 'm', signature_name: 'classify' },
      inputs: {
        a: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: 2 }] }, float_val: [1, 2] },
        words: {
          dtype: 'DT_STRING',
          tensor_shape: { dim: [{ size: 2 }] },
          string_val: ['eA==', 'eQ=='],
        },
      },
    });
  });

  it('needs input names when the signature has several inputs', () => {
    expect(() =>
      predictRequest(
        target,
        { instances: [[1]] },
        {
          ...metadata,
          inputs: [...metadata.inputs, { name: 'b', datatype: 'DT_FLOAT', shape: [-1] }],
        },
        'typed',
      ),
    ).toThrow("the serving_default signature declares 'features', 'b': name each input");
  });

  it('reads typed outputs, tensor_content, and a single value filling its shape', () => {
    const protocol = grpcTensorflowServing('typed');
    expect(
      protocol.readOutputs({
        model_spec: { name: 'iris', version: { value: 3 } },
        outputs: {
          p: {
            dtype: 'DT_FLOAT',
            tensor_shape: { dim: [{ size: 1 }, { size: 2 }] },
            float_val: [0.5, 0.5],
          },
          c: { dtype: 'DT_INT64', tensor_shape: { dim: [{ size: 3 }] }, int64_val: [7] },
          r: {
            dtype: 'DT_DOUBLE',
            tensor_shape: { dim: [{ size: 1 }] },
            tensor_content: encodeRaw('FP64', [0.125]).toString('base64'),
          },
        },
      }),
    ).toEqual({
      version: '3',
      tensors: [
        { name: 'p', data: [0.5, 0.5], shape: [1, 2] },
        { name: 'c', data: [7, 7, 7], shape: [3] },
        { name: 'r', data: [0.125], shape: [1] },
      ],
    });
  });
});
