import { describe, expect, it } from 'vitest';
import { describeEksSpec, parseEksSpec } from '../../../../shared/clouds/aws/cluster-spec.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};

describe('eks: cluster specs', () => {
  it('parse region and name, including GovCloud regions, and describe them back', () => {
    const spec = parseEksSpec('us-gov-west-1/prod_1', fail);
    expect(spec).toEqual({ kind: 'eks', region: 'us-gov-west-1', name: 'prod_1' });
    expect(describeEksSpec(spec)).toBe('eks:us-gov-west-1/prod_1');
  });

  it.each([
    ['us-east-1', /must be eks:<region>\/<cluster name>/],
    ['useast1/prod', /'useast1', which is not an AWS region/],
    ['us-east-1/-prod', /'-prod', which is not an EKS cluster name/],
  ])('refuse %s', (rest, message) => {
    expect(() => parseEksSpec(rest, fail)).toThrow(message);
  });
});
