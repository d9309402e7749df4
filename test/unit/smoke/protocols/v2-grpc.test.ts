import { describe, expect, it } from 'vitest';
import { encodeRaw } from '../../../../shared/smoke/protocols/tensor-bytes.ts';
import {
  grpcOpenInference,
  modelInferRequest,
} from '../../../../shared/smoke/protocols/v2-grpc.ts';

const target = { model: 'iris', version: '1' };

describe('v2-grpc messages', () => {
  const rest = {
    id: 'r1',
    parameters: { content_type: 'np', priority: 2, flag: true },
    inputs: [
      { name: 'x', shape: [1, 2], datatype: 'FP32', data: [[0.5, 1]] },
      { name: 'words', shape: [1], datatype: 'BYTES', data: ['hi'] },
    ],
    outputs: [{ name: 'y' }],
  };

  it('turns the REST form into a ModelInferRequest with typed contents', () => {
    expect(modelInferRequest(target, rest, 'typed')).toEqual({
      model_name: 'iris',
      model_version: '1',
      id: 'r1',
      parameters: {
        content_type: { string_param: 'np' },
        priority: { int64_param: 2 },
        flag: { bool_param: true },
      },
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [1, 2], contents: { fp32_contents: [0.5, 1] } },
        {
          name: 'words',
          datatype: 'BYTES',
          shape: [1],
          contents: { bytes_contents: [Buffer.from('hi').toString('base64')] },
        },
      ],
      outputs: [{ name: 'y' }],
    });
  });

  it('sends raw_input_contents when asked, and always for FP16', () => {
    const raw = modelInferRequest(target, rest, 'raw');
    expect(raw.inputs).toEqual([
      { name: 'x', datatype: 'FP32', shape: [1, 2] },
      { name: 'words', datatype: 'BYTES', shape: [1] },
    ]);
    expect(raw.raw_input_contents).toEqual([
      encodeRaw('FP32', [0.5, 1]).toString('base64'),
      encodeRaw('BYTES', ['hi']).toString('base64'),
    ]);
    const half = modelInferRequest(
      { model: 'm', version: undefined },
      { inputs: [{ name: 'h', shape: [1], datatype: 'FP16', data: [1] }] },
      'typed',
    );
    expect(half.raw_input_contents).toEqual([Buffer.from([0, 0x3c]).toString('base64')]);
  });

  it('sends a request written as the protobuf message as it is', () => {
    const message = {
      inputs: [{ name: 'x', datatype: 'INT64', shape: [1], contents: { int64_contents: [7] } }],
    };
    expect(modelInferRequest(target, message, 'raw')).toEqual({
      model_name: 'iris',
      model_version: '1',
      ...message,
    });
  });

  it('refuses a request it cannot send, saying what is missing', () => {
    expect(() => modelInferRequest(target, [1, 2], 'typed')).toThrow(
      'must be a JSON object with `inputs`',
    );
    expect(() =>
      modelInferRequest(target, { inputs: [{ name: 'x', data: [1] }] }, 'typed'),
    ).toThrow('input 0 needs a name, a datatype and a shape');
    expect(() =>
      modelInferRequest(
        target,
        { inputs: [{ name: 'x', shape: [1], datatype: 'FP8', data: [1] }] },
        'typed',
      ),
    ).toThrow("input 'x' has the unknown datatype 'FP8'");
  });

  it('reads typed and raw outputs, and the version that answered', () => {
    const protocol = grpcOpenInference('typed');
    expect(
      protocol.readOutputs({
        model_name: 'iris',
        model_version: '1',
        outputs: [
          {
            name: 'p',
            datatype: 'FP64',
            shape: [1, 2],
            contents: { fp64_contents: [0.25, 'NaN'] },
          },
          { name: 'ok', datatype: 'BOOL', shape: [1], contents: { bool_contents: [true] } },
        ],
      }),
    ).toEqual({
      model: 'iris',
      version: '1',
      tensors: [
        { name: 'p', data: [0.25, NaN], shape: [1, 2] },
        { name: 'ok', data: [1], shape: [1] },
      ],
    });
    expect(
      protocol.readOutputs({
        outputs: [{ name: 'p', datatype: 'FP32', shape: [2] }],
        raw_output_contents: [encodeRaw('FP32', [0.5, 0.25]).toString('base64')],
      }).tensors,
    ).toEqual([{ name: 'p', data: [0.5, 0.25], shape: [2] }]);
  });

  it('asks for the version only when the server serves it', () => {
    const protocol = grpcOpenInference('typed');
    const body = (request: { body?: string }) => JSON.parse(request.body!);
    const served = {
      name: 'iris',
      versions: [],
      inputs: undefined,
      outputs: undefined,
      versionServed: true,
    };
    expect(body(protocol.inferenceRequest(target, rest, served)).model_version).toBe('1');
    expect(
      body(protocol.inferenceRequest(target, rest, { ...served, versionServed: false }))
        .model_version,
    ).toBeUndefined();
  });
});
