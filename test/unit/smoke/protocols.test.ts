import { describe, expect, it } from 'vitest';
import { readJsonOutputs } from '../../../shared/smoke/protocols/json-outputs.ts';
import { openAiCompatible } from '../../../shared/smoke/protocols/openai.ts';
import { tensorflowServing } from '../../../shared/smoke/protocols/tfserving.ts';
import { openInferenceV2 } from '../../../shared/smoke/protocols/v2.ts';

describe('protocol requests and responses', () => {
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

  it('sends OpenAI-compatible bodies to chat or completions, filling in the model', () => {
    const chat = openAiCompatible.inferenceRequest(
      { model: undefined, version: undefined },
      undefined,
      {
        name: 'llama',
        versions: ['llama'],
        inputs: undefined,
        outputs: undefined,
      },
    );
    expect(chat.path).toBe('/v1/chat/completions');
    expect(JSON.parse(chat.body!).model).toBe('llama');
    const completion = openAiCompatible.inferenceRequest(
      { model: 'gpt2', version: undefined },
      { prompt: 'Hi' },
      undefined,
    );
    expect(completion.path).toBe('/v1/completions');
    expect(JSON.parse(completion.body!)).toEqual({ model: 'gpt2', prompt: 'Hi' });
    expect(openAiCompatible.readOutputs({ model: 'gpt2', choices: [{ text: ' there' }] })).toEqual({
      tensors: [],
      text: ' there',
      model: 'gpt2',
    });
  });
});
