import { execFile } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetHttpDispatchers } from '../../../shared/common/http.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { pushImage } from '../../../shared/registry/push-image.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { buildBusyboxLayout } from '../../support/images.ts';
import {
  startRegistry,
  writeRegistryAuthFile,
  type LocalRegistry,
} from '../../support/registry.ts';
import { buildTestLayout, type TestLayout } from '../../support/layouts.ts';

const execFileAsync = promisify(execFile);

describe('registry client behaviour against a token-auth registry', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([startRegistry({ auth: 'token' }), buildTestLayout()]);
    proxy = await startFaultProxy({ upstream: registry.url });
  });
  afterAll(async () => {
    layout?.cleanup();
    await proxy?.stop();
    await registry?.stop();
  });

  const client = (host: string, options: { timeoutMs?: number } = {}) =>
    new RegistryClient({
      registry: host,
      credential: { kind: 'basic', username: registry.username!, password: registry.password! },
      retry: { baseDelayMs: 20 },
      ...options,
    });

  const push = (c: RegistryClient, repository: string, root = layout.layout) =>
    pushImage({
      layout: root,
      destinations: [
        {
          name: `${c.registry}/${repository}`,
          client: c,
          repository,
          policy: uploadPolicyFor('generic'),
          tags: ['1'],
        },
      ],
      sourceClient: async () => {
        throw new Error('no external blobs');
      },
      logger: silentLogger,
    });

  it('caches tokens by scope: a whole push asks the token server only a few times', async () => {
    const before = registry.tokenServer!.requests().length;
    const [result] = await push(client(registry.host), 'tokens/cached');
    expect(result?.error).toBeUndefined();
    const asked = registry.tokenServer!.requests().slice(before);
    // One token for pull,push on the repository serves every blob, manifest and tag.
    expect(asked.length).toBeLessThanOrEqual(3);
    expect(asked.some((r) => r.scopes.includes('repository:tokens/cached:pull,push'))).toBe(true);
  });

  it('fetches a fresh token once when the registry says the token expired', async () => {
    proxy.rules.clear();
    proxy.rules.add({ method: 'HEAD', path: /\/blobs\//, nth: 2, fault: { kind: 'expire-token' } });
    const c = client(proxy.host);
    const before = registry.tokenServer!.requests().length;
    const [result] = await push(c, 'tokens/expired');
    expect(result?.error).toBeUndefined();
    expect(proxy.stats().rules[0]?.fired).toBe(1);
    const asked = registry.tokenServer!.requests().length - before;
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(asked).toBeLessThanOrEqual(4);
  });

  it('gives up on a request that stalls and retries it', async () => {
    proxy.rules.clear();
    proxy.rules.add({ method: 'GET', path: /\/manifests\//, nth: 1, fault: { kind: 'stall' } });
    const c = client(proxy.host, { timeoutMs: 500 });
    await push(client(registry.host), 'stall/read');
    const manifest = await c.getManifest('stall/read', '1');
    expect(manifest?.digest).toBe(layout.layout.top.digest);
    expect(proxy.stats().rules[0]?.fired).toBe(1);
    // The stalled request was sent again rather than waited on forever.
    expect(proxy.stats().count('GET', /\/manifests\//)).toBeGreaterThanOrEqual(2);
  });

  it('pushes a multi-arch image index with its media type, children first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-multi-'));
    const work = mkdtempSync(join(tmpdir(), 'md-multi-auth-'));
    try {
      const built = await buildBusyboxLayout(dir, '1', ['amd64', 'arm64']);
      const multi = await readLayout(dir);
      const [result] = await push(client(registry.host), 'multi/arch', multi);
      expect(result?.error).toBeUndefined();
      const head = await client(registry.host).headManifest('multi/arch', '1');
      expect(head).toMatchObject({
        digest: built.root.digest,
        mediaType: 'application/vnd.oci.image.index.v1+json',
      });
      const { stdout } = await execFileAsync('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        '--authfile',
        writeRegistryAuthFile(registry, join(work, 'auth.json')),
        `docker://${registry.host}/multi/arch:1`,
      ]);
      const index = JSON.parse(stdout) as {
        mediaType: string;
        manifests: Array<{ platform: { architecture: string } }>;
      };
      expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(index.manifests.map((m) => m.platform.architecture).sort()).toEqual([
        'amd64',
        'arm64',
      ]);

      // A child deleted since: the push sees the index is not whole there and writes it again.
      const child = [...multi.manifests.keys()].find((d) => d !== built.root.digest)!;
      const c = client(registry.host);
      const deleted = await c.send({
        method: 'DELETE',
        url: `/v2/multi/arch/manifests/${child}`,
        scopes: ['repository:multi/arch:pull,push,delete'],
        expect: [202],
        what: 'deleting a child manifest',
      });
      await deleted.body?.cancel();
      expect(await c.headManifest('multi/arch', child)).toBeUndefined();
      const [again] = await push(client(registry.host), 'multi/arch', multi);
      expect(again).toMatchObject({ ok: true, uploadedBytes: 0 });
      expect((await c.headManifest('multi/arch', child))?.digest).toBe(child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('HTTP proxy settings', () => {
  let registry: LocalRegistry;
  let forwardProxy: http.Server;
  let proxied = 0;
  const saved = { ...process.env };
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    // A forward proxy: absolute-form requests and CONNECT tunnels, counted.
    forwardProxy = http.createServer((req, res) => {
      proxied++;
      const target = new URL(req.url ?? '/');
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: target.pathname + target.search,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    forwardProxy.on('connect', (req, socket, head) => {
      proxied++;
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    forwardProxy.listen(0, '127.0.0.1');
    await once(forwardProxy, 'listening');
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    resetHttpDispatchers();
    forwardProxy?.closeAllConnections();
    await new Promise<void>((resolve) => forwardProxy?.close(() => resolve()));
    await registry?.stop();
  });

  it('goes through HTTP(S)_PROXY, and not for hosts in NO_PROXY', async () => {
    const address = forwardProxy.address() as { port: number };
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    process.env.HTTP_PROXY = `http://127.0.0.1:${address.port}`;
    process.env.HTTPS_PROXY = `http://127.0.0.1:${address.port}`;
    resetHttpDispatchers();
    const viaProxy = new RegistryClient({ registry: registry.host });
    await viaProxy.ping();
    expect(proxied).toBeGreaterThan(0);

    const counted = proxied;
    process.env.NO_PROXY = '127.0.0.1';
    resetHttpDispatchers();
    const direct = new RegistryClient({ registry: registry.host });
    await direct.ping();
    expect(proxied).toBe(counted);
  });
});
