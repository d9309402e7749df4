import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { RegistryCredential } from '../../registry/credential.ts';

/**
 * Credentials that docker login, podman login and docker/login-action leave
 * behind: `auths` in ~/.docker/config.json (or $DOCKER_CONFIG/config.json),
 * each a base64 `user:password`, or an `identitytoken` (an OAuth2 refresh token).
 */
interface DockerConfig {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string }
  >;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/** The keys a config may use for a host: `host`, `https://host`, `https://host/v1/`... */
function candidates(host: string): string[] {
  const keys = [
    host,
    `https://${host}`,
    `http://${host}`,
    `https://${host}/v1/`,
    `https://${host}/v2/`,
  ];
  if (host === 'registry-1.docker.io' || host === 'docker.io') {
    keys.push('https://index.docker.io/v1/', 'index.docker.io', 'docker.io');
  }
  return keys;
}

export function dockerConfigCredential(
  host: string,
  logger: Logger,
  path = dockerConfigPath(),
): RegistryCredential | undefined {
  if (!existsSync(path)) return undefined;
  let config: DockerConfig;
  try {
    config = JSON.parse(readFileSync(path, 'utf8')) as DockerConfig;
  } catch (err) {
    throw new UserError(`${path} is not valid JSON: ${(err as Error).message}`, {
      hint: 'fix or remove the Docker config file, or give username and password',
    });
  }
  const auths = config.auths ?? {};
  const key = candidates(host).find((k) => auths[k] !== undefined);
  if (key === undefined) return undefined;
  const entry = auths[key]!;
  if (entry.identitytoken) {
    logger.secret(entry.identitytoken);
    return { kind: 'refresh-token', refreshToken: entry.identitytoken };
  }
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new UserError(`the auth entry for ${key} in ${path} is not base64 of user:password`);
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
    logger.secret(entry.auth);
  }
  if (username === undefined || password === undefined) return undefined;
  logger.secret(password);
  return { kind: 'basic', username, password };
}
