import { describe, expect, it } from 'vitest';
import { SCRATCH_HOME, sharedMemory } from '../../../../shared/model/runtimes/pod.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';

describe('pod facts helpers', () => {
  it('makes /dev/shm a memory-backed emptyDir of the given size', () => {
    expect(sharedMemory('3Gi')).toEqual({
      name: 'dshm',
      mountPath: '/dev/shm',
      medium: 'Memory',
      sizeLimit: '3Gi',
    });
  });

  it('points HOME at a scratch folder that is mounted where a runtime needs one', () => {
    const vllm = RUNTIMES.vllm.pod;
    expect(vllm.env?.HOME).toBe(SCRATCH_HOME);
    expect(vllm.scratch?.some((s) => s.mountPath === SCRATCH_HOME)).toBe(true);
  });
});
