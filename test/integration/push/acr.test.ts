import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { acrRegistryAccess, ACR_SCOPE } from '../../../shared/clouds/azure/registry.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import { pushImage } from '../../../shared/registry/push-image.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { startAcrDouble, type AcrDouble } from '../../support/acr-double.ts';
import {
  startEntraDouble,
  startGithubOidcDouble,
  type EntraDouble,
  type GithubOidcDouble,
} from '../../support/entra-double.ts';
import { parseFileCommands } from '../../support/actions-env.ts';
import { startProcess } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, skopeoInspect, type TestLayout } from '../../support/layouts.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

describe('ACR token exchange against the Entra and ACR test doubles', () => {
  let registry: LocalRegistry;
  let oidc: GithubOidcDouble;
  let entra: EntraDouble;
  let acr: AcrDouble;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, oidc, layout] = await Promise.all([
      startRegistry({ auth: 'none' }),
      startGithubOidcDouble(),
      buildTestLayout({ modelBytes: 20 * 1024 * 1024 }),
    ]);
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
    acr = await startAcrDouble({
      upstream: registry.url,
      entraKey: entra.publicKey,
      tenantId: entra.tenantId,
    });
  });
  afterAll(async () => {
    layout?.cleanup();
    await Promise.all([acr?.stop(), entra?.stop(), oidc?.stop(), registry?.stop()]);
  });

  it('exchanges an Entra token for a refresh token, then scoped access tokens, and pushes', async () => {
    const masked: string[] = [];
    const logger = { ...silentLogger, secret: (v: string) => masked.push(v) };
    const credential: TokenCredential = {
      getToken: async (scope) => ({
        token: entra.issueToken(CLIENT_ID, String(scope)),
        expiresOnTimestamp: Date.now() + 3600_000,
      }),
    };
    const access = acrRegistryAccess({
      host: acr.host,
      logger,
      credential,
      tenantId: entra.tenantId,
    });
    const registryCredential = await access.credential();
    expect(registryCredential.kind).toBe('refresh-token');
    if (registryCredential.kind !== 'refresh-token') return;
    expect(masked).toContain(registryCredential.refreshToken);
    const [result] = await pushImage({
      layout: layout.layout,
      destinations: [
        {
          name: `${acr.host}/models/acr`,
          client: new RegistryClient({
            registry: acr.host,
            credential: registryCredential,
            logger,
          }),
          repository: 'models/acr',
          policy: uploadPolicyFor('azure'),
          tags: ['1'],
        },
      ],
      sourceClient: async () => {
        throw new Error('no external blobs');
      },
      logger,
    });
    expect(result?.error).toBeUndefined();
    expect(acr.stats.exchanges).toBe(1);
    expect(acr.stats.grantedScopes).toContain('repository:models/acr:pull,push');
    expect((await skopeoInspect(`${registry.host}/models/acr:1`, registry)).digest).toBe(
      layout.layout.top.digest,
    );
  });

  it('refuses a token from another tenant with the registry named', async () => {
    const other = await startEntraDouble({});
    try {
      const credential: TokenCredential = {
        getToken: async (scope) => ({
          token: other.issueToken(CLIENT_ID, String(scope)),
          expiresOnTimestamp: Date.now() + 3600_000,
        }),
      };
      const error = await acrRegistryAccess({ host: acr.host, logger: silentLogger, credential })
        .credential()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toContain(acr.host);
      expect((error as Error).message).toContain('/oauth2/exchange');
    } finally {
      await other.stop();
    }
  });

  it('runs the action with GitHub OIDC federated to Entra (azure-client-id, azure-tenant-id)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'md-acr-action-'));
    const files = {
      GITHUB_OUTPUT: join(work, 'output'),
      GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
      GITHUB_STATE: join(work, 'state'),
      GITHUB_ENV: join(work, 'env'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const entry = fileURLToPath(new URL('../../../actions/push/index.ts', import.meta.url));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: work,
      RUNNER_TEMP: work,
      ...files,
      // MSAL only talks to an https authority; trust the double's self-signed certificate.
      NODE_EXTRA_CA_CERTS: entra.caPath,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
      INPUT_LAYOUT: layout.dir,
      INPUT_DESTINATIONS: `azure:${acr.host}/models/federated`,
      'INPUT_AZURE-CLIENT-ID': CLIENT_ID,
      'INPUT_AZURE-TENANT-ID': entra.tenantId,
      INPUT_TAGS: 'v1',
    };
    const child = startProcess('push-action', process.execPath, [entry], { env });
    const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
    try {
      expect(code, `${child.output()}\nEntra saw: ${entra.paths.join('\n')}`).toBe(0);
      const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
      expect(outputs.digest).toBe(layout.layout.top.digest);
      expect(oidc.audiences).toContain('api://AzureADTokenExchange');
      expect(
        entra.requests.some(
          (r) => r.method === 'client_assertion' && r.granted && r.scope === ACR_SCOPE,
        ),
      ).toBe(true);
      expect((await skopeoInspect(`${registry.host}/models/federated:v1`, registry)).digest).toBe(
        layout.layout.top.digest,
      );
      // Tokens appear only in the runner's add-mask commands, which hide them from then on.
      const masks = child
        .output()
        .split('\n')
        .filter((l) => l.startsWith('::add-mask::'));
      expect(masks.length).toBeGreaterThanOrEqual(3);
      const logged = child
        .output()
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'));
      expect(logged.join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
