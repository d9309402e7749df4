import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as packageRun } from '../../../actions/package/main.ts';
import { formatArgvFindings, watchArgv } from '../../support/argv-watch.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { containersConfPath } from '../../support/podman.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { formatFindings, scanForSecrets } from '../../support/secrets-scan.ts';
import { requireTool } from '../../support/tools.ts';
import { runWithInputs } from '../../support/bad-input-table.ts';

const root = mkdtempSync(join(tmpdir(), 'md-trust-podman-'));
const runnerTemp = join(root, 'runner-temp');
const home = join(root, 'home');
const context = join(root, 'context');
for (const dir of [runnerTemp, home, context]) mkdirSync(dir);
let registry: LocalRegistry;

beforeAll(async () => {
  requireTool('podman', 'podman');
  registry = await startRegistry({ auth: 'basic' });
  await pushBusyboxImage(registry, 'private/busybox', '1');
  writeFileSync(join(context, 'model.bin'), 'weights');
  writeFileSync(
    join(context, 'Dockerfile'),
    `FROM ${registry.host}/private/busybox:1\nCOPY model.bin /models/m/model.bin\n`,
  );
}, 60_000);
afterAll(async () => {
  // The pulled base stays in podman's store otherwise.
  if (registry) {
    await promisify(execFile)('podman', ['rmi', '--force', `${registry.host}/private/busybox:1`], {
      env: { ...process.env, CONTAINERS_CONF: containersConfPath },
    }).catch(() => undefined);
  }
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

const inputs = () => ({
  model: join(context, 'model.bin'),
  name: 'm',
  runtime: 'custom',
  dockerfile: join(context, 'Dockerfile'),
  context,
});
const env = () => ({ RUNNER_TEMP: runnerTemp, HOME: home, CONTAINERS_CONF: containersConfPath });

describe('package, Dockerfile path: the base-image password never in podman argv or on disk after', () => {
  it('fails naming the registry refusal without the credentials (so the login below is what makes it work)', async () => {
    const outcome = await runWithInputs(packageRun, inputs(), env());
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/unauthorized|authentication required|401/i);
  }, 120_000);
  it('builds FROM a private registry with base-image credentials; podman seen, no secret in any argv', async () => {
    const watch = watchArgv({ rootPid: process.pid, secrets: [registry.password!] });
    let outcome;
    let report;
    try {
      outcome = await runWithInputs(
        packageRun,
        {
          ...inputs(),
          'base-image-username': registry.username!,
          'base-image-password': registry.password!,
        },
        env(),
      );
    } finally {
      report = watch.stop();
    }
    expect(outcome.ok, outcome.failure).toBe(true);
    expect(outcome.outputs.digest).toMatch(/^sha256:/);
    expect(report.commands).toContain('podman');
    expect(report.findings, formatArgvFindings(report.findings)).toEqual([]);
    // The login file lived only for the build.
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('md-podman-auth-'))).toEqual([]);
    const findings = scanForSecrets({
      files: [runnerTemp, home, outcome.runnerFiles],
      secrets: [registry.password!],
    });
    expect(findings, formatFindings(findings)).toEqual([]);
    expect(existsSync(join(home, '.config', 'containers', 'auth.json'))).toBe(false);
  }, 120_000);
});
