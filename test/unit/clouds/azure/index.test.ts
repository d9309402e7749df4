import { describe, expect, it } from 'vitest';
import { azure } from '../../../../shared/clouds/azure/index.ts';

const fail = (problem: string): never => {
  throw new Error(problem);
};
const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';

describe('the Azure cloud', () => {
  it('owns ACR hosts of the Azure clouds only', () => {
    expect(azure.registry.ownsHost?.('models.azurecr.io')).toBe(true);
    expect(azure.registry.ownsHost?.('models.azurecr.cn')).toBe(true);
    expect(azure.registry.ownsHost?.('models.azurecr.io.example.com')).toBe(false);
  });

  it('uploads blobs above 16 MiB in chunks, as ACR refuses large bodies', () => {
    const policy = azure.registry.uploadPolicy;
    expect(policy.monolithicMaxBytes).toBe(16 * 1024 * 1024);
    expect(policy.chunkBytes).toBeLessThanOrEqual(20 * 1000 * 1000);
  });

  it('parses and describes aks: clusters, and recognises AKS API servers', () => {
    const aks = azure.clusters?.find((kind) => kind.kind === 'aks');
    const spec = aks!.parse(`${SUBSCRIPTION}/rg-models/prod`, fail);
    expect(spec).toEqual({
      kind: 'aks',
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-models',
      name: 'prod',
    });
    expect(aks!.describe(spec)).toBe(`aks:${SUBSCRIPTION}/rg-models/prod`);
    expect(() => aks!.parse('sub/rg/prod', fail)).toThrow(/not a subscription id/);
    expect(azure.ownsServer?.(new URL('https://x.hcp.westeurope.azmk8s.io:443'))).toBe(true);
  });

  it('reads the Blob URLs of DVC and MLflow, and names its federation inputs', () => {
    expect(azure.objectStore?.schemes).toEqual(expect.arrayContaining(['azure', 'wasbs', 'abfss']));
    expect(Object.values(azure.identity?.inputs ?? {})).toEqual([
      'azure-client-id',
      'azure-tenant-id',
    ]);
  });
});
