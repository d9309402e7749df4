import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  execCredentialSource,
  runExecPlugin,
} from '../../../../shared/clouds/generic/exec-credential.ts';
import { UserError } from '../../../../shared/common/errors.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-exec-credential-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin: a node script that prints what `body` returns, after recording its input. */
function plugin(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(path + '.runs')}, JSON.stringify({ info: process.env.KUBERNETES_EXEC_INFO, a: process.env.PLUGIN_A, args: process.argv.slice(2) }) + '\\n');
${body}
`,
  );
  return path;
}
const runs = (path: string) =>
  readFileSync(path + '.runs', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { info: string; a?: string; args: string[] });

const cluster = { server: 'https://k:6443', caData: 'Q0E=' };

describe('runExecPlugin', () => {
  it('passes the request, the cluster when asked, the env and args, and reads the credential', async () => {
    const path = plugin(
      'ok.mjs',
      `process.stdout.write(JSON.stringify({ kind: 'ExecCredential', status: { token: 'tok', expirationTimestamp: '2999-01-01T00:00:00Z' } }));`,
    );
    const credential = await runExecPlugin(
      {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: process.execPath,
        args: [path, 'get-token'],
        env: [{ name: 'PLUGIN_A', value: 'set' }],
        provideClusterInfo: true,
      },
      cluster,
      'kubeconfig:x',
    );
    expect(credential).toEqual({ token: 'tok', expiresAt: Date.parse('2999-01-01T00:00:00Z') });
    const [run] = runs(path);
    expect(run?.a).toBe('set');
    expect(run?.args).toEqual(['get-token']);
    expect(JSON.parse(run!.info)).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: { server: 'https://k:6443', 'certificate-authority-data': 'Q0E=' },
      },
    });
  });

  it('takes a client certificate and key instead of a token', async () => {
    const path = plugin(
      'cert.mjs',
      `process.stdout.write(JSON.stringify({ status: { clientCertificateData: 'CERT', clientKeyData: 'KEY' } }));`,
    );
    await expect(
      runExecPlugin({ command: process.execPath, args: [path] }, cluster, 'x'),
    ).resolves.toEqual({ clientCertificateData: 'CERT', clientKeyData: 'KEY' });
  });

  it('names a plugin that is not installed and gives its install hint', async () => {
    const err = (await runExecPlugin(
      { command: 'no-such-plugin-md', installHint: 'brew install\nno-such-plugin-md' },
      cluster,
      'kubeconfig:x',
    ).catch((e: unknown) => e)) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      'the credential plugin no-such-plugin-md of kubeconfig:x is not installed on this runner',
    );
    expect(err.hint).toBe('brew install no-such-plugin-md');
  });

  it('says how a plugin failed, with the end of what it said, on one line', async () => {
    const path = plugin(
      'fail.mjs',
      `process.stderr.write('error: could not get token:\\nAccessDenied\\n'); process.exit(3);`,
    );
    await expect(
      runExecPlugin({ command: process.execPath, args: [path] }, cluster, 'kubeconfig:x'),
    ).rejects.toThrow(
      `the credential plugin ${process.execPath} of kubeconfig:x failed (exit 3): error: could not get token: AccessDenied`,
    );
  });

  it('refuses output that is not an ExecCredential', async () => {
    const path = plugin('text.mjs', `process.stdout.write('Please sign in at https://x');`);
    await expect(
      runExecPlugin({ command: process.execPath, args: [path] }, cluster, 'x'),
    ).rejects.toThrow(/did not print an ExecCredential/);
  });
});

describe('execCredentialSource', () => {
  it('keeps a credential until near its expiry, and one without expiry for good', async () => {
    const later = plugin(
      'later.mjs',
      `process.stdout.write(JSON.stringify({ status: { token: 't', expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));`,
    );
    const source = execCredentialSource({ command: process.execPath, args: [later] }, cluster, 'x');
    await source();
    await source();
    expect(runs(later)).toHaveLength(1);
    const soon = plugin(
      'soon.mjs',
      `process.stdout.write(JSON.stringify({ status: { token: 't', expirationTimestamp: new Date(Date.now() + 1000).toISOString() } }));`,
    );
    const renewing = execCredentialSource(
      { command: process.execPath, args: [soon] },
      cluster,
      'x',
    );
    await renewing();
    await renewing();
    expect(runs(soon)).toHaveLength(2);
    const never = plugin(
      'never.mjs',
      `process.stdout.write(JSON.stringify({ status: { token: 't' } }));`,
    );
    const kept = execCredentialSource({ command: process.execPath, args: [never] }, cluster, 'x');
    await kept();
    await kept();
    expect(runs(never)).toHaveLength(1);
  });
});
