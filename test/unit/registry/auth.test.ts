import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { Authenticator, basicHeader } from '../../../shared/registry/auth.ts';
import type { RegistryCredential } from '../../../shared/registry/credential.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

describe('Authenticator against a token server', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  function authenticator(credential: RegistryCredential, now?: () => number) {
    const auth = new Authenticator({
      registry: registry.host,
      credential,
      logger: silentLogger,
      insecureHosts: [],
      retry: { attempts: 2, baseDelayMs: 1 },
      ...(now === undefined ? {} : { now }),
    });
    const server = registry.tokenServer!;
    auth.setChallenge({
      scheme: 'bearer',
      params: { realm: server.realm, service: server.service },
    });
    return auth;
  }

  const login = (): RegistryCredential => ({
    kind: 'basic',
    username: registry.username!,
    password: registry.password!,
  });

  it('fetches a token for the scopes asked and reuses it until it expires', async () => {
    let now = 1_000_000;
    const auth = authenticator(login(), () => now);
    const scopes = ['repository:models/a:pull,push'];
    const header = await auth.header(scopes);
    expect(header).toMatch(/^Bearer \S+/);
    expect(await auth.header(scopes)).toBe(header);
    expect(auth.tokenRequests).toBe(1);
    const asked = registry.tokenServer!.requests().at(-1)!;
    expect(JSON.stringify(asked)).toContain('models/a');
    now += 10 * 60_000;
    await auth.header(scopes);
    expect(auth.tokenRequests).toBe(2);
  });

  it('asks once for requests made at the same time', async () => {
    const auth = authenticator(login());
    const scopes = ['repository:models/b:pull'];
    const headers = await Promise.all([auth.header(scopes), auth.header(scopes)]);
    expect(headers[0]).toBe(headers[1]);
    expect(auth.tokenRequests).toBe(1);
  });

  it('reports refused credentials without retrying them', async () => {
    const auth = authenticator({ kind: 'basic', username: registry.username!, password: 'wrong' });
    const err = await auth.header(['repository:models/c:push']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/refused the credentials \(HTTP 401/);
    expect((err as UserError).hint).toMatch(/username and password/);
    expect(auth.tokenRequests).toBe(1);
  });
});

describe('Authenticator without a token service', () => {
  it('sends a bearer credential as it is, and Basic to a Basic challenge', async () => {
    const bearer = new Authenticator({
      registry: '127.0.0.1:1',
      credential: { kind: 'bearer', token: 'tok' },
      logger: silentLogger,
      insecureHosts: [],
    });
    expect(await bearer.header([])).toBe('Bearer tok');
    const basic = new Authenticator({
      registry: '127.0.0.1:1',
      credential: { kind: 'basic', username: 'u', password: 'p' },
      logger: silentLogger,
      insecureHosts: [],
    });
    expect(await basic.header([])).toBeUndefined();
    basic.setChallenge({ scheme: 'basic', params: {} });
    expect(await basic.header([])).toBe(basicHeader('u', 'p'));
    expect(basicHeader('u', 'p')).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
