import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePort, startProcess, waitFor, type ManagedProcess } from './processes.ts';
import type { TokenRequestRecord, TokenServerConfig } from './token-server.ts';
import { requireTool } from './tools.ts';

const execFileAsync = promisify(execFile);

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface TokenServerHandle {
  /** The realm the registry sends clients to, e.g. http://127.0.0.1:PORT/token */
  realm: string;
  service: string;
  issuer: string;
  /** The registry's rootcertbundle: the certificate of the token signing key. */
  certificatePath: string;
  /** Every token request so far, oldest first (scopes asked for, what was granted). */
  requests(): TokenRequestRecord[];
}

export interface LocalRegistry {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT, as used in image references. */
  host: string;
  auth: RegistryAuth;
  username?: string;
  password?: string;
  storageDir: string;
  /** Token mode with `readOnlyUser`: a user granted only `pull`. */
  readOnly?: { username: string; password: string };
  /** Present in `token` mode. */
  tokenServer?: TokenServerHandle;
  /** PIDs of the processes behind it (registry, token server), to check that stop() ended them. */
  pids: number[];
  /** Registry log so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  auth?: RegistryAuth;
  /** Token mode: actions granted without credentials (default none, so anonymous pulls are refused). */
  anonymousActions?: string[];
  /** Token mode: also create a user that may only pull (to test denied pushes). */
  readOnlyUser?: boolean;
}

/** What a client needs to reach a registry; a LocalRegistry is one. */
export type RegistryCredentials = Pick<LocalRegistry, 'host' | 'username' | 'password'>;

/**
 * Writes a containers-auth.json (the format skopeo, podman and docker read)
 * with mode 0600 and returns its path, so credentials never go through argv.
 */
export function writeRegistryAuthFile(registry: RegistryCredentials, path: string): string {
  const auths: Record<string, { auth: string }> = {};
  if (registry.username !== undefined) {
    const auth = Buffer.from(`${registry.username}:${registry.password ?? ''}`).toString('base64');
    auths[registry.host] = { auth };
  }
  writeFileSync(path, JSON.stringify({ auths }), { mode: 0o600 });
  return path;
}

/**
 * The token server is TypeScript run directly, which needs Node 23.6 or later:
 * the Node running the tests, or else the project's node@24 devDependency.
 */
export function nodeWithTypeStripping(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 23 || (major === 23 && minor >= 6)) return process.execPath;
  return fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
}

const tokenServerScript = fileURLToPath(new URL('./token-server.ts', import.meta.url));

