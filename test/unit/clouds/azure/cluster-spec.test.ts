import { describe, expect, it } from 'vitest';
import { describeAksSpec, parseAksSpec } from '../../../../shared/clouds/azure/cluster-spec.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};
const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';

describe('aks: cluster specs', () => {
  it('parse subscription, resource group and name, and describe them back', () => {
    const spec = parseAksSpec(`${SUBSCRIPTION}/rg.models(1)/prod-aks`, fail);
    expect(spec).toEqual({
      kind: 'aks',
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg.models(1)',
      name: 'prod-aks',
    });
    expect(describeAksSpec(spec)).toBe(`aks:${SUBSCRIPTION}/rg.models(1)/prod-aks`);
  });

  it.each([
    [`${SUBSCRIPTION}/rg`, /must be aks:<subscription id>/],
    ['sub/rg/prod', /'sub', which is not a subscription id/],
    [`${SUBSCRIPTION}/rg models/prod`, /not a resource group name/],
    [`${SUBSCRIPTION}/rg/-prod`, /not an AKS cluster name/],
  ])('refuse %s', (rest, message) => {
    expect(() => parseAksSpec(rest, fail)).toThrow(message);
  });
});
