import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterConnection } from '../../../shared/clouds/types.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { NetworkError } from '../../../shared/common/network.ts';
import {
  apiMessage,
  classifyKubeError,
  clusterPeer,
  KubeClient,
  kubeFailure,
  statusOf,
} from '../../../shared/kube/client.ts';
import { KubeApiError } from '../../../shared/kube/http.ts';
import { writeClusterPki } from '../../support/kube/pki.ts';

const connection = (extra: Partial<ClusterConnection> = {}): ClusterConnection => ({
  server: 'https://127.0.0.1:6443',
  cloud: 'generic',
  displayName: 'kubeconfig:test',
  ...extra,
});

const status = (code: number, body: string, headers: Record<string, string> = {}) =>
  new KubeApiError(code, 'GET', '/api/v1/x', body, headers);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('clusterPeer', () => {
  it('names the API server by the connection and points TLS failures at the kubeconfig CA', () => {
    const peer = clusterPeer({ server: 'https://abc.example.com:8443/path', displayName: 'eks:x' });
    expect(peer.host).toBe('abc.example.com:8443');
    expect(peer.server).toBe('API server of eks:x');
    expect(peer.input).toBe('cluster');
    expect(peer.hints?.tls).toMatch(/^check the cluster's certificate-authority-data/);
  });
});

describe('statusOf and apiMessage', () => {
  it('reads the HTTP status of an API error or of any error carrying a numeric code', () => {
    expect(statusOf(status(404, '{}'))).toBe(404);
    expect(statusOf(Object.assign(new Error('x'), { code: 409 }))).toBe(409);
    expect(statusOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
  });

  it("prefers the server's Status message", () => {
    expect(apiMessage(status(422, JSON.stringify({ kind: 'Status', message: 'bad port' })))).toBe(
      'bad port',
    );
    // A proxy's HTML page is shown as it came; an empty body falls back to the client's words.
    expect(apiMessage(status(502, '<html>bad gateway</html>'))).toBe('<html>bad gateway</html>');
    expect(apiMessage(status(502, ''))).toBe('HTTP 502 on GET /api/v1/x');
    expect(apiMessage(status(500, JSON.stringify({ reason: 'x' })))).toBe(
      'HTTP 500 on GET /api/v1/x',
    );
    expect(apiMessage(new Error('plain'))).toBe('plain');
    expect(apiMessage('text')).toBe('text');
  });
});

describe('kubeFailure', () => {
  it('says the cluster refused a bad request (400 as 422) with its message', () => {
    const failure = kubeFailure(
      'applying Service/m',
      status(400, JSON.stringify({ message: 'json: cannot unmarshal string' })),
      'c',
    );
    expect(failure).toBeInstanceOf(UserError);
    expect(failure.message).toBe(
      'applying Service/m: the cluster refused it: json: cannot unmarshal string',
    );
    expect(failure.cause).toBeInstanceOf(KubeApiError);
  });

  it('names the status and the cluster for any other HTTP failure', () => {
    expect(
      kubeFailure('reading Deployment/m', status(404, '{"message":"not found"}'), 'eks:prod')
        .message,
    ).toBe('reading Deployment/m: HTTP 404 from eks:prod: not found');
    expect(kubeFailure('x', Object.assign(new Error('conflict'), { code: 409 }), 'c').message).toBe(
      'x: HTTP 409 from c: conflict',
    );
  });

  it('keeps the hint of a UserError it wraps', () => {
    const inner = new UserError('the token expired', { hint: 'sign in again' });
    const failure = kubeFailure('watching the rollout', inner, 'c') as UserError;
    expect(failure.message).toBe('watching the rollout: the token expired');
    expect(failure.hint).toBe('sign in again');
    expect(failure.cause).toBe(inner);
  });

  it('says it could not reach the cluster for anything else', () => {
    const failure = kubeFailure('x', new Error('socket hang up'), 'eks:prod') as UserError;
    expect(failure.message).toBe('x: could not reach eks:prod: socket hang up');
    expect(failure.hint).toBe('check the cluster endpoint and that this runner can reach it');
    expect(kubeFailure('x', 'odd', 'c').message).toBe('x: could not reach c: odd');
  });

  it('honours a Retry-After of a throttled call', () => {
    expect(classifyKubeError(status(429, '{}', { 'retry-after': '3' }))).toEqual({
      retry: true,
      afterMs: 3000,
    });
    expect(classifyKubeError(status(408, '{}'))).toEqual({ retry: true });
    expect(classifyKubeError(status(500, '{}'))).toEqual({ retry: true });
  });
});

describe('KubeClient.call', () => {
  it('retries what passes and returns the answer', async () => {
    const client = new KubeClient(connection());
    let calls = 0;
    const answer = await client.call(async () => {
      calls++;
      if (calls === 1) throw status(503, '{"message":"etcd leader changed"}');
      if (calls === 2) throw new SyntaxError('Unexpected end of JSON input');
      return 'ok';
    });
    expect(answer).toBe('ok');
    expect(calls).toBe(3);
  });

  it('hands back what the caller must act on at once, unchanged', async () => {
    const client = new KubeClient(connection());
    let calls = 0;
    const notFound = status(404, '{"message":"not found"}');
    const thrown = await client
      .call(async () => {
        calls++;
        throw notFound;
      })
      .catch((err: unknown) => err);
    expect(thrown).toBe(notFound);
    expect(calls).toBe(1);
  });

  it('stops after its attempts', async () => {
    const client = new KubeClient(connection());
    client.attempts = 2;
    let calls = 0;
    await expect(
      client.call(async () => {
        calls++;
        throw status(503, '{}');
      }),
    ).rejects.toBeInstanceOf(KubeApiError);
    expect(calls).toBe(2);
  });

  it('rebuilds its API clients when the token is refreshed, and only then', async () => {
    const tokens = ['t1', 't1', 't2'];
    let refreshes = 0;
    const client = new KubeClient(
      connection({
        token: 't0',
        refresh: async () => tokens[refreshes++] as string,
      }),
    );
    const first = await client.apis();
    const same = await client.apis();
    expect(refreshes).toBe(2);
    expect(same).toBe(first);
    const renewed = await client.apis();
    expect(renewed).not.toBe(first);
    expect(renewed.core).not.toBe(first.core);
  });

  it('keeps its API clients when there is nothing to refresh', async () => {
    const client = new KubeClient(connection({ token: 't' }));
    expect(await client.apis()).toBe(await client.apis());
  });
});

describe('KubeClient against a server it cannot use', () => {
  let server: Server;
  let tlsPort: number;
  let otherCa: string;

  beforeAll(async () => {
    const served = await writeClusterPki(mkdtempSync(join(tmpdir(), 'md-client-a-')), '10.0.0.1');
    const other = await writeClusterPki(mkdtempSync(join(tmpdir(), 'md-client-b-')), '10.0.0.1');
    otherCa = other.caPem;
    server = createHttpsServer(
      {
        cert: readFileSync(served.servingCert),
        key: readFileSync(served.servingKey),
      },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tlsPort = (server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('names the API server and the refused connection', async () => {
    const port = await closedPort();
    const client = new KubeClient(
      connection({ server: `https://127.0.0.1:${port}`, displayName: 'kubeconfig:ci' }),
    );
    client.attempts = 1;
    const failure = await client
      .call(({ core }) => core.readNamespace({ name: 'default' }))
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(NetworkError);
    expect((failure as Error).message).toBe(
      `cannot reach the API server of kubeconfig:ci at 127.0.0.1:${port}: the connection was refused: nothing listens on that port (ECONNREFUSED)`,
    );
  });

  it('points a certificate the CA does not vouch for at the kubeconfig', async () => {
    const client = new KubeClient(
      connection({
        server: `https://127.0.0.1:${tlsPort}`,
        caData: otherCa,
        token: 't',
        displayName: 'kubeconfig:ci',
      }),
    );
    client.attempts = 1;
    const failure = (await client
      .call(({ core }) => core.readNamespace({ name: 'default' }))
      .catch((err: unknown) => err)) as NetworkError;
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure.message).toContain(`API server of kubeconfig:ci at 127.0.0.1:${tlsPort}`);
    expect(failure.hint).toMatch(
      /^check the cluster's certificate-authority-data in the kubeconfig/,
    );
  });
});
