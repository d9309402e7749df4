import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigConnection } from '../../../../shared/clouds/generic/cluster.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-auth-provider-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An OIDC ID token (unsigned: the client only reads its expiry). */
const idToken = (exp: number) =>
  `${b64url({ alg: 'none' })}.${b64url({ iss: 'https://issuer.example', exp })}.c2ln`;

function write(user: Record<string, unknown>): string {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://k:6443' } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}

describe('a kubeconfig user with a legacy auth-provider', () => {
  it("signs in with the provider's token through the upstream client, masked", async () => {
    const token = idToken(Math.floor(Date.now() / 1000) + 3600);
    const file = write({
      'auth-provider': {
        name: 'oidc',
        config: { 'id-token': token, 'idp-issuer-url': 'https://issuer.example', 'client-id': 'k' },
      },
    });
    const secrets: string[] = [];
    const logger: Logger = { ...silentLogger, secret: (v) => secrets.push(v) };
    const connection = await kubeconfigConnection(file, { logger });
    expect(connection.server).toBe('https://k:6443');
    expect(connection.token).toBe(token);
    expect(secrets).toContain(token);
    await expect(connection.refresh?.()).resolves.toBe(token);
  });

  it('says so when the provider gives no token', async () => {
    const file = write({ 'auth-provider': { name: 'oidc', config: {} } });
    await expect(kubeconfigConnection(file, { logger: silentLogger })).rejects.toThrow(
      /the auth-provider of kubeconfig:.* gave no token/,
    );
  });
});
