import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatArgvFindings, watchArgv } from '../../support/argv-watch.ts';
import { startFaultProxy } from '../../support/fault-proxy.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { startProcess } from '../../support/processes.ts';
import {
  startRegistry,
  writeRegistryAuthFile,
  type LocalRegistry,
} from '../../support/registry.ts';
import { requireTool } from '../../support/tools.ts';

/**
 * The argv watcher on a real tool: skopeo given the password on its command
 * line is caught; skopeo given an auth file is not, and was seen running.
 */
describe('argv watch around skopeo', () => {
  let registry: LocalRegistry;
  let dir: string;
  beforeAll(async () => {
    requireTool('skopeo', 'skopeo');
    registry = await startRegistry({ auth: 'basic' });
    await pushBusyboxImage(registry, 'watched/busybox', '1');
    dir = mkdtempSync(join(tmpdir(), 'md-argv-tools-'));
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function inspect(credentials: string[], host = registry.host): Promise<number | null> {
    const child = startProcess('skopeo inspect', 'skopeo', [
      'inspect',
      '--tls-verify=false',
      ...credentials,
      `docker://${host}/watched/busybox:1`,
    ]);
    if (child.child.exitCode === null) await once(child.child, 'exit');
    return child.child.exitCode;
  }

  it('catches the password passed with --creds', async () => {
    const watch = watchArgv({
      rootPid: process.pid,
      secrets: [{ label: 'registry password', value: registry.password! }],
    });
    // Slow manifest answers keep skopeo alive for many samples even on a loaded machine.
    const proxy = await startFaultProxy({ upstream: registry.url });
    proxy.rules.add({ path: /\/manifests\//, fault: { kind: 'delay', headersMs: 400 } });
    let code: number | null;
    try {
      code = await inspect(['--creds', `${registry.username}:${registry.password}`], proxy.host);
    } finally {
      await proxy.stop();
    }
    const report = watch.stop();
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.secret)).toContain('registry password');
    expect(formatArgvFindings(report.findings)).not.toContain(registry.password);
  });

  it('finds nothing when the credentials come from an auth file, and saw skopeo run', async () => {
    const authFile = writeRegistryAuthFile(registry, join(dir, 'auth.json'));
    const watch = watchArgv({
      rootPid: process.pid,
      secrets: [{ label: 'registry password', value: registry.password! }],
    });
    const code = await inspect(['--authfile', authFile]);
    const report = watch.stop();
    expect(code).toBe(0);
    expect(report.commands).toContain('skopeo');
    expect(report.findings, formatArgvFindings(report.findings)).toEqual([]);
  });
});
