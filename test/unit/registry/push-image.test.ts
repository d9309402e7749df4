import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import type { RegistryCredential } from '../../../shared/registry/credential.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import {
  explainFailure,
  pushImage,
  type PushDestination,
} from '../../../shared/registry/push-image.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, corruptBlob, type TestLayout } from '../../support/layouts.ts';
import type { Digest } from '../../../shared/oci/digest.ts';
import type { OciLayout } from '../../../shared/oci/layout.ts';

const noSource = async (): Promise<RegistryClient> => {
  throw new Error('no external blobs in this layout');
};

function credentialOf(registry: LocalRegistry, password = registry.password): RegistryCredential {
  return registry.username === undefined
    ? { kind: 'anonymous' }
    : { kind: 'basic', username: registry.username, password: password ?? '' };
}

function destination(
  registry: LocalRegistry,
  repository: string,
  tags: string[],
  password?: string,
): PushDestination {
  return {
    name: `${registry.host}/${repository}`,
    client: new RegistryClient({
      registry: registry.host,
      credential: credentialOf(registry, password),
    }),
    repository,
    policy: uploadPolicyFor('generic'),
    tags,
  };
}

describe('explainFailure', () => {
  it('adds the fix a UserError carries', () => {
    expect(explainFailure(new UserError('registry r refused', { hint: 'log in first' }))).toBe(
      'registry r refused (how to fix: log in first)',
    );
    expect(explainFailure(new UserError('plain'))).toBe('plain');
    expect(explainFailure(new Error('socket closed'))).toBe('socket closed');
  });
});

