import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../shared/registry/client.ts';
import type { RegistryCredential } from '../../../shared/registry/credential.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { pushImage, type PushDestination } from '../../../shared/registry/push-image.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { runToCompletion } from '../../support/podman.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { buildTestLayout, skopeoInspect, type TestLayout } from '../../support/layouts.ts';

function credentialOf(registry: LocalRegistry): RegistryCredential {
  return registry.username
    ? { kind: 'basic', username: registry.username, password: registry.password ?? '' }
    : { kind: 'anonymous' };
}

function destination(registry: LocalRegistry, repository: string, tags = ['1']): PushDestination {
  return {
    name: `${registry.host}/${repository}`,
    client: new RegistryClient({ registry: registry.host, credential: credentialOf(registry) }),
    repository,
    policy: uploadPolicyFor('generic'),
    tags,
  };
}

describe.each(['none', 'basic', 'token'] as const)('pushImage to a %s registry', (auth) => {
  let registry: LocalRegistry;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth }),
      buildTestLayout({ modelBytes: 3 * 1024 * 1024 }),
    ]);
  });
  afterAll(async () => {
    layout?.cleanup();
    await registry?.stop();
  });

  it('pushes every blob and manifest, tags last, and re-pushes nothing', async () => {
    const results = await pushImage({
      layout: layout.layout,
      destinations: [destination(registry, 'models/test', ['1', 'latest'])],
      sourceClient: async () => {
        throw new Error('no external blobs here');
      },
      logger: silentLogger,
    });
    const digest = layout.layout.top.digest;
    expect(results[0]).toMatchObject({ ok: true, ref: `${registry.host}/models/test@${digest}` });
    const total = layout.layout.blobs.reduce((n, b) => n + b.size, 0);
    expect(results[0]?.uploadedBytes).toBe(total);
    for (const tag of ['1', 'latest']) {
      const inspected = await skopeoInspect(`${registry.host}/models/test:${tag}`, registry);
      expect(inspected.digest).toBe(digest);
    }

    const again = await pushImage({
      layout: layout.layout,
      destinations: [destination(registry, 'models/test')],
      sourceClient: async () => {
        throw new Error('no external blobs here');
      },
      logger: silentLogger,
    });
    expect(again[0]).toMatchObject({ ok: true, uploadedBytes: 0, skippedBytes: total });
  });
});

describe('fan-out and base images', () => {
  let registries: LocalRegistry[];
  beforeAll(async () => {
    registries = await Promise.all([
      startRegistry({ auth: 'none' }),
      startRegistry({ auth: 'basic' }),
      startRegistry({ auth: 'token' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all((registries ?? []).map((r) => r.stop()));
  });

  it('pushes one read of each blob to three registries, and the image runs', async () => {
    const layout = await buildTestLayout({ modelBytes: 5 * 1024 * 1024 });
    try {
      const results = await pushImage({
        layout: layout.layout,
        destinations: registries.map((r) => destination(r, 'fan/out')),
        sourceClient: async () => {
          throw new Error('no external blobs here');
        },
        logger: silentLogger,
      });
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      for (const r of registries) {
        const inspected = await skopeoInspect(`${r.host}/fan/out:1`, r);
        expect(inspected.digest).toBe(layout.layout.top.digest);
      }
      const run = await runToCompletion(`${registries[1]!.host}/fan/out:1`, [], {
        registry: registries[1]!,
        purpose: 'push-fanout',
      });
      expect(run.stdout).toContain('pushed-ok');
      expect(run.stdout).toContain('weights.bin');
    } finally {
      layout.cleanup();
    }
  });

  it('streams base layers from registry A to B, and mounts them within A', async () => {
    const [a, b] = registries as [LocalRegistry, LocalRegistry];
    const base = await pushBusyboxImage(a, 'base/busybox', '1');
    const layout = await buildTestLayout({ base: { ...base, repository: 'base/busybox' } });
    try {
      expect(layout.layout.externalBlobs.size).toBe(1);
      const baseLayer = [...layout.layout.externalBlobs.keys()][0]!;
      const sources = new Map<string, RegistryClient>();
      const results = await pushImage({
        layout: layout.layout,
        destinations: [destination(b, 'from/base'), destination(a, 'models/other')],
        sourceClient: async (host) => {
          expect(host).toBe(a.host);
          let client = sources.get(host);
          if (!client) {
            client = new RegistryClient({ registry: host, credential: credentialOf(a) });
            sources.set(host, client);
          }
          return client;
        },
        logger: silentLogger,
      });
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      const baseSize = layout.layout.externalBlobs.get(baseLayer)!.size;
      expect(results[1]?.mountedBytes).toBe(baseSize);
      expect(results[0]?.mountedBytes).toBe(0);
      for (const [registry, repo] of [
        [b, 'from/base'],
        [a, 'models/other'],
      ] as const) {
        const inspected = await skopeoInspect(`${registry.host}/${repo}:1`, registry);
        expect(inspected.digest).toBe(layout.layout.top.digest);
        expect(inspected.layers).toContain(baseLayer);
      }
      const copied = await new RegistryClient({
        registry: b.host,
        credential: credentialOf(b),
      }).blobSize('from/base', baseLayer);
      expect(copied).toBe(baseSize);
    } finally {
      layout.cleanup();
    }
  });

  it('uploads once per registry and mounts into its other repositories', async () => {
    const registry = registries[2]!;
    const layout = await buildTestLayout({ modelBytes: 2 * 1024 * 1024 });
    try {
      const results = await pushImage({
        layout: layout.layout,
        destinations: [destination(registry, 'same/first'), destination(registry, 'same/second')],
        sourceClient: async () => {
          throw new Error('no external blobs here');
        },
        logger: silentLogger,
      });
      const total = layout.layout.blobs.reduce((n, b) => n + b.size, 0);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(results[0]).toMatchObject({ uploadedBytes: total, mountedBytes: 0 });
      expect(results[1]).toMatchObject({ uploadedBytes: 0, mountedBytes: total });
      for (const repo of ['same/first', 'same/second']) {
        expect((await skopeoInspect(`${registry.host}/${repo}:1`, registry)).digest).toBe(
          layout.layout.top.digest,
        );
      }
    } finally {
      layout.cleanup();
    }
  });
});
