import { describe, expect, it } from 'vitest';
import { azureProfile } from '../../../../shared/clouds/azure/profile.ts';

describe('the Azure deploy profile', () => {
  it('asks for an internal load balancer by annotation, and reads it back', () => {
    const internal = azureProfile.loadBalancerAnnotations(true);
    expect(internal).toEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    expect(azureProfile.loadBalancerAnnotations(false)).toEqual({});
    expect(azureProfile.internalLoadBalancer?.(internal)).toBe(true);
    expect(azureProfile.internalLoadBalancer?.({})).toBe(false);
    expect(azureProfile.loadBalancerTlsPort).toBeUndefined();
  });

  it('selects nodes of GPU VM sizes, tolerating the sku=gpu taint', () => {
    const placement = azureProfile.gpuPlacement('Standard_NC6s_v3');
    expect(placement.nodeSelector).toEqual({
      'kubernetes.azure.com/accelerator': 'nvidia',
      'node.kubernetes.io/instance-type': 'Standard_NC6s_v3',
    });
    expect(placement.tolerations).toContainEqual({
      key: 'sku',
      operator: 'Equal',
      value: 'gpu',
      effect: 'NoSchedule',
    });
    expect(azureProfile.checkGpuType('nc6')).toMatch(/not an Azure VM size/);
    expect(azureProfile.identity?.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
  });
});
