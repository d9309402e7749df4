import { NVIDIA_GPU_TAINT } from '../profile.ts';
import type { CloudProfile, GpuPlacement } from '../profile.ts';

/** Any other cluster: no cloud label to select; gpu-type is the NVIDIA GPU Feature Discovery product label. */
export const genericProfile: CloudProfile = {
  name: 'none',
  loadBalancerAnnotations: () => ({}),
  gpuPlacement: (gpuType): GpuPlacement => ({
    nodeSelector: gpuType ? { 'nvidia.com/gpu.product': gpuType } : {},
    tolerations: [NVIDIA_GPU_TAINT],
  }),
  checkGpuType: (t) =>
    /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(t)
      ? undefined
      : 'is not a label value (the GPU product as NVIDIA GPU Feature Discovery labels it)',
  gpuTypeExample: 'gpu-type: NVIDIA-A10G',
};
