import { describe, expect, it } from 'vitest';
import { ungrouped } from '../../../shared/orchestrators/log-group.ts';

describe('running a stage without a log group', () => {
  it('runs the body once and gives back its result', async () => {
    let runs = 0;
    const result = await ungrouped('build the image', async () => {
      runs++;
      return { tag: 'v2' };
    });
    expect(result).toEqual({ tag: 'v2' });
    expect(runs).toBe(1);
  });

  it('passes the body’s failure through unchanged', async () => {
    const failure = new Error('push refused');
    await expect(
      ungrouped('push', async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
});
