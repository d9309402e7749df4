import type { CloudName } from '../clouds/types.ts';

/**
 * A cloud profile holds only what differs between clouds; the manifests are
 * the same everywhere else.
 */
export interface CloudProfile {
  name: ProfileName;
  /** Service annotations for an external / internal load balancer. */
  loadBalancerAnnotations(internal: boolean): Record<string, string>;
  /** Node selector that puts a pod on nodes with this GPU type. */
  gpuNodeSelector(gpuType: string | undefined): Record<string, string>;
  gpuTolerations(): Array<Record<string, string>>;
  /** ServiceAccount annotation (and pod labels) that bind the workload to a cloud identity. */
  identity?: {
    annotation: string;
    podLabels?: Record<string, string>;
    /** Checks the identity's shape; returns the problem or undefined. */
    check(identity: string): string | undefined;
    example: string;
  };
}

export const PROFILE_NAMES = ['aws', 'azure', 'gcp', 'none'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const NVIDIA_TAINT = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

const aws: CloudProfile = {
  name: 'aws',
  loadBalancerAnnotations: (internal) => ({
    // The AWS Load Balancer Controller's NLB, not the legacy in-tree CLB.
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': internal
      ? 'internal'
      : 'internet-facing',
  }),
  gpuNodeSelector: (gpuType): Record<string, string> =>
    gpuType ? { 'k8s.amazonaws.com/accelerator': gpuType } : {},
  gpuTolerations: () => [NVIDIA_TAINT],
  identity: {
    annotation: 'eks.amazonaws.com/role-arn',
    check: (v) =>
      /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(v)
        ? undefined
        : 'is not an IAM role ARN',
    example: 'arn:aws:iam::123456789012:role/model-serving',
  },
};

const azure: CloudProfile = {
  name: 'azure',
  loadBalancerAnnotations: (internal): Record<string, string> =>
    internal ? { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } : {},
  // AKS GPU node pools carry `accelerator=nvidia` and the `sku=gpu` taint.
  gpuNodeSelector: (gpuType): Record<string, string> => ({
    accelerator: 'nvidia',
    ...(gpuType ? { 'node.kubernetes.io/instance-type': gpuType } : {}),
  }),
  gpuTolerations: () => [
    NVIDIA_TAINT,
    { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
  ],
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

const gcp: CloudProfile = {
  name: 'gcp',
  loadBalancerAnnotations: (internal): Record<string, string> =>
    internal ? { 'networking.gke.io/load-balancer-type': 'Internal' } : {},
  gpuNodeSelector: (gpuType): Record<string, string> =>
    gpuType ? { 'cloud.google.com/gke-accelerator': gpuType } : {},
  gpuTolerations: () => [NVIDIA_TAINT],
  identity: {
    annotation: 'iam.gke.io/gcp-service-account',
    check: (v) =>
      /^[a-z][a-z0-9-]{4,29}@[a-z][a-z0-9-]{4,29}\.iam\.gserviceaccount\.com$/.test(v)
        ? undefined
        : 'is not a Google service account email',
    example: 'model-serving@my-project.iam.gserviceaccount.com',
  },
};

const none: CloudProfile = {
  name: 'none',
  loadBalancerAnnotations: () => ({}),
  gpuNodeSelector: () => ({}),
  gpuTolerations: () => [NVIDIA_TAINT],
};

const PROFILES: Record<ProfileName, CloudProfile> = { aws, azure, gcp, none };

export function cloudProfile(name: ProfileName): CloudProfile {
  return PROFILES[name];
}

/** The profile a cluster implies when the user chose none. */
export function defaultProfileFor(cloud: CloudName): ProfileName {
  return cloud === 'generic' ? 'none' : cloud;
}
