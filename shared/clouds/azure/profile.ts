import { NVIDIA_GPU_TAINT } from '../profile.ts';
import type { CloudProfile, GpuPlacement } from '../profile.ts';

/** An Azure VM size (`Standard_NC6s_v3`): the node's `node.kubernetes.io/instance-type`. */
const AZURE_VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
const INTERNAL = 'service.beta.kubernetes.io/azure-load-balancer-internal';

// AKS labels nodes of GPU VM sizes `kubernetes.azure.com/accelerator=nvidia`
// (the bare `accelerator` label is deprecated); GPU pools are usually
// created with the `sku=gpu:NoSchedule` taint.
function gpuPlacement(gpuType: string | undefined): GpuPlacement {
  return {
    nodeSelector: {
      'kubernetes.azure.com/accelerator': 'nvidia',
      ...(gpuType ? { 'node.kubernetes.io/instance-type': gpuType } : {}),
    },
    tolerations: [
      NVIDIA_GPU_TAINT,
      { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    ],
  };
}

export const azureProfile: CloudProfile = {
  name: 'azure',
  loadBalancerAnnotations: (internal): Record<string, string> =>
    internal ? { [INTERNAL]: 'true' } : {},
  internalLoadBalancer: (annotations) => annotations[INTERNAL] === 'true',
  gpuPlacement,
  checkGpuType: (t) =>
    AZURE_VM_SIZE.test(t) ? undefined : 'is not an Azure VM size (Standard_NC6s_v3)',
  gpuTypeExample: 'gpu-type: Standard_NC24ads_A100_v4',
  identity: {
    annotation: 'azure.workload.identity/client-id',
    podLabels: { 'azure.workload.identity/use': 'true' },
    check: (v) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
        ? undefined
        : 'is not a client id (a GUID)',
    example: '00000000-0000-0000-0000-000000000000',
  },
};
