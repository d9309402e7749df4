import { describe, expect, it } from 'vitest';
import { awsProfile } from '../../../../shared/clouds/aws/profile.ts';

const CERT = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';
const PORTS = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';

describe('the AWS deploy profile', () => {
  it('writes the in-tree NLB annotation without a controller, the IP-target NLB with one', () => {
    expect(awsProfile.loadBalancerAnnotations(true, 'in-tree')).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
      'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
    });
    expect(awsProfile.loadBalancerAnnotations(false, 'aws-load-balancer-controller')).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
  });

  it('reads back the internal load balancers it and the in-tree controller write', () => {
    const internal = awsProfile.internalLoadBalancer!;
    expect(internal(awsProfile.loadBalancerAnnotations(true, 'eks-auto-mode'))).toBe(true);
    expect(internal(awsProfile.loadBalancerAnnotations(true, 'in-tree'))).toBe(true);
    expect(internal(awsProfile.loadBalancerAnnotations(false, 'in-tree'))).toBe(false);
    expect(internal({ 'service.beta.kubernetes.io/aws-load-balancer-internal': '0.0.0.0/0' })).toBe(
      true,
    );
    expect(internal({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'public' })).toBe(
      false,
    );
  });

  it('terminates TLS only with a certificate, on the ports listed by number or name', () => {
    const tls = awsProfile.loadBalancerTlsPort!;
    const ports = [
      { port: 80, name: 'http' },
      { port: 8443, name: 'https' },
    ];
    expect(tls({}, ports)).toBeUndefined();
    expect(tls({ [CERT]: 'arn:aws:acm:x' }, ports)).toBe(80);
    expect(tls({ [CERT]: 'arn:aws:acm:x', [PORTS]: 'https' }, ports)).toBe(8443);
    expect(tls({ [CERT]: 'arn:aws:acm:x', [PORTS]: '8443' }, ports)).toBe(8443);
    expect(tls({ [CERT]: 'arn:aws:acm:x', [PORTS]: '9443' }, ports)).toBeUndefined();
  });

  it('places GPU pods by instance type, or by GPU name under the Karpenter and Auto Mode labels', () => {
    expect(awsProfile.gpuPlacement('g5.xlarge').nodeSelector).toEqual({
      'node.kubernetes.io/instance-type': 'g5.xlarge',
    });
    const byName = awsProfile.gpuPlacement('a10g');
    expect(byName.nodeSelector).toEqual({});
    expect(byName.nodeAffinityTerms?.map((term) => term[0]?.key)).toEqual([
      'karpenter.k8s.aws/instance-gpu-name',
      'eks.amazonaws.com/instance-gpu-name',
    ]);
    expect(awsProfile.checkGpuType('G5 XL')).toMatch(/neither an EC2 instance type/);
    expect(awsProfile.identity?.check('arn:aws:iam::123456789012:role/x')).toBeUndefined();
    expect(awsProfile.identity?.check('role/x')).toMatch(/not an IAM role ARN/);
  });
});
