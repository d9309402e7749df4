import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  ClientAssertionCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AZURE_FEDERATION_AUDIENCE,
  azureAccessToken,
  azureCredential,
  githubOidcToken,
} from '../../../../shared/clouds/azure/credentials.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';
import {
  startEntraDouble,
  startGithubOidcDouble,
  type EntraDouble,
  type GithubOidcDouble,
} from '../../../support/entra-double.ts';
import { startProcess } from '../../../support/processes.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

function masking() {
  const secrets: string[] = [];
  const logger: Logger = { ...silentLogger, secret: (v) => secrets.push(v) };
  return { logger, secrets };
}

/** A token service answering every request with `status` and `body`: a test double for broken ones. */
async function answering(status: number, body: string) {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/_apis/token`, close: () => server.close() };
}

describe('githubOidcToken against the GitHub OIDC double', () => {
  let oidc: GithubOidcDouble;
  beforeAll(async () => {
    oidc = await startGithubOidcDouble();
  });
  afterAll(async () => {
    await oidc?.stop();
  });

  it('asks for the audience with the request token and masks the answer', async () => {
    const { logger, secrets } = masking();
    const token = await githubOidcToken('api://AzureADTokenExchange', logger, {
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    });
    expect(oidc.audiences.at(-1)).toBe('api://AzureADTokenExchange');
    // A JWT with the double's subject, signed by its key.
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      aud: string;
    };
    expect(payload).toMatchObject({ sub: oidc.subject, aud: 'api://AzureADTokenExchange' });
    expect(secrets).toEqual([token]);
  });

  it('asks for id-token: write when the job has no OIDC token service', async () => {
    const failure = await githubOidcToken('aud', silentLogger, {}).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe('no GitHub OIDC token is available to this job');
    expect((failure as UserError).hint).toMatch(/permissions: id-token: write/);
  });

  it('reports the status when the token service refuses the request token', async () => {
    await expect(
      githubOidcToken('aud', silentLogger, {
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong',
      }),
    ).rejects.toThrow('the GitHub OIDC token service answered HTTP 401');
  });

  it('says when the token service answers without JSON, or without a token', async () => {
    for (const [body, message] of [
      ['<html>busy</html>', 'the GitHub OIDC token service answered without JSON'],
      ['{"count":0}', 'the GitHub OIDC token service returned no token'],
    ] as const) {
      const service = await answering(200, body);
      try {
        await expect(
          githubOidcToken('aud', silentLogger, {
            ACTIONS_ID_TOKEN_REQUEST_URL: service.url,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
          }),
        ).rejects.toThrow(message);
      } finally {
        service.close();
      }
    }
  });
});

describe('azureCredential', () => {
  it('federates the GitHub OIDC token when given a client and a tenant id', () => {
    const credential = azureCredential({
      clientId: CLIENT_ID,
      tenantId: 'tenant',
      logger: silentLogger,
      env: {},
    });
    expect(credential).toBeInstanceOf(ClientAssertionCredential);
  });

  it('falls back to the default chain (azure/login) with neither', () => {
    expect(azureCredential({ logger: silentLogger, env: {} })).toBeInstanceOf(
      DefaultAzureCredential,
    );
  });

  it('wants the client and tenant id together', () => {
    for (const ids of [{ clientId: CLIENT_ID }, { tenantId: 'tenant' }]) {
      let failure: unknown;
      try {
        azureCredential({ ...ids, logger: silentLogger, env: {} });
      } catch (err) {
        failure = err;
      }
      expect(failure).toBeInstanceOf(UserError);
      expect((failure as UserError).message).toBe(
        'azure-client-id and azure-tenant-id must be given together',
      );
      expect((failure as UserError).hint).toMatch(/federated credential/);
    }
  });
});

describe('azureAccessToken', () => {
  it('returns the token for the scope and masks it', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(String(scope));
        return { token: 'entra-token', expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const { logger, secrets } = masking();
    await expect(azureAccessToken(credential, 'https://x/.default', logger)).resolves.toBe(
      'entra-token',
    );
    expect(scopes).toEqual(['https://x/.default']);
    expect(secrets).toEqual(['entra-token']);
  });

  it('keeps the first line of the identity library failure and says how to sign in', async () => {
    const cause = new Error(
      'ChainedTokenCredential authentication failed.\nCredentialUnavailable…',
    );
    const credential: TokenCredential = {
      getToken: async () => {
        throw cause;
      },
    };
    const failure = await azureAccessToken(credential, 'https://x/.default', silentLogger).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as UserError).message).toBe(
      'could not get an Entra token for https://x/.default: ChainedTokenCredential authentication failed.',
    );
    expect((failure as UserError).hint).toMatch(/azure\/login/);
    expect((failure as UserError).cause).toBe(cause);
  });

  it('refuses an empty token', async () => {
    const credential = { getToken: async () => null } as unknown as TokenCredential;
    await expect(azureAccessToken(credential, 'https://x/.default', silentLogger)).rejects.toThrow(
      'Entra returned no token for https://x/.default',
    );
  });
});

describe('workload identity federation end to end (GitHub OIDC → Entra doubles)', () => {
  let oidc: GithubOidcDouble;
  let entra: EntraDouble;
  beforeAll(async () => {
    oidc = await startGithubOidcDouble();
    entra = await startEntraDouble({
      federated: [
        {
          clientId: CLIENT_ID,
          issuer: oidc.issuer,
          subject: oidc.subject,
          issuerKey: oidc.publicKey,
        },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all([entra?.stop(), oidc?.stop()]);
  });

  it('gets an Entra token with the GitHub OIDC token as client assertion', async () => {
    // MSAL only talks to an https authority; Node trusts the double's certificate only
    // through NODE_EXTRA_CA_CERTS, read at start-up, so this runs in a child process.
    const module = fileURLToPath(
      new URL('../../../../shared/clouds/azure/credentials.ts', import.meta.url),
    );
    const script = [
      `const m = await import(${JSON.stringify(module)});`,
      'const secrets = [];',
      'const logger = { info() {}, debug() {}, warning() {}, error() {}, secret: (v) => secrets.push(v) };',
      'try {',
      `  const credential = m.azureCredential({ clientId: process.argv[1], tenantId: process.argv[2], logger });`,
      `  const token = await m.azureAccessToken(credential, 'https://containerregistry.azure.net/.default', logger);`,
      '  process.stdout.write(JSON.stringify({ token, secrets }));',
      '} catch (err) {',
      '  process.stdout.write(JSON.stringify({ error: err.message }));',
      '}',
    ].join('\n');
    const child = startProcess(
      'azure-credential',
      process.execPath,
      ['--input-type=module', '-e', script, CLIENT_ID, entra.tenantId],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_EXTRA_CA_CERTS: entra.caPath,
          AZURE_AUTHORITY_HOST: entra.authorityHost,
          ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        },
      },
    );
    let stdout = '';
    child.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise((resolve) => child.child.once('exit', resolve));
    const result = JSON.parse(stdout || '{}') as {
      token?: string;
      secrets?: string[];
      error?: string;
    };
    expect(result.error, `${child.output()}\nEntra saw: ${entra.paths.join('\n')}`).toBeUndefined();
    expect(oidc.audiences).toContain(AZURE_FEDERATION_AUDIENCE);
    expect(entra.requests).toContainEqual(
      expect.objectContaining({
        clientId: CLIENT_ID,
        method: 'client_assertion',
        scope: expect.stringContaining('https://containerregistry.azure.net/.default'),
        granted: true,
      }),
    );
    // The Entra token is masked, and so is every GitHub OIDC token fetched on the way
    // (the identity library may ask for the assertion more than once).
    const secrets = result.secrets ?? [];
    expect(secrets.at(-1)).toBe(result.token);
    const audiences = secrets
      .slice(0, -1)
      .map(
        (jwt) =>
          (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { aud: string })
            .aud,
      );
    expect(audiences.length).toBeGreaterThan(0);
    expect(new Set(audiences)).toEqual(new Set([AZURE_FEDERATION_AUDIENCE]));
  });
});
