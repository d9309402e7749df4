export type {
  LoadBalancerController,
  LoadBalancerFinding,
  GpuPlacement,
  ServicePort,
  CloudProfile,
  ProfileName,
} from '../clouds/profile.ts';
export { NVIDIA_GPU_TAINT } from '../clouds/profile.ts';

export {
  deployProfile as cloudProfile,
  defaultProfileFor,
  PROFILE_NAMES,
} from '../clouds/registry.ts';
