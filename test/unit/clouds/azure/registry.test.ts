import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_SCOPE, acrRegistryAccess } from '../../../../shared/clouds/azure/registry.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import { startAcrDouble, type AcrDouble } from '../../../support/acr-double.ts';
import { startEntraDouble, type EntraDouble } from '../../../support/entra-double.ts';
import { startRegistry, type LocalRegistry } from '../../../support/registry.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

function masking() {
  const secrets: string[] = [];
  const logger: Logger = { ...silentLogger, secret: (v) => secrets.push(v) };
  return { logger, secrets };
}

/** Entra tokens minted by `entra` for whatever scope is asked, recording the scopes. */
function entraCredential(entra: EntraDouble): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: async (scope) => {
      scopes.push(String(scope));
      return {
        token: entra.issueToken(CLIENT_ID, String(scope)),
        expiresOnTimestamp: Date.now() + 3600_000,
      };
    },
  };
}

/**
 * A scripted ACR token endpoint, a test double for answers the ACR double does not
 * give: each POST /oauth2/exchange takes the next answer.
 */
async function scriptedExchange(answers: Array<{ status: number; body: string }>) {
  const forms: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      forms.push(new URLSearchParams(body));
      const answer = answers.shift() ?? { status: 500, body: 'no more answers' };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { host: `127.0.0.1:${port}`, forms, close: () => server.close() };
}

const fixed: TokenCredential = {
  getToken: async () => ({ token: 'aad-token', expiresOnTimestamp: Date.now() + 3600_000 }),
};

describe('ACR access against the Entra and ACR doubles', () => {
  let registry: LocalRegistry;
  let entra: EntraDouble;
  let acr: AcrDouble;
  beforeAll(async () => {
    [registry, entra] = await Promise.all([startRegistry({ auth: 'none' }), startEntraDouble({})]);
    acr = await startAcrDouble({
      upstream: registry.url,
      entraKey: entra.publicKey,
      tenantId: entra.tenantId,
    });
  });
  afterAll(async () => {
    await Promise.all([acr?.stop(), entra?.stop(), registry?.stop()]);
  });

  it('exchanges an Entra token for the registry scope for a refresh token, masked', async () => {
    const credential = entraCredential(entra);
    const { logger, secrets } = masking();
    const access = acrRegistryAccess({
      host: acr.host,
      logger,
      credential,
      tenantId: entra.tenantId,
    });
    const result = await access.credential();
    expect(credential.scopes).toEqual([ACR_SCOPE]);
    expect(ACR_SCOPE).toBe('https://containerregistry.azure.net/.default');
    if (result.kind !== 'refresh-token')
      throw new Error(`expected refresh-token, got ${result.kind}`);
    expect(result.refreshToken).toMatch(/^[0-9a-f]{48}$/);
    expect(acr.stats.exchanges).toBe(1);
    // Both the Entra token and the refresh token are secrets.
    expect(secrets).toHaveLength(2);
    expect(secrets[1]).toBe(result.refreshToken);
    expect(secrets[0]).toMatch(/^eyJ/);
  });

  it('names the registry, the endpoint and the role when the exchange is refused', async () => {
    const other = await startEntraDouble({});
    try {
      const access = acrRegistryAccess({
        host: acr.host,
        logger: silentLogger,
        credential: entraCredential(other),
      });
      const failure = await access.credential().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(UserError);
      expect((failure as UserError).message).toMatch(
        new RegExp(
          `^registry ${acr.host.replace(/\./g, '\\.')} refused the Entra token at /oauth2/exchange \\(HTTP 401\\) .*the access token is not valid for this registry`,
        ),
      );
      expect((failure as UserError).hint).toMatch(/AcrPush/);
    } finally {
      await other.stop();
    }
  });

  it('passes the failure to get an Entra token on, with how to sign in', async () => {
    const access = acrRegistryAccess({
      host: acr.host,
      logger: silentLogger,
      credential: {
        getToken: async () => {
          throw new Error('AzureCliCredential: Please run az login');
        },
      },
    });
    const failure = await access.credential().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as UserError).message).toBe(
      `could not get an Entra token for ${ACR_SCOPE}: AzureCliCredential: Please run az login`,
    );
    expect((failure as UserError).hint).toMatch(/azure\/login/);
  });
});

describe('ACR access against odd token exchange answers', () => {
  it('sends the documented form, with the tenant when given', async () => {
    const exchange = await scriptedExchange([{ status: 200, body: '{"refresh_token":"r1"}' }]);
    try {
      await acrRegistryAccess({
        host: exchange.host,
        logger: silentLogger,
        credential: fixed,
        tenantId: 'tenant-1',
        insecureHosts: [exchange.host],
      }).credential();
      expect(Object.fromEntries(exchange.forms[0]!)).toEqual({
        grant_type: 'access_token',
        service: exchange.host,
        access_token: 'aad-token',
        tenant: 'tenant-1',
      });
    } finally {
      exchange.close();
    }
  });

  it('tries again after a server error', async () => {
    const exchange = await scriptedExchange([
      { status: 503, body: '{}' },
      { status: 200, body: '{"refresh_token":"r2"}' },
    ]);
    try {
      const result = await acrRegistryAccess({
        host: exchange.host,
        logger: silentLogger,
        credential: fixed,
        insecureHosts: [exchange.host],
      }).credential();
      expect(result).toEqual({ kind: 'refresh-token', refreshToken: 'r2' });
      expect(exchange.forms).toHaveLength(2);
      expect(exchange.forms[1]!.has('tenant')).toBe(false);
    } finally {
      exchange.close();
    }
  });

  it('says when the exchange answers without JSON or without a refresh token', async () => {
    for (const [body, message] of [
      ['<html>gateway</html>', 'answered without JSON'],
      ['{"access_token":"a"}', 'returned no refresh token'],
    ] as const) {
      const exchange = await scriptedExchange([{ status: 200, body }]);
      try {
        await expect(
          acrRegistryAccess({
            host: exchange.host,
            logger: silentLogger,
            credential: fixed,
            insecureHosts: [exchange.host],
          }).credential(),
        ).rejects.toThrow(`the ACR token exchange at ${exchange.host} ${message}`);
        // Not a server error: no second attempt.
        expect(exchange.forms).toHaveLength(1);
      } finally {
        exchange.close();
      }
    }
  });

  it('keeps a refusal on one line, whatever the registry sent', async () => {
    const exchange = await scriptedExchange([
      { status: 403, body: 'denied\n::error::fake\r\nmore' },
    ]);
    try {
      const failure = await acrRegistryAccess({
        host: exchange.host,
        logger: silentLogger,
        credential: fixed,
        insecureHosts: [exchange.host],
      })
        .credential()
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect((failure as UserError).message).toBe(
        `registry ${exchange.host} refused the Entra token at /oauth2/exchange (HTTP 403) denied ::error::fake more`,
      );
    } finally {
      exchange.close();
    }
  });
});
