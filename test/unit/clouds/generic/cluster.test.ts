import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cloudOfServer,
  connectionFromKubeconfig,
  kubeconfigConnection,
} from '../../../../shared/clouds/generic/cluster.ts';
import { readKubeconfigText } from '../../../../shared/clouds/generic/kubeconfig.ts';
import { InputError, UserError } from '../../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../../shared/common/logger.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(
  cluster: Record<string, unknown>,
  user: Record<string, unknown>,
  currentContext = 'ctx',
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': currentContext,
  });
}

function recording() {
  const secrets: string[] = [];
  const warnings: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    secret: (v) => secrets.push(v),
    warning: (m) => warnings.push(m),
  };
  return { logger, secrets, warnings };
}

let dir: string;
const saved = { ...process.env };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-generic-cluster-'));
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('kubeconfigConnection from a named file', () => {
  it('reads server, CA and token, masks the token and names the source', async () => {
    const file = write(
      'token.yaml',
      kubeconfig(
        { server: 'https://10.1.2.3:6443', 'certificate-authority-data': b64(CA) },
        { token: 'sa-token-123' },
      ),
    );
    const { logger, secrets } = recording();
    const connection = await kubeconfigConnection(file, { logger });
    expect(connection).toEqual({
      server: 'https://10.1.2.3:6443',
      cloud: 'generic',
      displayName: `kubeconfig:${file}`,
      caData: CA,
      token: 'sa-token-123',
    });
    expect(secrets).toEqual(['sa-token-123']);
  });

  it('resolves a relative path against GITHUB_WORKSPACE', async () => {
    mkdirSync(join(dir, 'ws'), { recursive: true });
    write('ws/kc.yaml', kubeconfig({ server: 'https://k.example:443' }, { token: 't' }));
    process.env.GITHUB_WORKSPACE = join(dir, 'ws');
    const connection = await kubeconfigConnection('./kc.yaml', { logger: silentLogger });
    expect(connection.server).toBe('https://k.example:443');
    expect(connection.displayName).toBe('kubeconfig:./kc.yaml');
  });

  it('names the input and gives an example when the file does not exist', async () => {
    const failure = await kubeconfigConnection('./nope.yaml', { logger: silentLogger }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).input).toBe('cluster');
    expect((failure as InputError).message).toBe(
      "input 'cluster' names the kubeconfig './nope.yaml', which does not exist (for example: kubeconfig:./kubeconfig)",
    );
  });

  it('says a file that is not a kubeconfig is not one', async () => {
    const file = write('broken.yaml', 'clusters: [this is: not, {a kubeconfig');
    const failure = await kubeconfigConnection(file, { logger: silentLogger }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).message).toMatch(
      new RegExp(`^input 'cluster' names '${file}', which is not a valid kubeconfig: `),
    );
    expect((failure as InputError).message).toMatch(/kubectl config view --raw/);
  });
});

describe('kubeconfigConnection from the runner', () => {
  it('uses KUBECONFIG when no file is named', async () => {
    process.env.KUBECONFIG = write(
      'runner.yaml',
      kubeconfig({ server: 'https://abc.gr7.eu-west-1.eks.amazonaws.com' }, { token: 'tok' }),
    );
    const connection = await kubeconfigConnection(undefined, { logger: silentLogger });
    expect(connection.displayName).toBe('kubeconfig');
    expect(connection.cloud).toBe('aws');
  });

  it("merges KUBECONFIG's files as kubectl does, skipping those that do not exist", async () => {
    const users = write(
      'users.yaml',
      stringify({ users: [{ name: 'u', user: { token: 'from-second' } }] }),
    );
    const main = write(
      'main.yaml',
      stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://k:6443' } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
    );
    process.env.KUBECONFIG = [join(dir, 'missing.yaml'), main, users].join(':');
    const connection = await kubeconfigConnection(undefined, { logger: silentLogger });
    expect(connection).toMatchObject({ server: 'https://k:6443', token: 'from-second' });
  });

  it('reads a token file again on every refresh (projected tokens rotate)', async () => {
    const tokenFile = write('token', 'first\n');
    process.env.KUBECONFIG = write(
      'token-file.yaml',
      kubeconfig({ server: 'https://k:6443' }, { tokenFile }),
    );
    const { logger, secrets } = recording();
    const connection = await kubeconfigConnection(undefined, { logger });
    expect(connection.token).toBe('first');
    writeFileSync(tokenFile, 'second');
    await expect(connection.refresh?.()).resolves.toBe('second');
    expect(secrets).toEqual(['first', 'second']);
  });

  it('refuses basic authentication, which Kubernetes no longer accepts', async () => {
    process.env.KUBECONFIG = write(
      'basic.yaml',
      kubeconfig({ server: 'https://k:6443' }, { username: 'admin', password: 'p' }),
    );
    await expect(kubeconfigConnection(undefined, { logger: silentLogger })).rejects.toThrow(
      'kubeconfig signs in with a user name and password, which Kubernetes no longer accepts',
    );
  });

  it('asks for a cluster input when the runner has no kubeconfig', async () => {
    delete process.env.KUBECONFIG;
    process.env.HOME = join(dir, 'empty-home');
    const failure = await kubeconfigConnection(undefined, { logger: silentLogger }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).message).toMatch(
      /^input 'cluster' was not given and this runner has no KUBECONFIG \(for example: eks:/,
    );
  });
});

