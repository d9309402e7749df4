import { describe, expect, it } from 'vitest';
import { openAiCompatible } from '../../../../shared/smoke/protocols/openai.ts';

describe('OpenAI-compatible', () => {
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
