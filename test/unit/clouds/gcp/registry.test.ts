import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GoogleAuth } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { artifactRegistryAccess } from '../../../../shared/clouds/gcp/registry.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';

type Handler = (req: IncomingMessage, body: string) => { status: number; json: unknown };

/** The Artifact Registry REST API as the test scripts it, recording each call. */
async function restApi(handler: Handler) {
  const calls: string[] = [];
  const bodies: unknown[] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}`);
      if (body) bodies.push(JSON.parse(body));
      const answer = handler(req, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, calls, bodies, close: () => server.close() };
}

const auth = { getAccessToken: async () => 'google-token-1' } as unknown as GoogleAuth;
const HOST = 'europe-west4-docker.pkg.dev';
const NAME = 'projects/proj/locations/europe-west4/repositories/models';
const notFound = {
  status: 404,
  json: { error: { code: 404, status: 'NOT_FOUND', message: 'no' } },
};

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function accessWith(handler: Handler, options: { createTimeoutMs?: number } = {}) {
  const api = await restApi(handler);
  servers.push(api);
  const access = artifactRegistryAccess({
    host: HOST,
    logger: silentLogger,
    endpoint: api.endpoint,
    auth,
    env: {},
    ...options,
  });
  return { api, access };
}

describe('Artifact Registry access', () => {
  it('logs in as oauth2accesstoken with the Google access token', async () => {
    const { access } = await accessWith(() => notFound);
    await expect(access.credential()).resolves.toEqual({
      kind: 'basic',
      username: 'oauth2accesstoken',
      password: 'google-token-1',
    });
  });

  it('leaves an existing repository alone', async () => {
    const { api, access } = await accessWith(() => ({ status: 200, json: { name: NAME } }));
    await access.ensureRepository!('proj/models/resnet', { immutableTags: true });
    expect(api.calls).toEqual([`GET /v1/${NAME}`]);
  });

  it('creates a missing repository and waits for its operation', async () => {
    let polls = 0;
    const { api, access } = await accessWith((req) => {
      if (req.method === 'POST') return { status: 200, json: { name: 'operations/op-1' } };
      if (req.url === '/v1/operations/op-1') {
        polls += 1;
        return { status: 200, json: { name: 'operations/op-1', done: polls >= 2 } };
      }
      return notFound;
    });
    await access.ensureRepository!('proj/models/resnet', { immutableTags: true });
    expect(api.calls).toEqual([
      `GET /v1/${NAME}`,
      'POST /v1/projects/proj/locations/europe-west4/repositories?repositoryId=models',
      'GET /v1/operations/op-1',
      'GET /v1/operations/op-1',
    ]);
    expect(api.bodies[0]).toMatchObject({
      format: 'DOCKER',
      dockerConfig: { immutableTags: true },
    });
  });

  it('takes a 409 on creation as another job having created it', async () => {
    const { api, access } = await accessWith((req) =>
      req.method === 'POST'
        ? { status: 409, json: { error: { code: 409, status: 'ALREADY_EXISTS', message: 'x' } } }
        : notFound,
    );
    await access.ensureRepository!('proj/models/resnet', {});
    expect(api.calls).toHaveLength(2);
  });

  it("reports an operation's error, and an operation that does not finish in time", async () => {
    const failing = await accessWith((req) =>
      req.method === 'POST'
        ? { status: 200, json: { name: 'operations/op-2', done: true, error: { code: 7 } } }
        : notFound,
    );
    await expect(failing.access.ensureRepository!('proj/models/m', {})).rejects.toThrow(
      `creating Artifact Registry repository ${NAME} failed: code 7`,
    );
    const slow = await accessWith(
      (req) =>
        req.method === 'POST' || req.url?.startsWith('/v1/operations/')
          ? { status: 200, json: { name: 'operations/op-3', done: false } }
          : notFound,
      { createTimeoutMs: 0 },
    );
    const error = await slow.access.ensureRepository!('proj/models/m', {}).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /did not finish within 0 s \(operation operations\/op-3\)/,
    );
  });

  it('refuses a destination without a repository, and skips a host without a location', async () => {
    const { api, access } = await accessWith(() => notFound);
    await expect(access.ensureRepository!('resnet', {})).rejects.toThrow(
      /must be <location>-docker\.pkg\.dev\/<project>\/<repository>\/<image>/,
    );
    const elsewhere = artifactRegistryAccess({
      host: 'gcr.io',
      logger: silentLogger,
      endpoint: api.endpoint,
      auth,
      env: {},
    });
    await elsewhere.ensureRepository!('proj/models', {});
    expect(api.calls).toEqual([]);
  });
});