describe('connectionFromKubeconfig', () => {
  const load = (text: string) => readKubeconfigText(text, dir);

  it('refuses a kubeconfig without a current context', async () => {
    const kc = load(kubeconfig({ server: 'https://k:6443' }, { token: 't' }, 'missing'));
    await expect(
      connectionFromKubeconfig(kc, 'kubeconfig:x', { logger: silentLogger }),
    ).rejects.toThrow(
      new UserError('kubeconfig:x has no current context with a cluster', {
        hint: 'set current-context in the kubeconfig',
      }),
    );
  });

  it('refuses insecure-skip-tls-verify unless the step accepts the risk', async () => {
    const kc = load(
      kubeconfig({ server: 'https://k:6443', 'insecure-skip-tls-verify': true }, { token: 't' }),
    );
    const refused = await connectionFromKubeconfig(kc, 'kubeconfig:x', {
      logger: silentLogger,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).message).toMatch(
      /^kubeconfig:x sets insecure-skip-tls-verify for https:\/\/k:6443/,
    );
    expect((refused as UserError).hint).toMatch(/certificate-authority-data/);
    const { logger, warnings } = recording();
    const connection = await connectionFromKubeconfig(kc, 'kubeconfig:x', {
      logger,
      allowInsecureKubeconfig: true,
    });
    expect(connection.skipTlsVerify).toBe(true);
    expect(warnings).toEqual([
      "kubeconfig:x: the API server's certificate is not checked (insecure-skip-tls-verify)",
    ]);
  });

  it('takes a client certificate and key from files and masks the key', async () => {
    const kc = load(
      kubeconfig(
        {
          server: 'https://x.hcp.westeurope.azmk8s.io:443',
          'certificate-authority': write('ca.pem', CA),
        },
        {
          'client-certificate': write('client.pem', CERT),
          'client-key': write('client.key', KEY),
        },
      ),
    );
    const { logger, secrets } = recording();
    const connection = await connectionFromKubeconfig(kc, 'kubeconfig:x', { logger });
    expect(connection).toMatchObject({
      caData: CA,
      clientCertData: CERT,
      clientKeyData: KEY,
      cloud: 'azure',
    });
    expect(connection.token).toBeUndefined();
    expect(secrets).toEqual([KEY]);
  });

  it('ignores a certificate without its key', async () => {
    const kc = load(
      kubeconfig({ server: 'https://k:6443' }, { 'client-certificate-data': b64(CERT) }),
    );
    const connection = await connectionFromKubeconfig(kc, 'x', { logger: silentLogger });
    expect(connection.clientCertData).toBeUndefined();
  });

  it('takes the cloud it is told over the guess from the server', async () => {
    const kc = load(kubeconfig({ server: 'https://10.0.0.1' }, { token: 't' }));
    const connection = await connectionFromKubeconfig(kc, 'x', { logger: silentLogger }, 'gcp');
    expect(connection.cloud).toBe('gcp');
  });

  it('runs an exec credential plugin for the token, masks it and runs it again on refresh', async () => {
    const counter = join(dir, 'exec-count');
    const plugin = write(
      'plugin.mjs',
      `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const n = existsSync(${JSON.stringify(counter)}) ? Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1 : 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  kind: 'ExecCredential',
  status: { token: 'exec-token-' + n, expirationTimestamp: '2000-01-01T00:00:00Z' },
}));
`,
    );
    const kc = load(
      kubeconfig(
        { server: 'https://gke.example.gke.goog' },
        {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: process.execPath,
            args: [plugin],
            interactiveMode: 'Never',
          },
        },
      ),
    );
    const { logger, secrets } = recording();
    const connection = await connectionFromKubeconfig(kc, 'kubeconfig:x', { logger });
    expect(connection.cloud).toBe('gcp');
    expect(connection.token).toBe('exec-token-1');
    // The credential expired long ago, so the plugin runs again.
    await expect(connection.refresh?.()).resolves.toBe('exec-token-2');
    expect(secrets).toEqual(['exec-token-1', 'exec-token-2']);
  });

  it('says when the credential plugin gives no token', async () => {
    const plugin = write(
      'empty-plugin.mjs',
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: '' } }));\n`,
    );
    const kc = load(
      kubeconfig(
        { server: 'https://k:6443' },
        {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: process.execPath,
            args: [plugin],
          },
        },
      ),
    );
    await expect(
      connectionFromKubeconfig(kc, 'kubeconfig:x', { logger: silentLogger }),
    ).rejects.toThrow(new UserError('the credential plugin of kubeconfig:x gave no token'));
  });
});

describe('cloudOfServer', () => {
  it('guesses the cloud from the API server host, else generic', () => {
    expect(cloudOfServer('https://ABC.gr7.us-east-1.eks.amazonaws.com')).toBe('aws');
    expect(cloudOfServer('https://md-abc.hcp.westeurope.azmk8s.io:443')).toBe('azure');
    expect(cloudOfServer('https://34.1.2.3.gke.goog')).toBe('gcp');
    expect(cloudOfServer('https://10.0.0.1:6443')).toBe('generic');
    expect(cloudOfServer('not a url')).toBe('generic');
  });
});
