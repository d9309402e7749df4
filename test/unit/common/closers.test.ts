import { describe, expect, it } from 'vitest';
import { addCloser, runClosers } from '../../../shared/common/closers.ts';

describe('runClosers', () => {
  it('runs each closer once, even one registered twice', async () => {
    const calls: string[] = [];
    const close = () => void calls.push('pool');
    addCloser(close);
    addCloser(close);
    addCloser(async () => void calls.push('agent'));
    await runClosers();
    await runClosers();
    expect(calls.sort()).toEqual(['agent', 'pool']);
  });

  it('does not wait past its bound for a closer that hangs, nor throw for one that fails', async () => {
    addCloser(() => new Promise<void>(() => undefined));
    addCloser(async () => {
      throw new Error('already closed');
    });
    const started = Date.now();
    await runClosers(50);
    expect(Date.now() - started).toBeLessThan(50_000);
  });
});
