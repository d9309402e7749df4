import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { patternChunk } from '../../support/upstream.ts';

describe('fault proxy in front of the distribution registry', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy({ upstream: registry.url });
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it("answers the registry's /v2/ through the proxy, and a 503 burst in front of it", async () => {
    const direct = await fetch(`${proxy.url}/v2/`);
    await direct.arrayBuffer();
    expect(direct.status).toBe(200);
    expect(direct.headers.get('docker-distribution-api-version')).toBe('registry/2.0');

    proxy.rules.add({ path: /^\/v2\/$/, times: 2, fault: { kind: 'status', status: 503 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${proxy.url}/v2/`);
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    proxy.rules.clear();
  });

  it('carries a blob upload whose Location points back at the proxy', async () => {
    const blob = patternChunk(0, 5 * 1024 * 1024);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const started = await fetch(`${proxy.url}/v2/reliability/demo/blobs/uploads/`, {
      method: 'POST',
    });
    await started.arrayBuffer();
    expect(started.status).toBe(202);
    const location = new URL(started.headers.get('location')!, proxy.url);
    expect(location.host).toBe(proxy.host);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: blob,
    });
    await put.arrayBuffer();
    expect(put.status).toBe(201);

    const back = await fetch(`${proxy.url}/v2/reliability/demo/blobs/${digest}`);
    const bytes = Buffer.from(await back.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(digest);
    expect(proxy.stats().count('PUT', '/v2/reliability/demo/blobs/uploads/')).toBe(1);
  });
});

describe('fault proxy in front of a token-auth registry', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
    proxy = await startFaultProxy({ upstream: registry.url });
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it("expires a token with the registry's own challenge for that repository", async () => {
    const path = '/v2/reliability/demo/manifests/latest';
    const unauthenticated = await fetch(registry.url + path);
    await unauthenticated.arrayBuffer();
    const challenge = unauthenticated.headers.get('www-authenticate');
    expect(challenge).toMatch(/^Bearer realm=.*scope="repository:reliability\/demo:pull"/);

    proxy.rules.add({ path, times: 1, fault: { kind: 'expire-token' } });
    const expired = await fetch(proxy.url + path, {
      headers: { authorization: 'Bearer was-valid-a-moment-ago' },
    });
    const body = await expired.json();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe(challenge);
    expect(body).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }] });
  });
});
