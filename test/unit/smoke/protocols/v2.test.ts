import { describe, expect, it } from 'vitest';
import { openInferenceV2 } from '../../../../shared/smoke/protocols/v2.ts';

describe('Open Inference Protocol v2 (REST)', () => {
  it('builds the v2 default request from the metadata, -1 dimensions as 1', () => {
    const request = openInferenceV2.inferenceRequest({ model: 'resnet', version: '3' }, undefined, {
      name: 'resnet',
      versions: ['3'],
      inputs: [
        { name: 'image', datatype: 'FP32', shape: [-1, 2, 2] },
        { name: 'mask', datatype: 'BOOL', shape: [2] },
      ],
      outputs: undefined,
    });
    expect(request.path).toBe('/v2/models/resnet/versions/3/infer');
    expect(JSON.parse(request.body!)).toEqual({
      inputs: [
        { name: 'image', shape: [1, 2, 2], datatype: 'FP32', data: [1, 1, 1, 1] },
        { name: 'mask', shape: [2], datatype: 'BOOL', data: [false, false] },
      ],
    });
    expect(() =>
      openInferenceV2.inferenceRequest({ model: 'm', version: undefined }, undefined, undefined),
    ).toThrow(
      'the model metadata declares no inputs, so no default request can be built; give `request`',
    );
  });
});
