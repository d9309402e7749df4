import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { genericRegistryAccess } from '../../../../shared/clouds/generic/registry.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A DOCKER_CONFIG folder with `auths`, or an empty one. */
function dockerConfig(auths: Record<string, unknown> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'generic-registry-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }));
  vi.stubEnv('DOCKER_CONFIG', dir);
}

describe('generic registry access', () => {
  it('prefers the password input, then a docker login, then GITHUB_TOKEN for ghcr.io, else anonymous', async () => {
    dockerConfig({ '127.0.0.1:5000': { username: 'stored', password: 'stored-pw' } });
    const env = { GITHUB_TOKEN: 'gh-token', GITHUB_ACTOR: 'octo' };
    const access = (host: string, password?: string) =>
      genericRegistryAccess({ host, username: 'u', password, logger: silentLogger, env });
    await expect(access('127.0.0.1:5000', 'input-pw').credential()).resolves.toEqual({
      kind: 'basic',
      username: 'u',
      password: 'input-pw',
    });
    await expect(access('127.0.0.1:5000').credential()).resolves.toEqual({
      kind: 'basic',
      username: 'stored',
      password: 'stored-pw',
    });
    await expect(access('ghcr.io').credential()).resolves.toEqual({
      kind: 'basic',
      username: 'octo',
      password: 'gh-token',
    });
    await expect(access('127.0.0.1:5001').credential()).resolves.toEqual({ kind: 'anonymous' });
  });
});
