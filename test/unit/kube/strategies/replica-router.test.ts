import { describe, expect, it } from 'vitest';
import { replicaSplit } from '../../../../shared/kube/strategies/replica-router.ts';

describe('the replica split', () => {
  it('approximates a weight with replica counts, never starving either side below 100%', () => {
    expect(replicaSplit(4, 10)).toEqual({ canary: 1, stable: 3 });
    expect(replicaSplit(4, 50)).toEqual({ canary: 2, stable: 2 });
    expect(replicaSplit(4, 90)).toEqual({ canary: 3, stable: 1 });
    expect(replicaSplit(10, 25)).toEqual({ canary: 3, stable: 7 });
    expect(replicaSplit(4, 100)).toEqual({ canary: 4, stable: 0 });
    expect(replicaSplit(1, 10)).toEqual({ canary: 1, stable: 1 });
    expect(replicaSplit(2, 90)).toEqual({ canary: 1, stable: 1 });
  });

  it('puts everything on the stable side at 0% and below, and on the new side at 100% and above', () => {
    expect(replicaSplit(3, 0)).toEqual({ canary: 0, stable: 3 });
    expect(replicaSplit(3, -5)).toEqual({ canary: 0, stable: 3 });
    expect(replicaSplit(3, 150)).toEqual({ canary: 3, stable: 0 });
    expect(replicaSplit(1, 100)).toEqual({ canary: 1, stable: 0 });
  });

  it('for any weight strictly between 0 and 100, keeps at least one pod on each side', () => {
    for (const total of [1, 2, 3, 5, 10]) {
      for (const weight of [1, 5, 33, 50, 67, 95, 99]) {
        const split = replicaSplit(total, weight);
        expect(split.canary, `${total} at ${weight}%`).toBeGreaterThanOrEqual(1);
        expect(split.stable, `${total} at ${weight}%`).toBeGreaterThanOrEqual(1);
        // With two or more replicas the total is kept; with one the canary is an extra pod.
        expect(split.canary + split.stable).toBe(Math.max(total, 2));
      }
    }
  });

  it('rounds to the nearest count, but gives a tiny weight one pod rather than none', () => {
    expect(replicaSplit(10, 1)).toEqual({ canary: 1, stable: 9 });
    expect(replicaSplit(10, 14)).toEqual({ canary: 1, stable: 9 });
    expect(replicaSplit(10, 16)).toEqual({ canary: 2, stable: 8 });
    expect(replicaSplit(10, 99)).toEqual({ canary: 9, stable: 1 });
  });
});
