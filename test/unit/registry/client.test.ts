import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/common/errors.ts';
import { sha256Digest, type Digest } from '../../../shared/oci/digest.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import { DigestMismatchError } from '../../../shared/registry/errors.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Uploads a blob through the client's own send: POST a session, PUT the bytes with the digest. */
async function uploadBlob(
  client: RegistryClient,
  repository: string,
  bytes: Buffer,
): Promise<Digest> {
  const digest = sha256Digest(bytes);
  const scopes = [client.scope(repository, ['pull', 'push'])];
  const started = await client.send({
    method: 'POST',
    url: `/v2/${repository}/blobs/uploads/`,
    scopes,
    expect: [202],
    what: 'starting an upload',
  });
  await started.body?.cancel();
  const location = new URL(started.headers.get('location')!, client.baseUrl);
  location.searchParams.set('digest', digest);
  const put = await client.send({
    method: 'PUT',
    url: location.toString(),
    scopes,
    headers: { 'content-type': 'application/octet-stream' },
    body: () => bytes,
    expect: [201],
    what: 'finishing an upload',
  });
  await put.body?.cancel();
  return digest;
}

/** A small OCI image (config and one layer) in `repository`: the manifest bytes and its blobs. */
async function smallImage(client: RegistryClient, repository: string) {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const layer = Buffer.from('layer bytes '.repeat(1000));
  const configDigest = await uploadBlob(client, repository, config);
  const layerDigest = await uploadBlob(client, repository, layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: layerDigest,
          size: layer.length,
        },
      ],
    }),
  );
  return { manifest, layer, layerDigest };
}

describe('RegistryClient against a real registry with Basic auth', () => {
  let registry: LocalRegistry;
  let client: RegistryClient;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' });
    client = new RegistryClient({
      registry: registry.host,
      credential: { kind: 'basic', username: registry.username!, password: registry.password! },
    });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('learns the challenge once', async () => {
    await client.ping();
    const after = client.requestCount;
    await client.ping();
    expect(client.requestCount).toBe(after);
  });

  it('writes a manifest, reads it back by tag and by digest, and heads it', async () => {
    const { manifest } = await smallImage(client, 'models/round');
    const digest = await client.putManifest('models/round', 'v1', manifest, OCI_MANIFEST);
    expect(digest).toBe(sha256Digest(manifest));
    for (const reference of ['v1', digest]) {
      const fetched = await client.getManifest('models/round', reference);
      expect(fetched?.digest, reference).toBe(digest);
      expect(fetched?.mediaType).toBe(OCI_MANIFEST);
      expect(fetched?.bytes.equals(manifest)).toBe(true);
    }
    expect(await client.headManifest('models/round', 'v1')).toEqual({
      digest,
      mediaType: OCI_MANIFEST,
      size: manifest.length,
    });
  });

  it('answers undefined for a manifest or blob that is not there', async () => {
    expect(await client.headManifest('models/round', 'nope')).toBeUndefined();
    expect(await client.getManifest('models/round', 'nope')).toBeUndefined();
    expect(await client.blobSize('models/round', sha256Digest('absent'))).toBeUndefined();
  });

  it('sizes and streams a blob, from the start or from an offset', async () => {
    const { layer, layerDigest } = await smallImage(client, 'models/blobs');
    expect(await client.blobSize('models/blobs', layerDigest)).toBe(layer.length);
    const whole = await client.getBlob('models/blobs', layerDigest);
    expect(whole.size).toBe(layer.length);
    expect((await readAll(whole.stream)).equals(layer)).toBe(true);
    const tail = await client.getBlob('models/blobs', layerDigest, { offset: 100 });
    expect(tail.size).toBe(layer.length);
    expect((await readAll(tail.stream)).equals(layer.subarray(100))).toBe(true);
  });

  it('refuses wrong credentials after one fresh attempt, with what to check', async () => {
    const wrong = new RegistryClient({
      registry: registry.host,
      credential: { kind: 'basic', username: registry.username!, password: 'wrong' },
    });
    const failure = await wrong.headManifest('models/round', 'v1').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(
      `registry ${registry.host} refused the credentials for checking manifest models/round:v1 (HTTP 401`,
    );
    expect((failure as UserError).hint).toMatch(/check the credentials/);
    // No retry storm: the first request, and one with credentials.
    expect(wrong.requestCount).toBe(2);
  });

  it('asks for credentials when it has none', async () => {
    const anonymous = new RegistryClient({ registry: registry.host });
    const failure = await anonymous.headManifest('models/round', 'v1').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as UserError).message).toBe(
      `registry ${registry.host} needs credentials for checking manifest models/round:v1`,
    );
    expect((failure as UserError).hint).toMatch(/username and password/);
  });
});

