import { describe, expect, it } from 'vitest';
import { checkStop } from '../../../../shared/kube/strategies/stop.ts';
import { RolloutStopped, type StrategyRequest } from '../../../../shared/kube/strategies/types.ts';

describe('stopping a rollout where it is', () => {
  it('throws RolloutStopped once the stop signal fires, and not before', () => {
    const controller = new AbortController();
    const request = { stopSignal: controller.signal } as StrategyRequest;
    expect(() => checkStop(request)).not.toThrow();
    expect(() => checkStop({} as StrategyRequest)).not.toThrow();
    controller.abort();
    expect(() => checkStop(request)).toThrow(RolloutStopped);
  });
});
