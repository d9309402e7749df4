import { describe, expect, it } from 'vitest';
import { parseGrpcUrl } from '../../../shared/smoke/grpc/client.ts';
import {
  decodeRaw,
  encodeRaw,
  fromHalfBits,
  toHalfBits,
} from '../../../shared/smoke/protocols/tensor-bytes.ts';
import {
  grpcTensorflowServing,
  predictRequest,
} from '../../../shared/smoke/protocols/tfserving-grpc.ts';
import { grpcOpenInference, modelInferRequest } from '../../../shared/smoke/protocols/v2-grpc.ts';

const target = { model: 'iris', version: '1' };

describe('raw tensor bytes', () => {
  it('round-trips every fixed-size datatype little-endian, and BYTES with length prefixes', () => {
    expect(encodeRaw('FP32', [1.5, -2])).toEqual(Buffer.from([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]));
    expect(encodeRaw('INT16', [1, -1])).toEqual(Buffer.from([1, 0, 0xff, 0xff]));
    expect(encodeRaw('BYTES', ['ab', ''])).toEqual(
      Buffer.from([2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0]),
    );
    for (const [datatype, values] of [
      ['BOOL', [true, false]],
      ['UINT8', [0, 255]],
      ['INT8', [-128, 127]],
      ['UINT16', [65535]],
      ['UINT32', [4294967295]],
      ['INT32', [-5]],
      ['INT64', [-(2 ** 40)]],
      ['UINT64', [2 ** 40]],
      ['FP64', [Math.PI]],
      ['FP16', [0.5, -2, 65504]],
      ['BYTES', ['setosa', 'ñ']],
    ] as const) {
      expect(decodeRaw(datatype, encodeRaw(datatype, values)), datatype).toEqual(values);
    }
  });

  it('converts half precision, rounding to nearest even', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-0)).toBe(0x8000);
    expect(toHalfBits(1 / 3)).toBe(0x3555);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(fromHalfBits(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(Number.isNaN(fromHalfBits(0x7e00))).toBe(true);
  });

  it('refuses contents that are not whole elements, naming the datatype', () => {
    expect(() => decodeRaw('FP32', Buffer.alloc(6))).toThrow(
      'raw FP32 contents of 6 bytes are not whole 4-byte elements',
    );
    expect(() => encodeRaw('COMPLEX', [1])).toThrow("the datatype 'COMPLEX' is not one of");
  });
});

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

describe('gRPC addresses', () => {
  it('takes grpc:// and grpcs:// (and http:// and https://) host and port, nothing more', () => {
    expect(parseGrpcUrl('grpc://10.0.0.7:8081')).toEqual({
      address: '10.0.0.7:8081',
      secure: false,
      origin: 'grpc://10.0.0.7:8081',
    });
    expect(parseGrpcUrl('https://models.example.com')).toEqual({
      address: 'models.example.com:443',
      secure: true,
      origin: 'grpcs://models.example.com:443',
    });
    expect(() =>
      parseGrpcUrl('https://api.example.com/api/v1/namespaces/m/services/s:grpc/proxy'),
    ).toThrow(
      "a gRPC endpoint has no path, but https://api.example.com comes with '/api/v1/namespaces/m/services/s:grpc/proxy'",
    );
  });
});
