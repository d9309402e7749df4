import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import type { UploadPolicy } from '../../../shared/registry/policy.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { pushImage, type DestinationResult } from '../../../shared/registry/push-image.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, type TestLayout } from '../../support/layouts.ts';

const MiB = 1024 * 1024;

/**
 * A Bearer token that expires in the middle of a push: the registry answers
 * 401 with a fresh challenge. The push must get a new token and finish with
 * the same digest, or fail naming the registry, leaving no tag either way.
 */
describe('push when the registry token expires mid-push', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth: 'token' }),
      buildTestLayout({ modelBytes: 6 * MiB }),
    ]);
    proxy = await startFaultProxy({ upstream: registry.url });
  });
  afterAll(async () => {
    layout?.cleanup();
    await proxy?.stop();
    await registry?.stop();
  });

  async function push(repository: string, policy: UploadPolicy): Promise<DestinationResult> {
    const client = new RegistryClient({
      registry: proxy.host,
      credential: { kind: 'basic', username: registry.username!, password: registry.password! },
      retry: { baseDelayMs: 10, maxDelayMs: 200 },
    });
    const [result] = await pushImage({
      layout: layout.layout,
      destinations: [
        { name: `${proxy.host}/${repository}`, client, repository, policy, tags: ['1'] },
      ],
      sourceClient: () => {
        throw new Error('no external blobs');
      },
      logger: silentLogger,
    });
    return result!;
  }

  async function tagDigest(repository: string): Promise<string | undefined> {
    const client = new RegistryClient({
      registry: registry.host,
      credential: { kind: 'basic', username: registry.username!, password: registry.password! },
    });
    return (await client.headManifest(repository, '1'))?.digest;
  }

  const chunked = { ...uploadPolicyFor('aws'), chunkBytes: 1 * MiB, minChunkBytes: 0 };
  const scenarios: Array<[string, string, RegExp, UploadPolicy]> = [
    ['a chunk PATCH', 'PATCH', /\/blobs\/uploads\//, chunked],
    ['a monolithic blob PUT', 'PUT', /\/blobs\/uploads\//, uploadPolicyFor('generic')],
    ['the final PUT of a chunked upload', 'PUT', /\/blobs\/uploads\//, chunked],
    ['the manifest PUT', 'PUT', /\/manifests\//, uploadPolicyFor('generic')],
    ['a blob HEAD', 'HEAD', /\/blobs\/sha256:/, uploadPolicyFor('generic')],
  ];

  it.each(scenarios)(
    'finishes with the same digest when it expires on %s',
    async (_what, method, path, policy) => {
      const repository = `expiry/${method.toLowerCase()}-${policy.name}-${Math.random().toString(16).slice(2, 8)}`;
      proxy.rules.clear();
      const name = proxy.rules.add({ method, path, nth: 2, fault: { kind: 'expire-token' } });
      const tokensBefore = registry.tokenServer!.requests().length;
      const result = await push(repository, policy);
      expect(result.error).toBeUndefined();
      expect(proxy.stats().rules.find((r) => r.name === name)?.fired).toBe(1);
      expect(registry.tokenServer!.requests().length).toBeGreaterThan(tokensBefore + 1);
      expect(await tagDigest(repository)).toBe(layout.layout.top.digest);
    },
  );

  it('gives up with a clear credentials error after one fresh token, leaving no tag, when every new token is refused too', async () => {
    const repository = 'expiry/always';
    proxy.rules.clear();
    const name = proxy.rules.add({
      method: 'PATCH',
      path: /\/blobs\/uploads\//,
      fault: { kind: 'expire-token' },
    });
    const tokensBefore = registry.tokenServer!.requests().length;
    const result = await push(repository, chunked);
    expect(result.ok).toBe(false);
    expect(await tagDigest(repository)).toBeUndefined();
    // What the user must read: the registry, and that its credentials were refused.
    expect(result.error).toContain(proxy.host);
    expect(result.error).toMatch(/refused the credentials/);
    // One fresh token per blob, then stop: two PATCHes for each of the three blobs at most.
    expect(proxy.stats().rules.find((r) => r.name === name)?.matched).toBeLessThanOrEqual(6);
    // A push starts with three tokens (/v2/, pull, push); beyond those, at most two per blob
    // (its fresh token and the one its resumed attempt asks for), against six per blob before.
    const tokens = registry.tokenServer!.requests().slice(tokensBefore);
    expect(tokens.length).toBeLessThanOrEqual(3 + 2 * 3);
  });
});
