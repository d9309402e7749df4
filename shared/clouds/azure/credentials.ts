import {
  ClientAssertionCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import { UserError } from '../../common/errors.ts';
import { httpFetch } from '../../common/http.ts';
import type { Logger } from '../../common/logger.ts';
import { MiB, readText } from '../../common/bounded-body.ts';

/** The audience Entra expects in a GitHub OIDC token used as a federated credential. */
export const AZURE_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * A GitHub Actions OIDC token for `audience`, from the runner's token service
 * (needs `permissions: id-token: write`).
 */
export async function githubOidcToken(
  audience: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new UserError('no GitHub OIDC token is available to this job', {
      hint: 'add `permissions: id-token: write` to the job (needed for azure-client-id / azure-tenant-id)',
    });
  }
  const target = new URL(url);
  target.searchParams.set('audience', audience);
  const response = await httpFetch(target.toString(), {
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
    timeoutMs: 30_000,
    server: 'GitHub OIDC token service',
  });
  if (!response.ok) {
    throw new UserError(`the GitHub OIDC token service answered HTTP ${response.status}`);
  }
  let value: string | undefined;
  try {
    ({ value } = JSON.parse(
      await readText(response.body, MiB, 'the GitHub OIDC token service'),
    ) as { value?: string });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('the GitHub OIDC token service answered without JSON', { cause: err });
  }
  if (!value) throw new UserError('the GitHub OIDC token service returned no token');
  logger.secret(value);
  return value;
}

const KNOWN_AUTHORITIES = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

export interface AzureCredentialOptions {
  clientId?: string;
  tenantId?: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * With a client and tenant id: the GitHub OIDC token as a client assertion
 * (workload identity federation, no secret). Otherwise DefaultAzureCredential,
 * which picks up azure/login (the Azure CLI), environment variables or a
 * managed identity. AZURE_AUTHORITY_HOST points both at another cloud.
 */
export function azureCredential(options: AzureCredentialOptions): TokenCredential {
  const env = options.env ?? process.env;
  const authorityHost = env.AZURE_AUTHORITY_HOST;
  const common = authorityHost
    ? {
        authorityHost,
        // Instance discovery asks the public cloud about the authority; a
        // sovereign or private authority (Azure Stack, ADFS) must skip it.
        disableInstanceDiscovery: !KNOWN_AUTHORITIES.has(new URL(authorityHost).host),
      }
    : {};
  if (options.clientId || options.tenantId) {
    if (!options.clientId || !options.tenantId) {
      throw new UserError('azure-client-id and azure-tenant-id must be given together', {
        hint: 'give both (the app registration or managed identity with a federated credential for this repository), or neither to use azure/login',
      });
    }
    return new ClientAssertionCredential(
      options.tenantId,
      options.clientId,
      () => githubOidcToken(AZURE_FEDERATION_AUDIENCE, options.logger, env),
      common,
    );
  }
  return new DefaultAzureCredential(common);
}

/** An Entra access token for `scope`, masked, with a failure the user can act on. */
export async function azureAccessToken(
  credential: TokenCredential,
  scope: string,
  logger: Logger,
): Promise<string> {
  let token;
  try {
    token = await credential.getToken(scope);
  } catch (err) {
    throw new UserError(
      `could not get an Entra token for ${scope}: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'run azure/login before this step, or give azure-client-id and azure-tenant-id with `permissions: id-token: write`',
        cause: err,
      },
    );
  }
  if (!token?.token) throw new UserError(`Entra returned no token for ${scope}`);
  logger.secret(token.token);
  return token.token;
}
