import { oneLine, UserError } from '../../common/errors.ts';
import { baseUrlFor, httpFetch } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { HttpStatusError, withRetry } from '../../common/retry.ts';
import type { TokenCredential } from '@azure/identity';
import type { RegistryAccess, RegistryCredential } from '../types.ts';
import { azureAccessToken, azureCredential } from './credentials.ts';
import { KiB, MiB, readText } from '../../common/bounded-body.ts';

/** The Entra scope ACR accepts for its token exchange. */
export const ACR_SCOPE = 'https://containerregistry.azure.net/.default';

export interface AcrRegistryOptions {
  host: string;
  logger: Logger;
  clientId?: string;
  tenantId?: string;
  /** Replaceable for tests. */
  credential?: TokenCredential;
  insecureHosts?: readonly string[];
}

/**
 * ACR: an Entra access token is exchanged at `POST /oauth2/exchange` for an
 * ACR refresh token; the registry client then trades that at `/oauth2/token`
 * for an access token per repository scope when the registry challenges it.
 */
export function acrRegistryAccess(options: AcrRegistryOptions): RegistryAccess {
  return {
    async credential(): Promise<RegistryCredential> {
      const { host, logger } = options;
      const credential =
        options.credential ??
        azureCredential({ clientId: options.clientId, tenantId: options.tenantId, logger });
      const aadToken = await azureAccessToken(credential, ACR_SCOPE, logger);
      const form = new URLSearchParams({
        grant_type: 'access_token',
        service: host,
        access_token: aadToken,
      });
      if (options.tenantId) form.set('tenant', options.tenantId);
      const url = `${baseUrlFor(host, options.insecureHosts)}/oauth2/exchange`;
      const body = await withRetry(async () => {
        const response = await httpFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          timeoutMs: 30_000,
          server: 'ACR token service',
        });
        if (response.status === 401 || response.status === 403) {
          const text = await readText(response.body, 64 * KiB, `registry ${host}`)
            .then(oneLine)
            .catch(() => '');
          throw new UserError(
            `registry ${host} refused the Entra token at /oauth2/exchange (HTTP ${response.status}) ${oneLine(text).slice(0, 200)}`,
            { hint: 'give the identity the AcrPush role on this registry' },
          );
        }
        if (!response.ok) {
          throw new HttpStatusError(
            response.status,
            url,
            `the ACR token exchange at ${host} answered HTTP ${response.status}`,
            response.headers.get('retry-after'),
          );
        }
        try {
          return JSON.parse(
            await readText(response.body, MiB, `the ACR token exchange at ${host}`),
          ) as { refresh_token?: string };
        } catch (err) {
          if (err instanceof UserError) throw err;
          throw new UserError(`the ACR token exchange at ${host} answered without JSON`, {
            cause: err,
          });
        }
      });
      if (!body.refresh_token)
        throw new UserError(`the ACR token exchange at ${host} returned no refresh token`);
      logger.secret(body.refresh_token);
      return { kind: 'refresh-token', refreshToken: body.refresh_token };
    },
  };
}
