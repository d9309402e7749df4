import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { formatArgvFindings, watchArgv } from '../../support/argv-watch.ts';
import { startProcess, waitFor } from '../../support/processes.ts';

const secret = 'argv-watch-secret-7Qm2Zr9K';

async function exited(process: { child: import('node:child_process').ChildProcess }) {
  if (process.child.exitCode === null && process.child.signalCode === null) {
    await once(process.child, 'exit');
  }
}

describe('argv watch', () => {
  it("catches a secret in a child's argv while it runs", async () => {
    const watch = watchArgv({
      rootPid: process.pid,
      secrets: [{ label: 'password', value: secret }],
    });
    const child = startProcess('sh with a secret argument', 'sh', ['-c', 'sleep 0.5', secret]);
    await exited(child);
    const report = watch.stop();
    // The shell's fork before it execs sleep briefly carries the same argv,
    // so a second finding for that short-lived copy is right, not noise.
    expect(report.findings).toContainEqual({
      pid: child.pid,
      secret: 'password',
      form: 'raw',
      argv: ['sh', '-c', 'sleep 0.5', '«password:raw»'],
    });
    for (const finding of report.findings) {
      expect(finding.argv).toEqual(['sh', '-c', 'sleep 0.5', '«password:raw»']);
    }
    expect(formatArgvFindings(report.findings)).not.toContain(secret);
    expect(report.commands).toEqual(expect.arrayContaining(['sh', 'sleep']));
    expect(report.samples).toBeGreaterThan(1);
  });

  it('catches an encoded secret in a grandchild', async () => {
    const basic = Buffer.from(`robot:${secret}`).toString('base64');
    const watch = watchArgv({ rootPid: process.pid, secrets: [secret] });
    const child = startProcess('nested shells', 'sh', [
      '-c',
      'sh -c "sleep 0.4" "$1"',
      'outer',
      `--auth=${basic}`,
    ]);
    await exited(child);
    const report = watch.stop();
    expect(report.findings.map((f) => f.form)).toContain('base64');
    // The outer shell carries it as $1 too (and so does its fork before exec): all are reported.
    expect(new Set(report.findings.map((f) => f.pid)).size).toBeGreaterThanOrEqual(2);
  });

  it('follows a child that daemonises away from its parent but stays in its process group', async () => {
    const watch = watchArgv({ rootPid: process.pid, secrets: [secret] });
    // The leader exits after 0.3 s; its background subshell, re-parented away from the
    // tree, later puts the secret (from the environment, not argv) into an argv.
    const leader = startProcess(
      'daemonising shell',
      'sh',
      ['-c', '(sleep 0.6; exec sh -c "sleep 0.4" "$LATER") & sleep 0.3'],
      { env: { ...process.env, LATER: secret } },
    );
    try {
      await exited(leader);
      await waitFor('the orphan to exec', async () => watch.peek().findings.length > 0, 5000, 20);
      const [finding] = watch.stop().findings;
      expect(finding?.pid).not.toBe(leader.pid);
      expect(finding?.argv).toEqual(['sh', '-c', 'sleep 0.4', '«secret #1:raw»']);
    } finally {
      // Ends the whole group, the orphan included.
      await leader.stop();
    }
  });

  it('does not flag a child that reads the secret from stdin', async () => {
    const watch = watchArgv({ rootPid: process.pid, secrets: [secret] });
    // startProcess has no stdin, so this short-lived child is spawned directly and awaited.
    const child = spawn('sh', ['-c', 'sleep 0.3; sha256sum'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(secret);
    const [code] = await once(child, 'exit');
    const report = watch.stop();
    expect(code).toBe(0);
    // The child really got the secret.
    expect(output.split(' ')[0]).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(report.commands).toEqual(expect.arrayContaining(['sh', 'sleep']));
    expect(report.findings).toEqual([]);
  });

  it('ignores processes outside the watched tree', async () => {
    const outside = startProcess('unrelated', 'sh', ['-c', 'sleep 0.4', secret]);
    const watch = watchArgv({ rootPid: outside.pid + 1_000_000, secrets: [secret] });
    await exited(outside);
    const report = watch.stop();
    expect(report.findings).toEqual([]);
    expect(report.processesSeen).toBe(0);
  });
});
