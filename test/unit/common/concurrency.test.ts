import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '../../../shared/common/concurrency.ts';

describe('mapConcurrently', () => {
  it('keeps the order of the results and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapConcurrently([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      // Later items finish first: the results still come back in item order.
      await new Promise<void>((resolve) => setImmediate(resolve));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure and throws the first error', async () => {
    const started: number[] = [];
    await expect(
      mapConcurrently([1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('item 2 failed');
        return n;
      }),
    ).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2]);
  });

  it('takes an empty list', async () => {
    expect(await mapConcurrently([], 3, async () => 1)).toEqual([]);
  });
});
