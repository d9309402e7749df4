import { describe, expect, it } from 'vitest';
import { RolloutStopped } from '../../../../shared/kube/strategies/types.ts';

describe('RolloutStopped', () => {
  it('is an Error named for what happened, so a caller can tell a stop from a failure', () => {
    const err = new RolloutStopped();
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(RolloutStopped);
    expect(err.name).toBe('RolloutStopped');
    expect(err.message).toBe('the rollout was stopped');
    expect(String(err)).toBe('RolloutStopped: the rollout was stopped');
  });

  it('is not confused with an ordinary Error', () => {
    expect(new Error('the rollout was stopped')).not.toBeInstanceOf(RolloutStopped);
  });
});