describe('pushImage to real registries', () => {
  let open: LocalRegistry;
  let locked: LocalRegistry;
  let layout: TestLayout;
  let corrupt: TestLayout;
  beforeAll(async () => {
    [open, locked, layout, corrupt] = await Promise.all([
      startRegistry({ auth: 'none' }),
      startRegistry({ auth: 'basic' }),
      buildTestLayout({ modelBytes: 300 * 1024 }),
      buildTestLayout({ modelBytes: 64 * 1024 }),
    ]);
    corruptBlob(corrupt.dir, corrupt.modelLayer);
  });
  afterAll(async () => {
    layout?.cleanup();
    corrupt?.cleanup();
    await Promise.all([open?.stop(), locked?.stop()]);
  });

  const totalBlobBytes = () => layout.layout.blobs.reduce((sum, b) => sum + b.size, 0);

  it('uploads each blob once per registry, mounts it for a second repository, then tags', async () => {
    const results = await pushImage({
      layout: layout.layout,
      destinations: [
        destination(open, 'models/a', ['1', 'latest']),
        destination(open, 'models/b', ['1']),
        destination(locked, 'models/a', ['1']),
      ],
      sourceClient: noSource,
      logger: silentLogger,
    });
    const digest = layout.layout.top.digest;
    expect(results.map((r) => [r.name, r.ok, r.ref, r.digest])).toEqual([
      [`${open.host}/models/a`, true, `${open.host}/models/a@${digest}`, digest],
      [`${open.host}/models/b`, true, `${open.host}/models/b@${digest}`, digest],
      [`${locked.host}/models/a`, true, `${locked.host}/models/a@${digest}`, digest],
    ]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    const [a, b, c] = results;
    expect(a!.uploadedBytes).toBe(totalBlobBytes());
    // Same registry: the second repository mounts the blobs instead of receiving them again.
    expect(b!.uploadedBytes).toBe(0);
    expect(b!.mountedBytes).toBe(totalBlobBytes());
    expect(c!.uploadedBytes).toBe(totalBlobBytes());
    // Every tag names the pushed manifest.
    const reader = new RegistryClient({ registry: locked.host, credential: credentialOf(locked) });
    expect((await reader.headManifest('models/a', '1'))?.digest).toBe(digest);
    const openReader = new RegistryClient({ registry: open.host });
    for (const [repo, tag] of [
      ['models/a', '1'],
      ['models/a', 'latest'],
      ['models/b', '1'],
    ] as const)
      expect((await openReader.headManifest(repo, tag))?.digest, `${repo}:${tag}`).toBe(digest);
  });

  it('skips blobs a repository already has', async () => {
    const [again] = await pushImage({
      layout: layout.layout,
      destinations: [destination(open, 'models/a', ['2'])],
      sourceClient: noSource,
      logger: silentLogger,
    });
    expect(again).toMatchObject({ ok: true, uploadedBytes: 0, mountedBytes: 0 });
    expect(again!.skippedBytes).toBe(totalBlobBytes());
  });

  /** The layout, with a record of every blob push reads from disk (manifests aside). */
  function watchedReads(): { layout: OciLayout; blobsRead: string[] } {
    const blobsRead: string[] = [];
    const watch = (digest: Digest) => {
      if (!layout.layout.manifests.has(digest)) blobsRead.push(digest);
    };
    const base = layout.layout;
    return {
      blobsRead,
      layout: {
        ...base,
        blobPath: (digest) => (watch(digest), base.blobPath(digest)),
        openBlob: (digest) => (watch(digest), base.openBlob(digest)),
        readBlob: (digest) => (watch(digest), base.readBlob(digest)),
      },
    };
  }

  it('reads, hashes and uploads nothing when the repository holds the manifest and its tag', async () => {
    const watched = watchedReads();
    const target = destination(open, 'models/a', ['1']);
    const [result] = await pushImage({
      layout: watched.layout,
      destinations: [target],
      sourceClient: noSource,
      logger: silentLogger,
    });
    const digest = layout.layout.top.digest;
    expect(result).toMatchObject({ ok: true, uploadedBytes: 0, mountedBytes: 0 });
    expect(result!.ref).toBe(`${open.host}/models/a@${digest}`);
    expect(result!.skippedBytes).toBe(totalBlobBytes());
    expect(watched.blobsRead).toEqual([]);
    // /v2/, the manifest by digest, the tag: no HEAD per blob, no manifest written.
    expect(target.client.requestCount).toBe(3);
  });

  it('writes only the tags missing from a repository that holds the manifest', async () => {
    const watched = watchedReads();
    const reader = new RegistryClient({ registry: open.host });
    const before = await reader.getManifest('models/a', '1');
    const target = destination(open, 'models/a', ['1', 'moved', 'new']);
    // `moved` names another image (the same JSON and a trailing space: another digest).
    const other = Buffer.from(before!.bytes.toString('utf8') + ' ');
    await reader.putManifest('models/a', 'moved', other, before!.mediaType);
    const [result] = await pushImage({
      layout: watched.layout,
      destinations: [target],
      sourceClient: noSource,
      logger: silentLogger,
    });
    const digest = layout.layout.top.digest;
    expect(result).toMatchObject({ ok: true, uploadedBytes: 0 });
    for (const tag of ['1', 'moved', 'new'])
      expect((await reader.headManifest('models/a', tag))?.digest, tag).toBe(digest);
    expect(watched.blobsRead).toEqual([]);
    // /v2/, the manifest by digest, three tags, and two tags written.
    expect(target.client.requestCount).toBe(7);
  });

  it('fails one destination with its fix and logs it, while the others push', async () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (m) => errors.push(m) };
    const results = await pushImage({
      layout: layout.layout,
      destinations: [
        destination(locked, 'models/denied', ['1'], 'wrong-password'),
        destination(open, 'models/c', ['1']),
      ],
      sourceClient: noSource,
      logger,
    });
    expect(results[0]!.ok).toBe(false);
    expect(results[0]!.ref).toBeUndefined();
    expect(results[0]!.error).toMatch(
      new RegExp(
        `^registry ${locked.host.replace(/\./g, '\\.')} refused the credentials .*\\(how to fix: `,
      ),
    );
    expect(errors).toEqual([`${locked.host}/models/denied: ${results[0]!.error}`]);
    expect(results[1]).toMatchObject({
      ok: true,
      ref: `${open.host}/models/c@${layout.layout.top.digest}`,
    });
    const reader = new RegistryClient({ registry: locked.host, credential: credentialOf(locked) });
    expect(await reader.headManifest('models/denied', '1')).toBeUndefined();
  });

  it('refuses a blob whose bytes changed in the layout, at every destination, and tags nothing', async () => {
    const results = await pushImage({
      layout: corrupt.layout,
      destinations: [
        destination(open, 'models/corrupt', ['1']),
        destination(locked, 'models/corrupt', ['1']),
      ],
      sourceClient: noSource,
      logger: silentLogger,
    });
    for (const result of results) {
      expect(result.ok).toBe(false);
      // The one read hashes the blob and fails it before its last byte is sent; the fix is named.
      expect(result.error).toContain(`blob ${corrupt.modelLayer} read as sha256:`);
      expect(result.error).toContain('its bytes changed');
      expect(result.error).toMatch(/how to fix: .*corrupted layout/);
    }
    const openReader = new RegistryClient({ registry: open.host });
    expect(await openReader.headManifest('models/corrupt', '1')).toBeUndefined();
    expect(await openReader.blobSize('models/corrupt', corrupt.modelLayer)).toBeUndefined();
  });

  it('fails a destination it cannot reach at the first request', async () => {
    const gone = await startRegistry({ auth: 'none' });
    const target = destination(gone, 'models/x', ['1']);
    await gone.stop();
    const [result] = await pushImage({
      layout: layout.layout,
      destinations: [target],
      sourceClient: noSource,
      logger: silentLogger,
    });
    expect(result!.ok).toBe(false);
    expect(result!.error).toMatch(/refused/);
    expect(result!.uploadedBytes).toBe(0);
  }, 120_000);
});
