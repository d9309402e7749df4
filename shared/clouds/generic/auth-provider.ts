import { UserError } from '../../common/errors.ts';
import type { CloudContext, ClusterConnection } from '../types.ts';

/**
 * A kubeconfig user with a legacy auth-provider block (oidc with a refresh
 * token, the old gcp and azure providers). These are rare now and their
 * token refresh is the upstream client library's, so only this path loads it.
 */
export async function authProviderConnection(
  files: string[],
  displayName: string,
  context: CloudContext,
  withToken: (token: string) => ClusterConnection,
): Promise<ClusterConnection> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (files.length === 1) kc.loadFromFile(files[0] as string);
  else kc.loadFromDefault();
  const refresh = async (): Promise<string> => {
    const options: { headers?: Record<string, string> } = { headers: {} };
    await kc.applyToHTTPSOptions(options);
    const header = options.headers?.Authorization ?? options.headers?.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '');
    if (token === '') {
      throw new UserError(`the auth-provider of ${displayName} gave no token`, {
        hint: 'sign in again where the kubeconfig was written, or use an exec credential plugin',
      });
    }
    context.logger.secret(token);
    return token;
  };
  const connection = withToken(await refresh());
  connection.refresh = refresh;
  return connection;
}
