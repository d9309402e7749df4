import { describe, expect, it } from 'vitest';
import { runtimeByName } from '../../../../shared/model/runtimes/index.ts';

describe('the runtime registry', () => {
  it('runtimeByName names the input on an unknown runtime', () => {
    expect(runtimeByName('TRITON').name).toBe('triton');
    expect(() => runtimeByName('onnx')).toThrow(
      "input 'runtime' must be one of triton, tfserving, torchserve, mlserver, vllm, custom; got 'onnx'",
    );
  });
});
