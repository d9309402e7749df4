import type { CloudName } from '../clouds/types.ts';

/**
 * Who gives a LoadBalancer Service its address on the cluster, as deploy
 * found it: the cloud's own controller (AKS, GKE, the AWS Load Balancer
 * Controller or EKS Auto Mode on EKS), or on EKS without either the
 * Kubernetes AWS cloud provider's in-tree service controller.
 */
export type LoadBalancerController =
  'cloud' | 'aws-load-balancer-controller' | 'eks-auto-mode' | 'in-tree';

/** Where GPU pods go: a node selector and/or required node affinity, and the tolerations. */
export interface GpuPlacement {
  nodeSelector: Record<string, string>;
  /** Alternatives (ORed): a node matching any one term takes the pod. */
  nodeAffinityTerms?: Array<Array<{ key: string; operator: 'In'; values: string[] }>>;
  tolerations: Array<Record<string, string>>;
}

/**
 * A cloud profile holds only what differs between clouds; the manifests are
 * the same everywhere else.
 */
export interface CloudProfile {
  name: ProfileName;
  /** Service annotations for an external / internal load balancer, for the controller that serves them. */
  loadBalancerAnnotations(
    internal: boolean,
    controller?: LoadBalancerController,
  ): Record<string, string>;
  /**
   * GPU placement from the labels the cloud (or its node provisioner) puts on
   * GPU nodes. Throws a message (string) when the GPU type does not fit.
   */
  gpuPlacement(gpuType: string | undefined): GpuPlacement;
  /** Why this cloud needs a GPU type, when it does; undefined when it does not. */
  gpuTypeRequired?: string;
  /** Checks a GPU type's form; returns the problem or undefined. */
  checkGpuType(gpuType: string): string | undefined;
  gpuTypeExample: string;
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

/** The taint GPU node pools carry (GKE sets it; EKS and AKS pools are told to). */
const NVIDIA_TAINT = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** An EC2 instance type (`g5.xlarge`, `p4d.24xlarge`): kubelet's `node.kubernetes.io/instance-type`. */
const EC2_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** A GPU name as Karpenter and EKS Auto Mode label it (`a10g`, `l4`, `h100`). */
const AWS_GPU_NAME = /^[a-z][a-z0-9-]{0,30}$/;

const aws: CloudProfile = {
  name: 'aws',
  loadBalancerAnnotations: (internal, controller): Record<string, string> =>
    controller === 'in-tree'
      ? {
          // The in-tree service controller's NLB (instance targets through the nodes).
          'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
          ...(internal ? { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } : {}),
        }
      : {
          // The AWS Load Balancer Controller's (or EKS Auto Mode's) NLB with IP targets.
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': internal
            ? 'internal'
            : 'internet-facing',
        },
  // Managed node groups get the kubelet's instance-type label; Karpenter and
  // EKS Auto Mode label the GPU's name (a10g, l4…) each under its own key.
  gpuPlacement: (gpuType): GpuPlacement => {
    if (gpuType === undefined) return { nodeSelector: {}, tolerations: [NVIDIA_TAINT] };
    if (EC2_INSTANCE_TYPE.test(gpuType)) {
      return {
        nodeSelector: { 'node.kubernetes.io/instance-type': gpuType },
        tolerations: [NVIDIA_TAINT],
      };
    }
    return {
      nodeSelector: {},
      nodeAffinityTerms: [
        [{ key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: [gpuType] }],
        [{ key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: [gpuType] }],
      ],
      tolerations: [NVIDIA_TAINT],
    };
  },
  checkGpuType: (t) =>
    EC2_INSTANCE_TYPE.test(t) || AWS_GPU_NAME.test(t)
      ? undefined
      : 'is neither an EC2 instance type (g5.xlarge) nor a GPU name as Karpenter and EKS Auto Mode label it (a10g, l4)',
  gpuTypeExample:
    'gpu-type: g5.xlarge (managed node groups) or gpu-type: a10g (Karpenter, EKS Auto Mode)',
  identity: {
    annotation: 'eks.amazonaws.com/role-arn',
    check: (v) =>
      /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(v)
        ? undefined
        : 'is not an IAM role ARN',
    example: 'arn:aws:iam::123456789012:role/model-serving',
  },
};

/** An Azure VM size (`Standard_NC6s_v3`): the node's `node.kubernetes.io/instance-type`. */
const AZURE_VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;

const azure: CloudProfile = {
  name: 'azure',
  loadBalancerAnnotations: (internal): Record<string, string> =>
    internal ? { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } : {},
  // AKS labels nodes of GPU VM sizes `kubernetes.azure.com/accelerator=nvidia`
  // (the bare `accelerator` label is deprecated); GPU pools are usually
  // created with the `sku=gpu:NoSchedule` taint.
  gpuPlacement: (gpuType): GpuPlacement => ({
    nodeSelector: {
      'kubernetes.azure.com/accelerator': 'nvidia',
      ...(gpuType ? { 'node.kubernetes.io/instance-type': gpuType } : {}),
    },
    tolerations: [
      NVIDIA_TAINT,
      { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    ],
  }),
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

/** A GKE accelerator name (`nvidia-l4`, `nvidia-tesla-t4`). */
const GKE_ACCELERATOR = /^nvidia-[a-z0-9-]+$/;

const gcp: CloudProfile = {
  name: 'gcp',
  loadBalancerAnnotations: (internal): Record<string, string> =>
    internal ? { 'networking.gke.io/load-balancer-type': 'Internal' } : {},
  // GKE labels GPU nodes with their accelerator; Autopilot places a GPU pod
  // only when it selects one, so the type is required.
  gpuPlacement: (gpuType): GpuPlacement => ({
    nodeSelector: gpuType ? { 'cloud.google.com/gke-accelerator': gpuType } : {},
    tolerations: [NVIDIA_TAINT],
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

/** Any other cluster: no cloud label to select; gpu-type is the NVIDIA GPU Feature Discovery product label. */
const none: CloudProfile = {
  name: 'none',
  loadBalancerAnnotations: () => ({}),
  gpuPlacement: (gpuType): GpuPlacement => ({
    nodeSelector: gpuType ? { 'nvidia.com/gpu.product': gpuType } : {},
    tolerations: [NVIDIA_TAINT],
  }),
  checkGpuType: (t) =>
    /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(t)
      ? undefined
      : 'is not a label value (the GPU product as NVIDIA GPU Feature Discovery labels it)',
  gpuTypeExample: 'gpu-type: NVIDIA-A10G',
};

const PROFILES: Record<ProfileName, CloudProfile> = { aws, azure, gcp, none };

export function cloudProfile(name: ProfileName): CloudProfile {
  return PROFILES[name];
}

/** The profile a cluster implies when the user chose none. */
export function defaultProfileFor(cloud: CloudName): ProfileName {
  return cloud === 'generic' ? 'none' : cloud;
}
