import { describe, expect, it } from 'vitest';
import { gcpProfile } from '../../../../shared/clouds/gcp/profile.ts';

describe('the GCP deploy profile', () => {
  it('asks for an internal load balancer and reads back both GKE annotations, in any case', () => {
    const internal = gcpProfile.loadBalancerAnnotations(true);
    expect(internal).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
    expect(gcpProfile.internalLoadBalancer?.(internal)).toBe(true);
    expect(
      gcpProfile.internalLoadBalancer?.({ 'cloud.google.com/load-balancer-type': 'internal' }),
    ).toBe(true);
    expect(
      gcpProfile.internalLoadBalancer?.({ 'networking.gke.io/load-balancer-type': 'External' }),
    ).toBe(false);
  });

  it('selects the accelerator, and says why it needs one', () => {
    expect(gcpProfile.gpuPlacement('nvidia-l4').nodeSelector).toEqual({
      'cloud.google.com/gke-accelerator': 'nvidia-l4',
    });
    expect(gcpProfile.gpuTypeRequired).toMatch(/Autopilot/);
    expect(gcpProfile.checkGpuType('l4')).toMatch(/not a GKE accelerator name/);
  });
});
