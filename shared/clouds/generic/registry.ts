import type { Logger } from '../../common/logger.ts';
import type { RegistryAccess, RegistryCredential } from '../types.ts';
import { dockerConfigCredential } from './credentials.ts';

export interface GenericRegistryOptions {
  host: string;
  username?: string;
  password?: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * Any OCI registry: the username/password inputs, else what a login step
 * stored in the Docker config, else GITHUB_TOKEN for ghcr.io, else anonymous.
 */
export function genericRegistryAccess(options: GenericRegistryOptions): RegistryAccess {
  const env = options.env ?? process.env;
  return {
    async credential(): Promise<RegistryCredential> {
      const { host, username, password, logger } = options;
      if (password !== undefined && password !== '') {
        logger.secret(password);
        return { kind: 'basic', username: username ?? '', password };
      }
      const stored = dockerConfigCredential(host, logger);
      if (stored) return stored;
      if (host === 'ghcr.io' && env.GITHUB_TOKEN) {
        logger.secret(env.GITHUB_TOKEN);
        return {
          kind: 'basic',
          username: env.GITHUB_ACTOR || 'x-access-token',
          password: env.GITHUB_TOKEN,
        };
      }
      return { kind: 'anonymous' };
    },
  };
}