describe('RegistryClient against a token registry with a pull-only user', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', readOnlyUser: true });
    const writer = new RegistryClient({
      registry: registry.host,
      credential: { kind: 'basic', username: registry.username!, password: registry.password! },
    });
    const { manifest } = await smallImage(writer, 'models/shared');
    await writer.putManifest('models/shared', 'v1', manifest, OCI_MANIFEST);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('pulls with a token for the pull scope, and is refused a push', async () => {
    const reader = new RegistryClient({
      registry: registry.host,
      credential: { kind: 'basic', ...registry.readOnly! },
    });
    const fetched = await reader.getManifest('models/shared', 'v1');
    expect(fetched?.mediaType).toBe(OCI_MANIFEST);
    const failure = await reader
      .putManifest('models/shared', 'v2', fetched!.bytes, OCI_MANIFEST)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    // The token server grants the pull-only user no push, so the registry refuses the fresh token too.
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe(
      `registry ${registry.host} refused the credentials for writing manifest models/shared:v2 (HTTP 401 after a fresh token)`,
    );
    expect((failure as UserError).hint).toMatch(/may push to this repository/);
    const readerTokens = registry
      .tokenServer!.requests()
      .filter((r) => r.user === registry.readOnly!.username);
    expect(readerTokens.at(0)?.scopes).toEqual(['repository:models/shared:pull']);
    expect(readerTokens.at(-1)?.scopes).toContain('repository:models/shared:pull,push');
    expect(readerTokens.flatMap((r) => r.granted.flatMap((g) => g.actions))).not.toContain('push');
  });
});

