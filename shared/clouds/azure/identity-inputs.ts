import { InputError } from '../../common/errors.ts';
import type { IdentityInputs, IdentityValues } from '../types.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/**
 * `azure-client-id` and `azure-tenant-id` for GitHub OIDC federation to Entra:
 * both or neither, a GUID client id, a GUID or domain tenant.
 */
function check({ clientId, tenantId }: IdentityValues): void {
  if (clientId !== undefined && !GUID.test(clientId)) {
    throw new InputError(
      'azure-client-id',
      `must be the application (client) id, a GUID; got '${clientId}'`,
      'azure-client-id: 00000000-0000-0000-0000-000000000000',
    );
  }
  if ((clientId === undefined) !== (tenantId === undefined)) {
    throw new InputError(
      clientId === undefined ? 'azure-client-id' : 'azure-tenant-id',
      'must be given together with the other (GitHub OIDC login to Entra needs both)',
      'azure-client-id: ${{ vars.AZURE_CLIENT_ID }} and azure-tenant-id: ${{ vars.AZURE_TENANT_ID }}',
    );
  }
  if (tenantId !== undefined && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw new InputError(
      'azure-tenant-id',
      `must be the directory (tenant) id, a GUID or a domain like contoso.onmicrosoft.com; got '${tenantId}'`,
      'azure-tenant-id: 00000000-0000-0000-0000-000000000000',
    );
  }
}

export const azureIdentityInputs: IdentityInputs = {
  inputs: { clientId: 'azure-client-id', tenantId: 'azure-tenant-id' },
  check,
};
