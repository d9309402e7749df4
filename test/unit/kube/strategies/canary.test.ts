import { describe, expect, it } from 'vitest';
import { canaryReplicas } from '../../../../shared/kube/strategies/canary.ts';

describe('the canary size behind a traffic router', () => {
  it('runs its share of the release, rounded up, and never fewer than one pod', () => {
    expect(canaryReplicas(10, 10)).toBe(1);
    expect(canaryReplicas(10, 25)).toBe(3);
    expect(canaryReplicas(4, 50)).toBe(2);
    expect(canaryReplicas(4, 100)).toBe(4);
    expect(canaryReplicas(1, 5)).toBe(1);
    for (let total = 1; total <= 12; total++) {
      let previous = 0;
      for (const weight of [1, 10, 33, 50, 90, 100]) {
        const size = canaryReplicas(total, weight);
        expect(size).toBeGreaterThanOrEqual(Math.max(previous, 1));
        expect(size).toBeLessThanOrEqual(total);
        expect(size / total).toBeGreaterThanOrEqual(weight / 100);
        previous = size;
      }
    }
  });
});
