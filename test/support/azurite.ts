import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { freePort, startProcess, waitFor, type ManagedProcess } from './processes.ts';

const execFileAsync = promisify(execFile);

/** Azurite's built-in account and its documented, public key. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface LocalAzurite {
  /** https://127.0.0.1:PORT/devstoreaccount1: the account's Blob service endpoint. */
  endpoint: string;
  account: string;
  /** For Azure SDKs (MLflow's artifact repository): the account key over HTTPS. */
  connectionString: string;
  /** PEM of Azurite's self-signed certificate: NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE. */
  caPath: string;
  pid: number;
  /** How long the server took to answer, in ms. */
  startMs: number;
  createContainer(container: string): Promise<void>;
  /** Writes a blob, creating the container when needed (a bearer token Azurite accepts). */
  put(container: string, name: string, data: Buffer | string): Promise<void>;
  remove(container: string, name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A bearer token of the shape Azurite's `--oauth basic` checks (issuer,
 * audience, expiry; it does not check signatures), for seeding blobs. The
 * product's own requests carry real Entra tokens from the Entra double.
 */
function seedingToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const tenant = randomUUID();
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({
    aud: 'https://storage.azure.com',
    iss: `https://sts.windows.net/${tenant}/`,
    tid: tenant,
    iat: now,
    nbf: now,
    exp: now + 3600,
  })}.`;
}

/**
 * Starts Microsoft's Azure Storage emulator (npm `azurite`, the Blob service
 * only) on a free 127.0.0.1 port with a fresh location folder, over HTTPS with
 * a self-signed certificate and `--oauth basic`, so Entra bearer tokens are
 * accepted as they are by Azure Storage (Azurite takes OAuth over HTTPS only).
 */
export async function startAzurite(): Promise<LocalAzurite> {
  const main = join(
    dirname(createRequire(import.meta.url).resolve('azurite/package.json')),
    'dist',
    'src',
    'blob',
    'main.js',
  );
  const dir = mkdtempSync(join(tmpdir(), 'md-azurite-'));
  const keyPath = join(dir, 'tls.key');
  const caPath = join(dir, 'tls.crt');
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    caPath,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  const dispatcher = new Agent({ connect: { ca: readFileSync(caPath) } });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const started = Date.now();
    const proc: ManagedProcess = startProcess('azurite-blob', process.execPath, [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--location',
      join(dir, `data-${attempt}`),
      '--cert',
      caPath,
      '--key',
      keyPath,
      '--oauth',
      'basic',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ]);
    let exited = false;
    proc.child.once('exit', () => (exited = true));
    const endpoint = `https://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
    try {
      // Azurite prints this line once its listener is bound.
      await waitFor(
        `azurite-blob at ${endpoint}`,
        async () => {
          if (exited) throw new Error(`azurite-blob exited:\n${proc.output()}`);
          return proc.output().includes('successfully listens');
        },
        60_000,
        50,
      );
      const startMs = Date.now() - started;
      const token = seedingToken();
      const call = async (method: 'PUT' | 'DELETE', path: string, body?: Buffer | string) => {
        const response = await request(`${endpoint}/${path}`, {
          method,
          dispatcher,
          headers: {
            authorization: `Bearer ${token}`,
            'x-ms-version': '2021-08-06',
            ...(body === undefined ? {} : { 'x-ms-blob-type': 'BlockBlob' }),
          },
          ...(body === undefined ? {} : { body }),
        });
        const text = await response.body.text();
        return { status: response.statusCode, text };
      };
      const createContainer = async (container: string) => {
        const created = await call('PUT', `${container}?restype=container`);
        if (created.status !== 201 && created.status !== 409) {
          throw new Error(
            `Azurite: creating container ${container}: ${created.status} ${created.text}`,
          );
        }
      };
      const blobPath = (container: string, name: string) =>
        `${container}/${name.split('/').map(encodeURIComponent).join('/')}`;
      return {
        endpoint,
        account: AZURITE_ACCOUNT,
        connectionString: `DefaultEndpointsProtocol=https;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`,
        caPath,
        pid: proc.pid,
        startMs,
        createContainer,
        async put(container, name, data) {
          await createContainer(container);
          const put = await call('PUT', blobPath(container, name), data);
          if (put.status !== 201)
            throw new Error(`Azurite: PUT ${name}: ${put.status} ${put.text}`);
        },
        async remove(container, name) {
          const removed = await call('DELETE', blobPath(container, name));
          if (removed.status !== 202) {
            throw new Error(`Azurite: DELETE ${name}: ${removed.status} ${removed.text}`);
          }
        },
        async stop() {
          await proc.stop();
          await dispatcher.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = err;
      await proc.stop();
      if (!/EADDRINUSE|address already in use/i.test(proc.output())) break;
    }
  }
  await dispatcher.close();
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
