import { X509Certificate, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { parseScope } from '../../support/token-server.ts';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function decode(token: string): {
  header: { alg: string; x5c: string[] };
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
} {
  const [header, claims, signature] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()),
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

describe('the token server', () => {
  let registry: LocalRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const tokenUrl = (params: Record<string, string | string[]>) => {
    const url = new URL(registry.tokenServer!.realm);
    for (const [k, v] of Object.entries(params)) {
      for (const value of [v].flat()) url.searchParams.append(k, value);
    }
    return url;
  };

  it('issues an RS256 JWT for the registry, signed by the key its certificate holds', async () => {
    const res = await fetch(
      tokenUrl({
        service: registry.tokenServer!.service,
        scope: ['repository:models/a:pull,push', 'repository:models/b:pull'],
        account: registry.username!,
      }),
      { headers: { authorization: basic(registry.username!, registry.password!) } },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.access_token).toBe(body.token);
    const { header, claims, signingInput, signature } = decode(body.token);
    expect(header.alg).toBe('RS256');
    expect(claims).toMatchObject({
      iss: registry.tokenServer!.issuer,
      aud: registry.tokenServer!.service,
      sub: registry.username,
      access: [
        { type: 'repository', name: 'models/a', actions: ['pull', 'push'] },
        { type: 'repository', name: 'models/b', actions: ['pull'] },
      ],
    });
    expect(claims.exp as number).toBeGreaterThan(claims.iat as number);
    const certificate = new X509Certificate(Buffer.from(header.x5c[0]!, 'base64'));
    expect(verify('sha256', Buffer.from(signingInput), certificate.publicKey, signature)).toBe(
      true,
    );
    // The certificate in the header is the one the registry trusts.
    const bundle = new X509Certificate(readFileSync(registry.tokenServer!.certificatePath));
    expect(
      bundle.publicKey
        .export({ format: 'der', type: 'spki' })
        .equals(certificate.publicKey.export({ format: 'der', type: 'spki' })),
    ).toBe(true);
    expect(registry.tokenServer!.requests().at(-1)?.account).toBe(registry.username);
  });

  it('refuses wrong credentials with 401', async () => {
    const res = await fetch(tokenUrl({ scope: 'repository:models/a:pull' }), {
      headers: { authorization: basic(registry.username!, 'wrong') },
    });
    expect(res.status).toBe(401);
  });

  it('grants nothing to an anonymous client', async () => {
    const res = await fetch(tokenUrl({ scope: 'repository:models/a:pull' }));
    expect(res.status).toBe(200);
    const { claims } = decode(((await res.json()) as { token: string }).token);
    expect(claims.access).toEqual([]);
  });

  it('refuses a token for another service', async () => {
    const res = await fetch(tokenUrl({ service: 'elsewhere', scope: 'repository:a:pull' }), {
      headers: { authorization: basic(registry.username!, registry.password!) },
    });
    expect(res.status).toBe(400);
  });

  it('accepts the OAuth2 password grant by POST', async () => {
    const res = await fetch(registry.tokenServer!.realm, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: registry.username!,
        password: registry.password!,
        service: registry.tokenServer!.service,
        scope: 'repository:models/a:push',
      }),
    });
    expect(res.status).toBe(200);
    const { claims } = decode(((await res.json()) as { token: string }).token);
    expect(claims.access).toEqual([{ type: 'repository', name: 'models/a', actions: ['push'] }]);
  });
});

describe('parseScope', () => {
  it('splits type, name and actions, keeping slashes in names', () => {
    expect(parseScope('repository:org/team/model:pull,push')).toEqual({
      type: 'repository',
      name: 'org/team/model',
      actions: ['pull', 'push'],
    });
    expect(parseScope('registry:catalog:*')).toEqual({
      type: 'registry',
      name: 'catalog',
      actions: ['*'],
    });
    expect(parseScope('nonsense')).toBeUndefined();
  });
});
