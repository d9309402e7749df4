import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../shared/common/errors.ts';
import type { ReleaseOutcome } from '../../../../shared/kube/release.ts';
import {
  finishedDescription,
  rolloutFailure,
} from '../../../../shared/orchestrators/deploy/failure.ts';

function outcome(extra: Partial<ReleaseOutcome>): ReleaseOutcome {
  return {
    status: 'deployed',
    revision: 3,
    image: 'reg/iris:3',
    applied: [],
    pruned: [],
    waitedMs: 0,
    objects: [],
    ...extra,
  };
}

const failure = {
  reason: 'CrashLoopBackOff',
  message: 'container model keeps crashing',
  diagnosis: 'pod iris-1: exit 1: no model found\nmore',
};

describe('a failed rollout in words', () => {
  it('is nothing when the rollout passed', () => {
    expect(rolloutFailure('iris', outcome({}), undefined)).toBeUndefined();
  });

  it("names the reason, what now serves, and the diagnosis's first line as the hint", () => {
    const rolledBack = rolloutFailure(
      'iris',
      outcome({ status: 'rolled-back', revision: 2, failure }),
      undefined,
    );
    expect(rolledBack).toBeInstanceOf(UserError);
    expect(rolledBack?.message).toBe(
      'rollout of iris failed: CrashLoopBackOff: container model keeps crashing; revision 2 was restored and is serving',
    );
    expect(rolledBack?.hint).toBe('pod iris-1: exit 1: no model found');
    const failed = rolloutFailure(
      'iris',
      outcome({ status: 'failed', failure: { ...failure, diagnosis: '' } }),
      undefined,
    );
    expect(failed?.message).not.toMatch(/restored/);
    expect(failed?.hint).toBe('see the rollout log above');
  });

  it('describes the finished run for the deployment record', () => {
    expect(finishedDescription(outcome({}), false)).toBe('revision 3');
    expect(finishedDescription(outcome({}), true)).toBe('revision 3 serves, but has no address');
    expect(finishedDescription(outcome({ failure }), true)).toBe('failed: CrashLoopBackOff');
  });
});
