import { describe, expect, it } from 'vitest';
import { podProblems, recentWarnings, summariseProblems } from '../../../shared/kube/diagnose.ts';

describe('failure diagnosis', () => {
  it('names image pull failures and crash loops with their last termination', () => {
    const problems = podProblems([
      {
        metadata: { name: 'm-abc-1' },
        status: {
          containerStatuses: [
            {
              name: 'model',
              state: {
                waiting: {
                  reason: 'ImagePullBackOff',
                  message: 'Back-off pulling image "r/x@sha256:1"',
                },
              },
            },
          ],
        },
      },
      {
        metadata: { name: 'm-abc-2' },
        status: {
          containerStatuses: [
            {
              name: 'model',
              restartCount: 4,
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: 'back-off 40s restarting failed container',
                },
              },
              lastState: {
                terminated: { reason: 'Error', exitCode: 3, message: 'line1\nmodel file missing' },
              },
            },
          ],
        },
      },
      {
        metadata: { name: 'ok' },
        status: { containerStatuses: [{ name: 'model', ready: true, state: {} }] },
      },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({
      pod: 'm-abc-1',
      reason: 'ImagePullBackOff',
      hopeless: true,
    });
    expect(problems[1]?.detail).toContain('last exit: Error (exit code 3), 4 restarts');
    expect(problems[1]?.detail).toContain('model file missing');
  });

  it('reports OOMKilled, unschedulable pods and ignores normal startup', () => {
    const problems = podProblems([
      {
        metadata: { name: 'a' },
        status: {
          containerStatuses: [
            {
              name: 'model',
              ready: false,
              state: {},
              lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
            },
          ],
        },
      },
      {
        metadata: { name: 'b' },
        status: {
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes have nvidia.com/gpu',
            },
          ],
        },
      },
      {
        metadata: { name: 'c' },
        status: {
          containerStatuses: [
            { name: 'model', state: { waiting: { reason: 'ContainerCreating' } } },
          ],
        },
      },
    ]);
    expect(problems.map((p) => p.reason)).toEqual(['OOMKilled', 'Unschedulable']);
    expect(problems[0]?.detail).toContain('exit code 137');
    expect(problems[1]?.detail).toBe('0/3 nodes have nvidia.com/gpu');
  });

  it('groups the same problem across pods and lists recent warnings newest first', () => {
    const same = {
      status: {
        containerStatuses: [
          { name: 'model', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } },
        ],
      },
    };
    const text = summariseProblems(
      podProblems([
        { metadata: { name: 'p1' }, ...same },
        { metadata: { name: 'p2' }, ...same },
      ]),
    );
    expect(text).toBe('ErrImagePull: 2 pods (container model): not found');
    const warnings = recentWarnings(
      [
        {
          type: 'Warning',
          reason: 'Failed',
          message: 'old',
          involvedObject: { kind: 'Pod', name: 'p1' },
          lastTimestamp: '2026-01-01T00:00:00Z',
        },
        {
          type: 'Normal',
          reason: 'Pulling',
          message: 'x',
          involvedObject: { kind: 'Pod', name: 'p1' },
        },
        {
          type: 'Warning',
          reason: 'BackOff',
          message: 'new',
          involvedObject: { kind: 'Pod', name: 'p1' },
          lastTimestamp: new Date('2026-01-02T00:00:00Z'),
        },
        {
          type: 'Warning',
          reason: 'Other',
          message: 'elsewhere',
          involvedObject: { kind: 'Pod', name: 'zz' },
        },
      ],
      ['p1'],
    );
    expect(warnings).toEqual(['Pod/p1: BackOff: new', 'Pod/p1: Failed: old']);
  });
});
