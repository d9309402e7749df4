/** The taint GPU node pools carry (some clouds set it, others have their pools told to). */
export const NVIDIA_GPU_TAINT = {
  key: 'nvidia.com/gpu',
  operator: 'Exists',
  effect: 'NoSchedule',
} as const;
