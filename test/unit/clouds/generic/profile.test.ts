import { describe, expect, it } from 'vitest';
import { genericProfile } from '../../../../shared/clouds/generic/profile.ts';
import { NVIDIA_GPU_TAINT } from '../../../../shared/clouds/profile.ts';

describe('the profile of any other cluster', () => {
  it('annotates no load balancer', () => {
    expect(genericProfile.loadBalancerAnnotations({} as never)).toEqual({});
  });

  it('places GPU pods by the GPU Feature Discovery product label and tolerates the GPU taint', () => {
    expect(genericProfile.gpuPlacement('NVIDIA-A10G')).toEqual({
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A10G' },
      tolerations: [NVIDIA_GPU_TAINT],
    });
  });

  it('selects no node without a GPU type, but still tolerates the taint', () => {
    expect(genericProfile.gpuPlacement(undefined)).toEqual({
      nodeSelector: {},
      tolerations: [NVIDIA_GPU_TAINT],
    });
  });

  it('accepts GPU types that are label values', () => {
    for (const t of [
      'NVIDIA-A10G',
      'Tesla-T4',
      'a',
      'NVIDIA-H100-80GB-HBM3',
      'x.y_z',
      'A'.repeat(63),
    ])
      expect(genericProfile.checkGpuType(t), t).toBeUndefined();
  });

  it('refuses GPU types that are not label values, saying what is expected', () => {
    for (const t of ['', 'NVIDIA A10G', '-A10G', 'A10G-', 'a/b', 'A'.repeat(64)])
      expect(genericProfile.checkGpuType(t), t).toBe(
        'is not a label value (the GPU product as NVIDIA GPU Feature Discovery labels it)',
      );
  });

  it('gives an example that its own check accepts', () => {
    expect(genericProfile.gpuTypeExample).toBe('gpu-type: NVIDIA-A10G');
    expect(
      genericProfile.checkGpuType(genericProfile.gpuTypeExample.split(': ')[1]!),
    ).toBeUndefined();
  });
});
