import { describe, expect, it } from 'vitest';
import { evaluateRollout } from '../../../shared/kube/rollout-status.ts';

const base = { metadata: { name: 'm', generation: 2 }, spec: { replicas: 3 } };

describe('rollout status (kubectl semantics)', () => {
  it('waits until the controller has observed the new generation', () => {
    expect(
      evaluateRollout({
        ...base,
        status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
      }),
    ).toMatchObject({
      state: 'progressing',
      message: expect.stringMatching(/spec update to be observed/),
    });
  });

  it('waits for updated, then old replicas to go, then availability', () => {
    expect(
      evaluateRollout({
        ...base,
        status: { observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 },
      }).message,
    ).toBe('1 of 3 new replicas updated, 3 available');
    expect(
      evaluateRollout({
        ...base,
        status: { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 },
      }).message,
    ).toBe('1 old replicas pending termination');
    expect(
      evaluateRollout({
        ...base,
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 },
      }).message,
    ).toBe('2 of 3 updated replicas available');
  });

  it('is complete when all updated replicas are available', () => {
    expect(
      evaluateRollout({
        ...base,
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
      }),
    ).toEqual({
      state: 'complete',
      message: '3 of 3 replicas available',
    });
  });

  it('fails on ProgressDeadlineExceeded', () => {
    const verdict = evaluateRollout({
      ...base,
      status: {
        observedGeneration: 2,
        replicas: 4,
        updatedReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      },
    });
    expect(verdict).toEqual({
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      message: 'deployment "m" exceeded its progress deadline',
    });
  });
});
