import { describe, expect, it } from 'vitest';
import { aws } from '../../../../shared/clouds/aws/index.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('the AWS cloud', () => {
  it('owns ECR hosts only', () => {
    expect(aws.registry.ownsHost?.('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toBe(true);
    expect(aws.registry.ownsHost?.('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toBe(
      true,
    );
    expect(aws.registry.ownsHost?.('ecr.us-east-1.amazonaws.com')).toBe(false);
  });

  it('chunks every ECR upload in parts of at least 5 MiB', () => {
    const policy = aws.registry.uploadPolicy;
    expect(policy.monolithicMaxBytes).toBe(0);
    expect(policy.minChunkBytes).toBe(5 * 1024 * 1024);
    expect(policy.chunkBytes).toBeGreaterThanOrEqual(policy.minChunkBytes);
  });

  it('parses and describes eks: clusters, and recognises EKS API servers', () => {
    const eks = aws.clusters?.find((kind) => kind.kind === 'eks');
    const spec = eks!.parse('eu-west-1/models', fail);
    expect(spec).toEqual({ kind: 'eks', region: 'eu-west-1', name: 'models' });
    expect(eks!.describe(spec)).toBe('eks:eu-west-1/models');
    expect(() => eks!.parse('eu-west-1', fail)).toThrow(/must be eks:<region>\/<cluster name>/);
    expect(aws.ownsServer?.(new URL('https://A1.gr7.us-east-1.eks.amazonaws.com'))).toBe(true);
    expect(aws.ownsServer?.(new URL('https://127.0.0.1:6443'))).toBe(false);
  });

  it('reads s3:// stores and has a probe for its load balancer controllers', () => {
    expect(aws.objectStore?.schemes).toEqual(['s3']);
    expect(typeof aws.probes?.loadBalancerController).toBe('function');
    expect(aws.identity).toBeUndefined();
  });
});