type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A scripted registry, a test double for answers a real one does not give; it records each request. */
async function scripted(route: Route) {
  const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      route(req, res, Buffer.concat(chunks));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: `http://${host}`,
    seen,
    client: (options: { bearer?: string } = {}) =>
      new RegistryClient({
        registry: host,
        ...(options.bearer
          ? { credential: { kind: 'bearer' as const, token: options.bearer } }
          : {}),
        // Retries without waiting: these tests count attempts, never time.
        retry: { attempts: 2, sleep: async () => {} },
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('RegistryClient against odd registry answers', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const start = async (route: Route) => {
    const s = await scripted(route);
    servers.push(s);
    return s;
  };

  it('refuses a manifest whose bytes do not hash to the digest asked for', async () => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST }));
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      res.end(body);
    });
    const asked = sha256Digest('something else');
    const failure = await s
      .client()
      .getManifest('models/x', asked)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(DigestMismatchError);
    expect((failure as Error).message).toBe(
      `manifest models/x@${asked} from ${s.host} hashes to ${sha256Digest(body)}, not ${asked}`,
    );
  });

  it('checks a manifest fetched by tag against the registry digest header', async () => {
    const body = Buffer.from('{"schemaVersion":2}');
    const claimed = sha256Digest('claimed');
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': claimed });
      res.end(body);
    });
    await expect(s.client().getManifest('models/x', 'v1')).rejects.toThrow(
      `hashes to ${sha256Digest(body)}, not ${claimed}`,
    );
  });

  it('says when a manifest is not JSON, and takes the media type from the content type otherwise', async () => {
    let text = 'not json at all';
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-type': `${OCI_MANIFEST}; charset=utf-8` });
      res.end(text);
    });
    await expect(s.client().getManifest('models/x', 'v1')).rejects.toThrow(
      `manifest models/x@v1 from ${s.host} is not JSON`,
    );
    text = '{"schemaVersion":2}';
    expect((await s.client().getManifest('models/x', 'v1'))?.mediaType).toBe(OCI_MANIFEST);
  });

  it('refuses a registry that stores a manifest under another digest', async () => {
    const s = await start((_req, res) => {
      res.writeHead(201, { 'docker-content-digest': sha256Digest('other') });
      res.end();
    });
    const bytes = Buffer.from('{"schemaVersion":2}');
    await expect(s.client().putManifest('models/x', 'v1', bytes, OCI_MANIFEST)).rejects.toThrow(
      `registry ${s.host} stored manifest models/x:v1 as ${sha256Digest('other')}, but its bytes hash to ${sha256Digest(bytes)}`,
    );
  });

  it('follows a blob redirect to storage without the registry credentials', async () => {
    const blob = Buffer.from('blob in storage');
    const digest = sha256Digest(blob);
    const storage = await start((_req, res) => {
      res.writeHead(200, { 'content-length': String(blob.length) });
      res.end(blob);
    });
    const s = await start((_req, res) => {
      res.writeHead(307, { location: `${storage.url}/bucket/blob?signature=x` });
      res.end();
    });
    const fetched = await s.client({ bearer: 'registry-secret' }).getBlob('models/x', digest);
    expect((await readAll(fetched.stream)).equals(blob)).toBe(true);
    expect(s.seen.at(-1)?.authorization).toBe('Bearer registry-secret');
    expect(storage.seen).toEqual([
      { method: 'GET', url: '/bucket/blob?signature=x', authorization: undefined },
    ]);
  });

  it('refuses a registry that ignores a range request', async () => {
    const s = await start((_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.end('0123456789');
    });
    const digest = sha256Digest('0123456789');
    await expect(s.client().getBlob('models/x', digest, { offset: 4 })).rejects.toThrow(
      `registry ${s.host} ignored a range request for blob ${digest}`,
    );
  });

  it('does not resend a request with a body to where a redirect points', async () => {
    const s = await start((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    await expect(
      s.client().putManifest('models/x', 'v1', Buffer.from('{}'), OCI_MANIFEST),
    ).rejects.toThrow(
      `registry ${s.host} redirected writing manifest models/x:v1 (HTTP 307); a request with a body is not sent again elsewhere`,
    );
    expect(s.seen.filter((r) => r.url === '/elsewhere')).toEqual([]);
  });

  it('says when a 401 carries no challenge it can answer', async () => {
    const s = await start((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    await expect(s.client().headManifest('models/x', 'v1')).rejects.toThrow(
      `registry ${s.host} answered 401 to checking manifest models/x:v1 without a usable challenge`,
    );
  });

  it('turns a 403 into access denied, with the permission to check', async () => {
    const s = await start((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }],
        }),
      );
    });
    const failure = await s
      .client()
      .headManifest('models/x', 'v1')
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(
      /^access denied: checking manifest models\/x:v1 at /,
    );
    expect((failure as UserError).hint).toMatch(/lacks permission/);
  });

  it('retries a server error, then reports it with the registry detail', async () => {
    const s = await start((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'maintenance' }] }));
    });
    const client = s.client();
    await expect(client.getManifest('models/x', 'v1')).rejects.toThrow(
      `fetching manifest models/x:v1 at ${s.host} failed: HTTP 503 (UNAVAILABLE: maintenance)`,
    );
    // attempts: 2 in this client's retry options.
    expect(s.seen).toHaveLength(2);
  });

  it('resolves registry paths against its base URL and refuses a plain http URL elsewhere', () => {
    const client = new RegistryClient({ registry: 'registry.example.com' });
    expect(client.baseUrl).toBe('https://registry.example.com');
    expect(client.resolve('/v2/')).toBe('https://registry.example.com/v2/');
    expect(client.isRegistryOrigin('https://registry.example.com/v2/x')).toBe(true);
    expect(client.isRegistryOrigin('https://storage.example.com/x')).toBe(false);
    expect(() => client.resolve('http://storage.example.com/upload')).toThrow();
  });
});
