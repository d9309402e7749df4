import { describe, expect, it } from 'vitest';
import { generic } from '../../../../shared/clouds/generic/index.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('the generic cloud', () => {
  it('owns no registry host or API server: it takes what the others do not', () => {
    expect(generic.registry.ownsHost).toBeUndefined();
    expect(generic.ownsServer).toBeUndefined();
    expect(generic.objectStore).toBeUndefined();
  });

  it('parses kubeconfig: and takes the empty input as the runner kubeconfig', () => {
    const [kubeconfig, implicit] = generic.clusters ?? [];
    expect(kubeconfig?.parse(' ./ci/kubeconfig ', fail)).toEqual({
      kind: 'kubeconfig',
      path: './ci/kubeconfig',
    });
    expect(() => kubeconfig?.parse('', fail)).toThrow(/must name a file after kubeconfig:/);
    expect(implicit?.implicit).toBe(true);
    expect(implicit?.describe({ kind: 'default' })).toBe('the runner kubeconfig');
  });

  it('places GPUs by the GPU Feature Discovery product label', () => {
    expect(generic.profile.name).toBe('none');
    expect(generic.profile.gpuPlacement('NVIDIA-A10G').nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-A10G',
    });
    expect(generic.profile.gpuPlacement(undefined).nodeSelector).toEqual({});
    expect(generic.profile.loadBalancerAnnotations(true)).toEqual({});
  });
});
