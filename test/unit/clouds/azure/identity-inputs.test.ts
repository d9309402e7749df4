import { describe, expect, it } from 'vitest';
import { azureIdentityInputs } from '../../../../shared/clouds/azure/identity-inputs.ts';
import { InputError } from '../../../../shared/common/errors.ts';

const GUID = '00000000-0000-0000-0000-000000000001';

describe('the Azure federation inputs', () => {
  it('names azure-client-id and azure-tenant-id', () => {
    expect(azureIdentityInputs.inputs).toEqual({
      clientId: 'azure-client-id',
      tenantId: 'azure-tenant-id',
    });
  });

  it('takes both or neither, a GUID client id and a GUID or domain tenant', () => {
    expect(() => azureIdentityInputs.check({})).not.toThrow();
    expect(() => azureIdentityInputs.check({ clientId: GUID, tenantId: GUID })).not.toThrow();
    expect(() =>
      azureIdentityInputs.check({ clientId: GUID, tenantId: 'contoso.onmicrosoft.com' }),
    ).not.toThrow();
  });

  it.each([
    [{ clientId: 'app', tenantId: GUID }, /input 'azure-client-id' .*a GUID; got 'app'/],
    [{ clientId: GUID }, /input 'azure-tenant-id' must be given together/],
    [{ tenantId: GUID }, /input 'azure-client-id' must be given together/],
    [{ clientId: GUID, tenantId: 'contoso' }, /input 'azure-tenant-id' .*got 'contoso'/],
  ])('refuses %o, naming the input', (values, message) => {
    let error: unknown;
    try {
      azureIdentityInputs.check(values);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });
});
