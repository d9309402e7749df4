import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../actions/push/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import {
  formatFindings,
  isMaskCommand,
  scanForSecrets,
  type Secret,
} from '../../support/secrets-scan.ts';
import { buildTestLayout, type TestLayout } from '../../support/layouts.ts';

/**
 * The push action, in debug mode, against a token-auth registry behind the
 * fault proxy (a token expiring mid-push and a 503 burst make it log retries
 * and re-authentication, where leaks tend to happen), and once with a wrong
 * password. Nothing it prints or writes may hold the password, the Basic
 * header, or any Bearer token it was given.
 */
describe('push action output holds no credential', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth: 'token' }),
      buildTestLayout({ modelBytes: 3 * 1024 * 1024 }),
    ]);
    proxy = await startFaultProxy({ upstream: registry.url, recordAuthorization: true });
  });
  afterAll(async () => {
    layout?.cleanup();
    await proxy?.stop();
    await registry?.stop();
  });

  async function pushCapturing(password: string): Promise<{
    ok: boolean;
    stdout: string;
    stderr: string;
    files: Record<string, string>;
  }> {
    const out: string[] = [];
    const err: string[] = [];
    const env = withActionEnv(
      {
        layout: layout.dir,
        destinations: `${proxy.host}/secrets/push`,
        username: registry.username!,
        password,
      },
      { RUNNER_DEBUG: '1', MODEL_DEPLOY_DEBUG: 'true' },
    );
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    try {
      const ok = await run();
      const files = Object.fromEntries(
        ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE']
          .filter((name) => process.env[name])
          .map((name) => [name, safeRead(process.env[name]!)]),
      );
      return { ok, stdout: out.join(''), stderr: err.join(''), files };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      env.restore();
    }
  }

  function credentialsSeen(password: string): Secret[] {
    const secrets: Secret[] = [
      { label: 'registry password', value: password },
      {
        label: 'Basic credentials',
        value: Buffer.from(`${registry.username}:${password}`).toString('base64'),
      },
    ];
    const tokens = new Set(
      proxy
        .stats()
        .log.map((entry) => entry.authorization)
        .filter((value): value is string => value?.startsWith('Bearer ') === true)
        .map((value) => value.slice('Bearer '.length)),
    );
    for (const token of tokens) secrets.push({ label: 'registry bearer token', value: token });
    return secrets;
  }

  it('prints no password or token through retries and a token expiring mid-push', async () => {
    proxy.rules.clear();
    proxy.rules.add({
      method: 'PUT',
      path: /\/blobs\/uploads\//,
      nth: 2,
      fault: { kind: 'expire-token' },
    });
    proxy.rules.add({
      method: 'HEAD',
      path: /\/blobs\//,
      times: 2,
      fault: { kind: 'status', status: 503 },
    });
    const result = await pushCapturing(registry.password!);
    expect(result.ok, result.stdout).toBe(true);
    expect(proxy.stats().rules.every((r) => r.fired > 0)).toBe(true);
    const secrets = credentialsSeen(registry.password!);
    // The run really used Bearer tokens: at least the first and the refreshed one.
    expect(
      secrets.filter((s) => s.label === 'registry bearer token').length,
    ).toBeGreaterThanOrEqual(2);
    const findings = scanForSecrets({
      streams: { stdout: result.stdout, stderr: result.stderr, ...result.files },
      secrets,
      ignoreLine: isMaskCommand,
    });
    expect(findings, formatFindings(findings)).toEqual([]);
    // And the password was handed to the runner to mask.
    expect(result.stdout).toContain(`::add-mask::${registry.password}`);
  });

  it('prints no password when the registry refuses it', async () => {
    proxy.rules.clear();
    const wrong = `wrong-${registry.password}`;
    const result = await pushCapturing(wrong);
    expect(result.ok).toBe(false);
    expect(result.stdout).toMatch(/::error::/);
    const findings = scanForSecrets({
      streams: { stdout: result.stdout, stderr: result.stderr, ...result.files },
      secrets: credentialsSeen(wrong),
      ignoreLine: isMaskCommand,
    });
    expect(findings, formatFindings(findings)).toEqual([]);
  });
});

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
