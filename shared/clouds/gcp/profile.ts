import { NVIDIA_GPU_TAINT } from '../profile.ts';
import type { CloudProfile, GpuPlacement } from '../profile.ts';

/** A GKE accelerator name (`nvidia-l4`, `nvidia-tesla-t4`). */
const GKE_ACCELERATOR = /^nvidia-[a-z0-9-]+$/;
/** The current annotation, and the one older clusters still honour. */
const LOAD_BALANCER_TYPE = [
  'networking.gke.io/load-balancer-type',
  'cloud.google.com/load-balancer-type',
];

export const gcpProfile: CloudProfile = {
  name: 'gcp',
  loadBalancerAnnotations: (internal): Record<string, string> =>
    internal ? { 'networking.gke.io/load-balancer-type': 'Internal' } : {},
  internalLoadBalancer: (annotations) =>
    LOAD_BALANCER_TYPE.some((key) => annotations[key]?.toLowerCase() === 'internal'),
  // GKE labels GPU nodes with their accelerator; Autopilot places a GPU pod
  // only when it selects one, so the type is required.
  gpuPlacement: (gpuType): GpuPlacement => ({
    nodeSelector: gpuType ? { 'cloud.google.com/gke-accelerator': gpuType } : {},
    tolerations: [NVIDIA_GPU_TAINT],
  }),
  gpuTypeRequired:
    'GKE Autopilot places a GPU pod only on the accelerator its cloud.google.com/gke-accelerator selector names, and on Standard it picks the GPU node pool',
  checkGpuType: (t) =>
    GKE_ACCELERATOR.test(t)
      ? undefined
      : 'is not a GKE accelerator name (nvidia-l4, nvidia-tesla-t4)',
  gpuTypeExample: 'gpu-type: nvidia-l4',
  identity: {
    annotation: 'iam.gke.io/gcp-service-account',
    check: (v) =>
      /^[a-z][a-z0-9-]{4,29}@[a-z][a-z0-9-]{4,29}\.iam\.gserviceaccount\.com$/.test(v)
        ? undefined
        : 'is not a Google service account email',
    example: 'model-serving@my-project.iam.gserviceaccount.com',
  },
};
