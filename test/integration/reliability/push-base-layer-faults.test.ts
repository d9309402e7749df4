import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import type { Digest } from '../../../shared/oci/digest.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { pushImage } from '../../../shared/registry/push-image.ts';
import { startFaultProxy, type FaultProxy, type Fault } from '../../support/fault-proxy.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, type TestLayout } from '../../support/layouts.ts';

/**
 * Base-image layers are not in the layout: push streams them from the base
 * image's registry to the destination. Here the read from that registry
 * breaks in the middle; the push must still land the same digest, and the
 * copied layer must be whole.
 */
describe('push while reading the base layer from its registry fails', () => {
  let source: LocalRegistry;
  let destination: LocalRegistry;
  let proxy: FaultProxy;
  let layout: TestLayout;
  let baseLayer: Digest;
  let baseSize: number;

  beforeAll(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    const base = await pushBusyboxImage(source, 'base/busybox', '1');
    layout = await buildTestLayout({ base: { ...base, repository: 'base/busybox' } });
    [baseLayer] = [...layout.layout.externalBlobs.keys()] as [Digest];
    baseSize = layout.layout.externalBlobs.get(baseLayer)!.size;
    proxy = await startFaultProxy({ upstream: source.url });
  });
  afterAll(async () => {
    layout?.cleanup();
    await proxy?.stop();
    await Promise.all([source?.stop(), destination?.stop()]);
  });

  const faults: Array<[string, Fault, number]> = [
    ['a reset after 100 kB', { kind: 'reset-response', afterBytes: 100_000 }, 1],
    ['a body truncated at 200 kB', { kind: 'truncate', bytes: 200_000 }, 1],
    ['two resets in a row', { kind: 'reset-response', afterBytes: 50_000 }, 2],
    ['a burst of 503', { kind: 'status', status: 503 }, 3],
    ['a connection closed without an answer', { kind: 'close' }, 1],
  ];

  it.each(faults)('lands the same digest after %s', async (_what, fault, times) => {
    const repository = `copied/${Math.random().toString(16).slice(2, 10)}`;
    proxy.rules.clear();
    const name = proxy.rules.add({
      method: 'GET',
      path: `/v2/base/busybox/blobs/${baseLayer}`,
      times,
      fault,
    });
    expect(baseSize).toBeGreaterThan(300_000);
    const client = new RegistryClient({
      registry: destination.host,
      retry: { baseDelayMs: 10, maxDelayMs: 100 },
    });
    const [result] = await pushImage({
      layout: layout.layout,
      destinations: [
        {
          name: `${destination.host}/${repository}`,
          client,
          repository,
          policy: uploadPolicyFor('generic'),
          tags: ['1'],
        },
      ],
      // The layout names the source registry; the read goes through the proxy in front of it.
      sourceClient: async (host) => {
        expect(host).toBe(source.host);
        return new RegistryClient({
          registry: proxy.host,
          retry: { baseDelayMs: 10, maxDelayMs: 100 },
        });
      },
      logger: silentLogger,
    });
    expect(result?.error).toBeUndefined();
    expect(proxy.stats().rules.find((r) => r.name === name)?.fired).toBe(times);
    const reader = new RegistryClient({ registry: destination.host });
    expect((await reader.headManifest(repository, '1'))?.digest).toBe(layout.layout.top.digest);
    expect(await reader.blobSize(repository, baseLayer)).toBe(baseSize);
  });
});
