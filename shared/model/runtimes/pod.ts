import type { ScratchVolume } from './types.ts';

/** The folder HOME points at where the image has no writable home for the pod's uid. */
export const SCRATCH_HOME = '/home/model-server';

/** /dev/shm as a tmpfs of this size. */
export function sharedMemory(sizeLimit: string): ScratchVolume {
  return { name: 'dshm', mountPath: '/dev/shm', medium: 'Memory', sizeLimit };
}
