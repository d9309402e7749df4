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

describe('a deadline left from before the rollout', () => {
  const exceeded = (lastUpdateTime: string) => ({
    ...base,
    status: {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 1,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          lastUpdateTime,
        },
      ],
    },
  });

  it('is not this rollout failing: it waits on the replicas instead', () => {
    expect(
      evaluateRollout(exceeded('2026-01-01T10:00:00Z'), {
        staleDeadline: '2026-01-01T10:00:00.000Z',
      }),
    ).toMatchObject({ state: 'progressing', message: '1 of 3 updated replicas available' });
  });

  it('a deadline the controller set again later still fails the rollout', () => {
    expect(
      evaluateRollout(exceeded('2026-01-01T10:05:00Z'), {
        staleDeadline: '2026-01-01T10:00:00Z',
      }),
    ).toMatchObject({ state: 'failed', reason: 'ProgressDeadlineExceeded' });
    expect(evaluateRollout(exceeded('2026-01-01T10:00:00Z'))).toMatchObject({ state: 'failed' });
  });
});
