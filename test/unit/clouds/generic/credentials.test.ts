import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dockerConfigCredential,
  dockerConfigPath,
} from '../../../../shared/clouds/generic/credentials.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import type { Logger } from '../../../../shared/common/logger.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configWith(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
  dirs.push(dir);
  const path = join(dir, 'config.json');
  writeFileSync(path, content);
  return path;
}

function recordingLogger(): Logger & { secrets: string[] } {
  const secrets: string[] = [];
  return {
    secrets,
    info() {},
    debug() {},
    warning() {},
    error() {},
    secret: (value: string) => secrets.push(value),
  } as Logger & { secrets: string[] };
}

describe('credentials a docker login left behind', () => {
  it('lives in $DOCKER_CONFIG/config.json', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/tmp/dc' })).toBe('/tmp/dc/config.json');
  });

  it('decodes an auth entry under any of the keys docker writes, masking the password', () => {
    const auth = Buffer.from('robot:pa:ss').toString('base64');
    const path = configWith(JSON.stringify({ auths: { 'https://127.0.0.1:5000': { auth } } }));
    const logger = recordingLogger();
    expect(dockerConfigCredential('127.0.0.1:5000', logger, path)).toEqual({
      kind: 'basic',
      username: 'robot',
      password: 'pa:ss',
    });
    expect(logger.secrets).toContain('pa:ss');
    expect(dockerConfigCredential('127.0.0.1:5001', logger, path)).toBeUndefined();
  });

  it('takes an identity token as a refresh token', () => {
    const path = configWith(
      JSON.stringify({ auths: { '127.0.0.1:5000': { identitytoken: 'refresh-1' } } }),
    );
    expect(dockerConfigCredential('127.0.0.1:5000', recordingLogger(), path)).toEqual({
      kind: 'refresh-token',
      refreshToken: 'refresh-1',
    });
  });

  it('refuses a config that is not JSON, and an auth that is not user:password', () => {
    expect(() => dockerConfigCredential('h', recordingLogger(), configWith('{'))).toThrow(
      UserError,
    );
    const bad = configWith(
      JSON.stringify({ auths: { h: { auth: Buffer.from('nocolon').toString('base64') } } }),
    );
    expect(() => dockerConfigCredential('h', recordingLogger(), bad)).toThrow(
      /is not base64 of user:password/,
    );
    expect(dockerConfigCredential('h', recordingLogger(), join(tmpdir(), 'absent.json'))).toBe(
      undefined,
    );
  });
});
