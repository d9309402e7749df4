import { describe, expect, it } from 'vitest';
import { ECR_HOST, isEksServer } from '../../../../shared/clouds/aws/hosts.ts';

describe('ECR_HOST', () => {
  it('takes the account id and region out of an ECR host', () => {
    const match = ECR_HOST.exec('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(match?.[1]).toBe('123456789012');
    expect(match?.[2]).toBe('eu-west-1');
  });

  it('knows the FIPS and China partition hosts', () => {
    expect(ECR_HOST.exec('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')?.[2]).toBe(
      'us-gov-west-1',
    );
    expect(ECR_HOST.exec('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')?.[2]).toBe(
      'cn-north-1',
    );
  });

  it('refuses hosts that only look like ECR', () => {
    // An account id is twelve digits, no more and no less.
    expect(ECR_HOST.test('12345678901.dkr.ecr.us-east-1.amazonaws.com')).toBe(false);
    expect(ECR_HOST.test('1234567890123.dkr.ecr.us-east-1.amazonaws.com')).toBe(false);
    // Anchored at both ends: a look-alike domain is not ECR.
    expect(ECR_HOST.test('123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example')).toBe(false);
    expect(ECR_HOST.test('x123456789012.dkr.ecr.us-east-1.amazonaws.com')).toBe(false);
    // Public ECR and a port are not part of the pattern (callers strip the port).
    expect(ECR_HOST.test('public.ecr.aws')).toBe(false);
    expect(ECR_HOST.test('123456789012.dkr.ecr.us-east-1.amazonaws.com:443')).toBe(false);
  });
});

describe('isEksServer', () => {
  it('recognises an EKS API server host by its domain', () => {
    expect(isEksServer('ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com')).toBe(true);
    expect(isEksServer('cluster.example.com')).toBe(false);
    // The dot before eks matters: a domain merely ending in the same letters is not EKS.
    expect(isEksServer('notaneks.amazonaws.com')).toBe(false);
    expect(isEksServer('myeks.amazonaws.com')).toBe(false);
  });
});
