import { NVIDIA_GPU_TAINT } from '../profile.ts';
import type { CloudProfile, GpuPlacement, ServicePort } from '../profile.ts';

/** An EC2 instance type (`g5.xlarge`, `p4d.24xlarge`): kubelet's `node.kubernetes.io/instance-type`. */
const EC2_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** A GPU name as Karpenter and EKS Auto Mode label it (`a10g`, `l4`, `h100`). */
const AWS_GPU_NAME = /^[a-z][a-z0-9-]{0,30}$/;

const ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-';

function loadBalancerAnnotations(internal: boolean, controller?: string): Record<string, string> {
  return controller === 'in-tree'
    ? {
        // The in-tree service controller's NLB (instance targets through the nodes).
        [`${ANNOTATION}type`]: 'nlb',
        ...(internal ? { [`${ANNOTATION}internal`]: 'true' } : {}),
      }
    : {
        // The AWS Load Balancer Controller's (or EKS Auto Mode's) NLB with IP targets.
        [`${ANNOTATION}type`]: 'external',
        [`${ANNOTATION}nlb-target-type`]: 'ip',
        [`${ANNOTATION}scheme`]: internal ? 'internal' : 'internet-facing',
      };
}

/** The controller's `scheme`, or the in-tree controller's `internal` (a CIDR in old clusters). */
function internalLoadBalancer(annotations: Record<string, string>): boolean {
  const internal = annotations[`${ANNOTATION}internal`];
  return (
    annotations[`${ANNOTATION}scheme`] === 'internal' ||
    internal === 'true' ||
    internal === '0.0.0.0/0'
  );
}

/**
 * An AWS load balancer terminates TLS when the Service names a certificate
 * (`aws-load-balancer-ssl-cert`), on the ports `aws-load-balancer-ssl-ports`
 * lists (by number or name; all of them when it is absent or `*`).
 */
function loadBalancerTlsPort(
  annotations: Record<string, string>,
  ports: readonly ServicePort[],
): number | undefined {
  if (!annotations[`${ANNOTATION}ssl-cert`]) return undefined;
  const listed = (annotations[`${ANNOTATION}ssl-ports`] ?? '*')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const all = listed.length === 0 || listed.includes('*');
  const match = ports.find(
    (p) =>
      all || listed.includes(String(p.port)) || (p.name !== undefined && listed.includes(p.name)),
  );
  return match ? (match.port ?? 80) : undefined;
}

// Managed node groups get the kubelet's instance-type label; Karpenter and
// EKS Auto Mode label the GPU's name (a10g, l4…) each under its own key.
function gpuPlacement(gpuType: string | undefined): GpuPlacement {
  if (gpuType === undefined) return { nodeSelector: {}, tolerations: [NVIDIA_GPU_TAINT] };
  if (EC2_INSTANCE_TYPE.test(gpuType)) {
    return {
      nodeSelector: { 'node.kubernetes.io/instance-type': gpuType },
      tolerations: [NVIDIA_GPU_TAINT],
    };
  }
  return {
    nodeSelector: {},
    nodeAffinityTerms: [
      [{ key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'In', values: [gpuType] }],
      [{ key: 'eks.amazonaws.com/instance-gpu-name', operator: 'In', values: [gpuType] }],
    ],
    tolerations: [NVIDIA_GPU_TAINT],
  };
}

export const awsProfile: CloudProfile = {
  name: 'aws',
  loadBalancerAnnotations,
  internalLoadBalancer,
  loadBalancerTlsPort,
  addressHint:
    'on EKS the AWS Load Balancer Controller (or EKS Auto Mode) must be installed for NLB annotations',
  gpuPlacement,
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
