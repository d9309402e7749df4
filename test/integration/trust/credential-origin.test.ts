import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { pushImage } from '../../../shared/registry/push-image.ts';
import { run as pushRun } from '../../../actions/push/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, type TestLayout } from '../../support/layouts.ts';

/**
 * A hostile registry front: it proxies to a real registry (Basic auth) but
 * points upload Locations and manifest reads at another origin, a collector
 * that records every Authorization header it is sent. The registry's
 * password must never reach the collector.
 */
interface Server {
  url: string;
  seen: Array<{ method: string; path: string; authorization?: string }>;
  stop(): Promise<void>;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function forward(
  upstream: string,
  req: IncomingMessage,
  res: ServerResponse,
  rewrite: (headers: http.IncomingHttpHeaders, status: number) => void = () => undefined,
): void {
  const target = new URL(upstream);
  const out = http.request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      const headers = { ...answer.headers };
      rewrite(headers, answer.statusCode ?? 502);
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

async function startCollector(upstream: string): Promise<Server> {
  const seen: Server['seen'] = [];
  const { server, url } = await listen((req, res) => {
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    forward(upstream, req, res);
  });
  return { url, seen, stop: () => new Promise((done) => server.close(() => done())) };
}

async function startHostileFront(
  upstream: string,
  collector: string,
  mode: 'upload-location' | 'manifest-redirect',
): Promise<Server> {
  const seen: Server['seen'] = [];
  const { server, url } = await listen((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '' });
    if (
      mode === 'manifest-redirect' &&
      req.method === 'GET' &&
      /\/manifests\//.test(req.url ?? '')
    ) {
      res.writeHead(307, { location: `${collector}${req.url}` });
      res.end();
      return;
    }
    forward(upstream, req, res, (headers, status) => {
      if (mode === 'upload-location' && status === 202 && typeof headers.location === 'string') {
        const location = new URL(headers.location, upstream);
        headers.location = `${collector}${location.pathname}${location.search}`;
      }
    });
  });
  return { url, seen, stop: () => new Promise((done) => server.close(() => done())) };
}

describe("the registry's credentials go to the registry's origin only", () => {
  let registry: LocalRegistry;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth: 'basic' }),
      buildTestLayout({ modelBytes: 256 * 1024 }),
    ]);
  });
  afterAll(async () => {
    layout?.cleanup();
    await registry?.stop();
  });

  const basic = () =>
    `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;

  it('an upload Location on another origin gets no Authorization, and the push fails naming both origins with no tag written', async () => {
    const collector = await startCollector(registry.url);
    const front = await startHostileFront(registry.url, collector.url, 'upload-location');
    try {
      const host = new URL(front.url).host;
      const client = new RegistryClient({
        registry: host,
        credential: { kind: 'basic', username: registry.username!, password: registry.password! },
        logger: silentLogger,
        retry: { baseDelayMs: 10 },
      });
      const [result] = await pushImage({
        layout: layout.layout,
        destinations: [
          {
            name: `${host}/hostile/upload`,
            client,
            repository: 'hostile/upload',
            policy: uploadPolicyFor('generic'),
            tags: ['1'],
          },
        ],
        sourceClient: async () => {
          throw new Error('no external blobs');
        },
        logger: silentLogger,
      });
      expect(result?.ok).toBe(false);
      expect(result?.error).toContain(`credentials are only sent to ${front.url}`);
      expect(result?.error).toContain(collector.url);
      // The collector was reached (the attack was real) but never saw a credential.
      expect(collector.seen.length).toBeGreaterThan(0);
      expect(collector.seen.filter((s) => s.authorization !== undefined)).toEqual([]);
      const tag = await fetch(`${registry.url}/v2/hostile/upload/manifests/1`, {
        headers: { authorization: basic() },
      });
      expect(tag.status).toBe(404);
    } finally {
      await front.stop();
      await collector.stop();
    }
  });

  it('a redirect to another origin is followed without Authorization', async () => {
    const collector = await startCollector(registry.url);
    const front = await startHostileFront(registry.url, collector.url, 'manifest-redirect');
    try {
      const host = new URL(front.url).host;
      const client = new RegistryClient({
        registry: host,
        credential: { kind: 'basic', username: registry.username!, password: registry.password! },
        logger: silentLogger,
        retry: { baseDelayMs: 10 },
      });
      const error = await client.getManifest('hostile/read', 'latest').catch((e: unknown) => e);
      expect(String(error)).toContain('asked for credentials');
      expect(collector.seen.some((s) => s.path.includes('/manifests/'))).toBe(true);
      expect(collector.seen.filter((s) => s.authorization !== undefined)).toEqual([]);
      // The read went to the registry's origin first, and only the redirect left it.
      expect(front.seen.some((s) => s.path === '/v2/hostile/read/manifests/latest')).toBe(true);
    } finally {
      await front.stop();
      await collector.stop();
    }
  });

  it("push's username and password reach only the registry credentials-for names, though another destination asks", async () => {
    // A second generic destination that challenges for Basic credentials and records what it is sent.
    const seen: string[] = [];
    const { server, url } = await listen((req, res) => {
      if (req.headers.authorization) seen.push(req.headers.authorization);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="harvest"', 'content-length': '0' });
      res.end();
    });
    const env = withActionEnv({
      layout: layout.dir,
      destinations: `${registry.host}/models/login\n${new URL(url).host}/models/login`,
      username: registry.username!,
      password: registry.password!,
      'credentials-for': registry.host,
    });
    try {
      expect(await pushRun()).toBe(false);
      expect(Object.keys(JSON.parse(env.outputs().images!))).toEqual([
        `${registry.host}/models/login`,
      ]);
      expect(seen).toEqual([]);
      expect(env.summary()).toContain(`${new URL(url).host}/models/login`);
    } finally {
      env.restore();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
