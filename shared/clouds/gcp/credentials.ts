import { GoogleAuth } from 'google-auth-library';
import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Google application default credentials: the file google-github-actions/auth
 * writes (workload identity federation or a key), the gcloud user file, or
 * the metadata server on Google compute.
 */
export function googleAuth(): GoogleAuth {
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}

export async function googleAccessToken(auth: GoogleAuth, logger: Logger): Promise<string> {
  let token: string | null | undefined;
  try {
    token = await auth.getAccessToken();
  } catch (err) {
    throw new UserError(
      `could not get a Google access token: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'run google-github-actions/auth before this step (workload_identity_provider + service_account)',
        cause: err,
      },
    );
  }
  if (!token)
    throw new UserError('Google application default credentials returned no access token');
  logger.secret(token);
  return token;
}
