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

/** Two pushes of one image at once, and a failed push run again. */
describe('push concurrency and re-runs', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth: 'basic' }),
      buildTestLayout({ modelBytes: 8 * MiB }),
    ]);
    proxy = await startFaultProxy({ upstream: registry.url });
  });
  afterAll(async () => {
    layout?.cleanup();
    await proxy?.stop();
    await registry?.stop();
  });

  const credential = () => ({
    kind: 'basic' as const,
    username: registry.username!,
    password: registry.password!,
  });

  async function push(
    host: string,
    repository: string,
    policy: UploadPolicy = uploadPolicyFor('generic'),
  ): Promise<DestinationResult> {
    const client = new RegistryClient({
      registry: host,
      credential: credential(),
      retry: { baseDelayMs: 10, maxDelayMs: 100 },
    });
    const [result] = await pushImage({
      layout: layout.layout,
      destinations: [{ name: `${host}/${repository}`, client, repository, policy, tags: ['1'] }],
      sourceClient: async () => {
        throw new Error('no external blobs');
      },
      logger: silentLogger,
    });
    return result!;
  }

  const tagDigest = async (repository: string) =>
    (
      await new RegistryClient({ registry: registry.host, credential: credential() }).headManifest(
        repository,
        '1',
      )
    )?.digest;

  it('lands one image when two pushes of it run at once, monolithic or chunked', async () => {
    const chunked = { ...uploadPolicyFor('aws'), chunkBytes: 1 * MiB, minChunkBytes: 0 };
    const results = await Promise.all([
      push(registry.host, 'concurrent/same'),
      push(registry.host, 'concurrent/same', chunked),
    ]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(results.map((r) => r.ref)).toEqual([
      `${registry.host}/concurrent/same@${layout.layout.top.digest}`,
      `${registry.host}/concurrent/same@${layout.layout.top.digest}`,
    ]);
    expect(await tagDigest('concurrent/same')).toBe(layout.layout.top.digest);
    const reader = new RegistryClient({ registry: registry.host, credential: credential() });
    for (const blob of layout.layout.blobs) {
      expect(await reader.blobSize('concurrent/same', blob.digest)).toBe(blob.size);
    }
  });

  it('re-runs a push that failed at the manifest: no tag after the failure, the re-run completes without re-uploading', async () => {
    proxy.rules.clear();
    proxy.rules.add({
      method: 'PUT',
      path: /\/manifests\//,
      fault: { kind: 'status', status: 500 },
    });
    const failed = await push(proxy.host, 'rerun/after-failure');
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/HTTP 500/);
    expect(await tagDigest('rerun/after-failure')).toBeUndefined();

    proxy.rules.clear();
    const again = await push(proxy.host, 'rerun/after-failure');
    expect(again.error).toBeUndefined();
    expect(again.uploadedBytes).toBe(0);
    expect(again.skippedBytes).toBe(layout.layout.blobs.reduce((sum, b) => sum + b.size, 0));
    expect(await tagDigest('rerun/after-failure')).toBe(layout.layout.top.digest);
  });

  it('re-runs a push torn mid-upload: the re-run completes with the same digest', async () => {
    proxy.rules.clear();
    proxy.rules.add({
      method: 'PUT',
      path: /\/blobs\/uploads\//,
      fault: { kind: 'reset-request', afterBytes: 512 * 1024 },
    });
    const torn = await push(proxy.host, 'rerun/torn');
    expect(torn.ok).toBe(false);
    expect(await tagDigest('rerun/torn')).toBeUndefined();

    proxy.rules.clear();
    const again = await push(proxy.host, 'rerun/torn');
    expect(again.error).toBeUndefined();
    expect(await tagDigest('rerun/torn')).toBe(layout.layout.top.digest);
  });
});
