import { describe, expect, it } from 'vitest';
import { RUNTIME_NAMES } from '../../../../shared/model/runtimes/types.ts';
import { smokeProtocolOf } from '../../../../shared/smoke/protocols/for-runtime.ts';
import { PROTOCOL_NAMES } from '../../../../shared/smoke/protocols/types.ts';

describe('smokeProtocolOf', () => {
  it("speaks each runtime's API", () => {
    expect(smokeProtocolOf('triton')).toBe('v2');
    expect(smokeProtocolOf('mlserver')).toBe('v2');
    expect(smokeProtocolOf('tfserving')).toBe('tfserving');
    expect(smokeProtocolOf('torchserve')).toBe('torchserve');
    expect(smokeProtocolOf('vllm')).toBe('openai');
    expect(smokeProtocolOf('custom')).toBe('http');
  });
});

describe('every runtime', () => {
  it('has a smoke protocol the smoke test knows', () => {
    for (const runtime of RUNTIME_NAMES) {
      expect(PROTOCOL_NAMES).toContain(smokeProtocolOf(runtime));
    }
  });
});