/**
 * Starts the CNCF distribution registry (Debian `docker-registry`) on a free
 * 127.0.0.1 port with filesystem storage in a temp folder, deletes enabled,
 * and the requested auth: none, htpasswd Basic, or JWT Bearer tokens from a
 * local token server.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  requireTool('docker-registry', 'docker-registry');
  const auth = options.auth ?? 'none';
  const workDir = mkdtempSync(join(tmpdir(), 'md-registry-'));
  const storageDir = join(workDir, 'storage');
  const username = auth === 'none' ? undefined : 'md-test';
  const password = auth === 'none' ? undefined : randomBytes(12).toString('hex');
  const started: ManagedProcess[] = [];

  const stopAll = async () => {
    for (const p of started.reverse()) await p.stop();
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    let authConfig: Record<string, unknown> | undefined;
    let tokenServer: TokenServerHandle | undefined;
    let readOnly: LocalRegistry['readOnly'];
    if (options.readOnlyUser && auth !== 'token') {
      throw new Error('readOnlyUser needs auth: token (htpasswd has no per-user permissions)');
    }
    if (auth === 'basic') {
      requireTool('htpasswd', 'apache2-utils');
      const htpasswdPath = join(workDir, 'htpasswd');
      writeFileSync(htpasswdPath, await bcryptEntry(username!, password!), { mode: 0o600 });
      authConfig = { htpasswd: { realm: 'md-test-registry', path: htpasswdPath } };
    } else if (auth === 'token') {
      requireTool('openssl', 'openssl');
      if (options.readOnlyUser) {
        readOnly = { username: 'md-reader', password: randomBytes(12).toString('hex') };
      }
      const users = {
        [username!]: password!,
        ...(readOnly && { [readOnly.username]: readOnly.password }),
      };
      const token = await startTokenServer(workDir, users, options, readOnly?.username);
      started.push(token.process);
      tokenServer = token.handle;
      authConfig = {
        token: {
          realm: token.handle.realm,
          service: token.handle.service,
          issuer: token.handle.issuer,
          rootcertbundle: token.certificatePath,
        },
      };
    }

    const { process: registry, port } = await startRegistryProcess(workDir, storageDir, authConfig);
    started.push(registry);
    return {
      url: `http://127.0.0.1:${port}`,
      host: `127.0.0.1:${port}`,
      auth,
      username,
      password,
      storageDir,
      tokenServer,
      readOnly,
      pids: started.map((p) => p.pid),
      logs: () => registry.output(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startRegistryProcess(
  workDir: string,
  storageDir: string,
  authConfig: Record<string, unknown> | undefined,
): Promise<{ process: ManagedProcess; port: number }> {
  // freePort() releases the port before the registry binds it; another test
  // may grab it in between, so try a few ports before giving up.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    // Answers carry this header, so readiness can tell our registry from another
    // process that took the port in the meantime.
    const instance = randomBytes(8).toString('hex');
    const config = {
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: {
        addr: `127.0.0.1:${port}`,
        secret: randomBytes(16).toString('hex'),
        headers: { 'X-Content-Type-Options': ['nosniff'], 'X-Test-Registry': [instance] },
      },
      ...(authConfig ? { auth: authConfig } : {}),
    };
    const configPath = join(workDir, 'config.yml');
    writeFileSync(configPath, stringify(config), { mode: 0o600 });
    const registry = startProcess('docker-registry', 'docker-registry', ['serve', configPath], {
      env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
    });
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/v2/`, registry, [200, 401], instance);
      return { process: registry, port };
    } catch (err) {
      lastError = err;
      await registry.stop();
      if (!/address already in use/i.test(registry.output())) throw err;
    }
  }
  throw lastError;
}

async function waitUntilAnswering(
  url: string,
  proc: ManagedProcess,
  statuses: number[],
  instance?: string,
): Promise<void> {
  let exited = false;
  proc.child.once('exit', () => (exited = true));
  await waitFor(
    `${proc.name} at ${url}`,
    async () => {
      if (exited) throw new Error(`${proc.name} exited early:\n${proc.output()}`);
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (instance !== undefined && res.headers.get('x-test-registry') !== instance) {
        throw new Error(`another process answers on ${url}`);
      }
      return statuses.includes(res.status);
    },
    20_000,
    50,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n--- ${proc.name} output ---\n${proc.output()}`);
  });
}

/** An htpasswd line with a bcrypt hash; the password goes through stdin, never argv. */
async function bcryptEntry(username: string, password: string): Promise<string> {
  const child = execFile('htpasswd', ['-niB', username]);
  const result = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out.trim() + '\n') : reject(new Error(`htpasswd failed: ${err}`)),
    );
  });
  child.stdin?.end(`${password}\n`);
  return result;
}

async function startTokenServer(
  workDir: string,
  users: Record<string, string>,
  options: RegistryOptions,
  readOnlyUsername: string | undefined,
): Promise<{ process: ManagedProcess; handle: TokenServerHandle; certificatePath: string }> {
  const privateKeyPath = join(workDir, 'token-signing.key');
  const certificatePath = join(workDir, 'token-signing.crt');
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    privateKeyPath,
    '-out',
    certificatePath,
    '-days',
    '2',
    '-subj',
    '/CN=md-test-token-issuer',
  ]);
  chmodSync(privateKeyPath, 0o600);
  const requestLogPath = join(workDir, 'token-requests.jsonl');
  writeFileSync(requestLogPath, '');

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config: TokenServerConfig = {
      port,
      service: 'md-test-registry',
      issuer: 'md-test-token-issuer',
      privateKeyPath,
      certificatePath,
      users,
      anonymousActions: options.anonymousActions,
      userActions: readOnlyUsername ? { [readOnlyUsername]: ['pull'] } : undefined,
      requestLogPath,
    };
    const proc = startProcess('token-server', nodeWithTypeStripping(), [tokenServerScript], {
      env: { ...process.env, MD_TOKEN_SERVER_CONFIG: JSON.stringify(config) },
    });
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/health`, proc, [404]);
    } catch (err) {
      lastError = err;
      await proc.stop();
      if (/EADDRINUSE/.test(proc.output())) continue;
      throw err;
    }
    return {
      process: proc,
      certificatePath,
      handle: {
        realm: `http://127.0.0.1:${port}/token`,
        service: config.service,
        issuer: config.issuer,
        certificatePath,
        requests: () =>
          existsSync(requestLogPath)
            ? readFileSync(requestLogPath, 'utf8')
                .split('\n')
                .filter((l) => l !== '')
                .map((l) => JSON.parse(l) as TokenRequestRecord)
            : [],
      },
    };
  }
  throw lastError;
}
