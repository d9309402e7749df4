import { goToolPath } from './go-tools.ts';
import { freePort, startProcess, waitFor, type ManagedProcess } from './processes.ts';

export interface LocalFakeGcs {
  /** http://127.0.0.1:PORT: the JSON API root (MODEL_DEPLOY_GCS_ENDPOINT, STORAGE_EMULATOR_HOST). */
  endpoint: string;
  pid: number;
  /** How long the server took to answer, in ms. */
  startMs: number;
  createBucket(bucket: string): Promise<void>;
  /** Uploads an object through the JSON API, creating the bucket when needed. */
  put(bucket: string, name: string, data: Buffer | string): Promise<void>;
  remove(bucket: string, name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts fake-gcs-server (github.com/fsouza/fake-gcs-server, built once per
 * machine by the global setup) on a free 127.0.0.1 port, in memory. It
 * serves the Cloud Storage JSON API and, like the real one behind a token,
 * ignores who asks: the token flow is google-auth-library's against the
 * Google OAuth double.
 */
export async function startFakeGcs(): Promise<LocalFakeGcs> {
  const binary = goToolPath('fake-gcs-server');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const started = Date.now();
    const proc: ManagedProcess = startProcess('fake-gcs-server', binary, [
      '-scheme',
      'http',
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-backend',
      'memory',
      '-public-host',
      `127.0.0.1:${port}`,
      '-external-url',
      endpoint,
      '-log-level',
      'warn',
    ]);
    let exited = false;
    proc.child.once('exit', () => (exited = true));
    try {
      await waitFor(
        `fake-gcs-server at ${endpoint}`,
        async () => {
          if (exited) throw new Error(`fake-gcs-server exited:\n${proc.output()}`);
          const res = await fetch(`${endpoint}/storage/v1/b`, {
            signal: AbortSignal.timeout(2000),
          });
          await res.arrayBuffer();
          return res.ok;
        },
        60_000,
        50,
      );
      const startMs = Date.now() - started;
      const buckets = new Set<string>();
      const createBucket = async (bucket: string) => {
        if (buckets.has(bucket)) return;
        const created = await fetch(`${endpoint}/storage/v1/b`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: bucket }),
        });
        const text = await created.text();
        if (!created.ok && created.status !== 409) {
          throw new Error(`fake-gcs-server: creating bucket ${bucket}: ${created.status} ${text}`);
        }
        buckets.add(bucket);
      };
      return {
        endpoint,
        pid: proc.pid,
        startMs,
        createBucket,
        async put(bucket, name, data) {
          await createBucket(bucket);
          const query = new URLSearchParams({ uploadType: 'media', name });
          const uploaded = await fetch(
            `${endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?${query.toString()}`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/octet-stream' },
              body: typeof data === 'string' ? data : new Uint8Array(data),
            },
          );
          const text = await uploaded.text();
          if (!uploaded.ok) {
            throw new Error(`fake-gcs-server: uploading ${name}: ${uploaded.status} ${text}`);
          }
        },
        async remove(bucket, name) {
          const removed = await fetch(
            `${endpoint}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}`,
            { method: 'DELETE' },
          );
          await removed.arrayBuffer();
          if (!removed.ok) throw new Error(`fake-gcs-server: deleting ${name}: ${removed.status}`);
        },
        stop: () => proc.stop(),
      };
    } catch (err) {
      lastError = err;
      await proc.stop();
      if (!/address already in use/i.test(proc.output())) break;
    }
  }
  throw lastError;
}
