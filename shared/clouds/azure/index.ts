import type { Cloud, IdentityValues, RegistryAccessRequest } from '../types.ts';
import { describeAksSpec, parseAksSpec, type AksClusterSpec } from './cluster-spec.ts';
import { azureIdentityInputs } from './identity-inputs.ts';
import { azureProfile } from './profile.ts';

const MiB = 1024 * 1024;
const ACR_HOST = /^[a-z0-9]+\.azurecr\.(?:io|cn|us|de)$/;

/** The federation identity the inputs named, if any. */
function federation(identity: IdentityValues | undefined): {
  clientId?: string;
  tenantId?: string;
} {
  return {
    ...(identity?.clientId ? { clientId: identity.clientId } : {}),
    ...(identity?.tenantId ? { tenantId: identity.tenantId } : {}),
  };
}

async function registryAccess(request: RegistryAccessRequest) {
  const { acrRegistryAccess } = await import('./registry.ts');
  return acrRegistryAccess({
    host: request.host,
    logger: request.logger,
    ...federation(request.identity?.azure),
    insecureHosts: request.insecureHosts,
  });
}

export const azure: Cloud = {
  name: 'azure',
  registry: {
    ownsHost: (host) => ACR_HOST.test(host),
    /** ACR: bodies above ~20 MB are refused, so larger blobs go in 16 MiB chunks. */
    uploadPolicy: {
      name: 'acr',
      monolithicMaxBytes: 16 * MiB,
      chunkBytes: 16 * MiB,
      minChunkBytes: 0,
    },
    access: registryAccess,
  },
  clusters: [
    {
      kind: 'aks',
      example: 'aks:<subscription-id>/<resource-group>/prod',
      parse: parseAksSpec,
      describe: describeAksSpec,
      async connect(spec, context, identity) {
        const { aksConnection } = await import('./cluster.ts');
        const { azureCredential } = await import('./credentials.ts');
        return aksConnection(
          spec as AksClusterSpec,
          context,
          azureCredential({ ...federation(identity), logger: context.logger }),
        );
      },
    },
  ],
  ownsServer: (server) => server.hostname.endsWith('.azmk8s.io'),
  objectStore: {
    schemes: ['azure', 'wasbs', 'wasb', 'abfss', 'abfs'],
    async reader(location) {
      const { blobLocation } = await import('./blob-location.ts');
      const { azureBlobReader } = await import('./blob-objects.ts');
      return azureBlobReader({ ...blobLocation(location), logger: location.logger });
    },
  },
  profile: azureProfile,
  identity: azureIdentityInputs,
  credentialHint:
    'sign in with azure/login, or give azure-client-id and azure-tenant-id with `permissions: id-token: write`',
};
