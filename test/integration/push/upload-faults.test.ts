import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../shared/registry/client.ts';
import type { RegistryCredential } from '../../../shared/registry/credential.ts';
import type { UploadPolicy } from '../../../shared/registry/policy.ts';
import { uploadPolicyFor } from '../../../shared/clouds/registry-access.ts';
import { pushImage, type DestinationResult } from '../../../shared/registry/push-image.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { startRegistryStandIn, type StandInRules } from '../../support/registry-stand-ins.ts';
import {
  buildTestLayout,
  corruptBlob,
  skopeoInspect,
  type TestLayout,
} from '../../support/layouts.ts';

const MiB = 1024 * 1024;
const fastRetry = { baseDelayMs: 20, maxDelayMs: 2000 };

function credentialOf(registry: Pick<LocalRegistry, 'username' | 'password'>): RegistryCredential {
  return registry.username
    ? { kind: 'basic', username: registry.username, password: registry.password ?? '' }
    : { kind: 'anonymous' };
}

async function pushVia(
  host: string,
  repository: string,
  layout: TestLayout,
  options: { policy?: UploadPolicy; credential?: RegistryCredential; logger?: Logger } = {},
): Promise<{ result: DestinationResult; client: RegistryClient }> {
  const client = new RegistryClient({
    registry: host,
    logger: options.logger ?? silentLogger,
    credential: options.credential ?? { kind: 'anonymous' },
    retry: fastRetry,
  });
  const [result] = await pushImage({
    layout: layout.layout,
    destinations: [
      {
        name: `${host}/${repository}`,
        client,
        repository,
        policy: options.policy ?? uploadPolicyFor('generic'),
        tags: ['1'],
      },
    ],
    sourceClient: async () => {
      throw new Error('no external blobs');
    },
    logger: options.logger ?? silentLogger,
  });
  return { result: result!, client };
}

/** What the real registry behind every stand-in says the tag is. */
async function tagDigest(registry: LocalRegistry, repository: string): Promise<string | undefined> {
  const client = new RegistryClient({
    registry: registry.host,
    credential: credentialOf(registry),
  });
  return (await client.headManifest(repository, '1'))?.digest;
}

describe('uploads through registries with other rules', () => {
  let registry: LocalRegistry;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth: 'none' }),
      buildTestLayout({ modelBytes: 12 * MiB }),
    ]);
  });
  afterAll(async () => {
    layout?.cleanup();
    await registry?.stop();
  });

  async function viaStandIn(repository: string, rules: StandInRules, policy: UploadPolicy) {
    const standIn = await startRegistryStandIn(registry.url, rules);
    try {
      const { result } = await pushVia(standIn.host, repository, layout, { policy });
      expect(result.error).toBeUndefined();
      const inspected = await skopeoInspect(`${registry.host}/${repository}:1`, registry);
      expect(inspected.digest).toBe(layout.layout.top.digest);
      return standIn.stats;
    } finally {
      await standIn.stop();
    }
  }

  it('sends one PUT per blob to a registry that refuses PATCH, even when chunking was planned', async () => {
    const generic = await viaStandIn(
      'mono/generic',
      { monolithicOnly: true },
      uploadPolicyFor('generic'),
    );
    expect(generic.patches).toBe(0);
    const chunkedFirst = await viaStandIn(
      'mono/ecr',
      { monolithicOnly: true },
      uploadPolicyFor('aws'),
    );
    expect(chunkedFirst.refused.some((r) => r.status === 405)).toBe(true);
    expect(chunkedFirst.puts).toBeGreaterThan(0);
  });

  it('falls back to chunks no larger than a registry body cap', async () => {
    const cap = 4 * MiB;
    const stats = await viaStandIn(
      'capped/body',
      { maxBodyBytes: cap },
      uploadPolicyFor('generic'),
    );
    expect(stats.refused.some((r) => r.status === 413)).toBe(true);
    expect(stats.largestBody).toBeLessThanOrEqual(cap);
    expect(stats.patches).toBeGreaterThanOrEqual(3);
  });

  it('follows ECR rules: chunks of at least 5 MiB except the last, PATCH answered 201', async () => {
    const stats = await viaStandIn(
      'ecr/like',
      { minChunkBytes: 5 * MiB, patchStatus: 201 },
      { ...uploadPolicyFor('aws'), chunkBytes: 5 * MiB },
    );
    expect(stats.refused).toEqual([]);
    expect(stats.patches).toBeGreaterThanOrEqual(3);
  });

  it('detects a registry that reports another manifest digest, and leaves no tag', async () => {
    const standIn = await startRegistryStandIn(registry.url, { wrongManifestDigest: true });
    try {
      const { result } = await pushVia(standIn.host, 'lying/digest', layout);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/hash to sha256:/);
      expect(await tagDigest(registry, 'lying/digest')).toBeUndefined();
    } finally {
      await standIn.stop();
    }
  });
});

describe('network faults', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  let layout: TestLayout;
  beforeAll(async () => {
    [registry, layout] = await Promise.all([
      startRegistry({ auth: 'basic' }),
      buildTestLayout({ modelBytes: 6 * MiB }),
    ]);
    proxy = await startFaultProxy({ upstream: registry.url });
  });
  afterAll(async () => {
    layout?.cleanup();
    await proxy?.stop();
    await registry?.stop();
  });

  const chunkedPolicy = { ...uploadPolicyFor('aws'), chunkBytes: 1 * MiB, minChunkBytes: 0 };

  it('resumes a chunked upload from the registry Range after the connection drops', async () => {
    proxy.rules.clear();
    // The 6th PATCH is the model layer's 3rd chunk or later, whatever order the blobs go in.
    proxy.rules.add({
      method: 'PATCH',
      path: /\/blobs\/uploads\//,
      nth: 6,
      fault: { kind: 'close' },
    });
    const lines: string[] = [];
    const { result } = await pushVia(proxy.host, 'drop/resume', layout, {
      policy: chunkedPolicy,
      credential: credentialOf(registry),
      logger: { ...silentLogger, info: (line) => lines.push(line) },
    });
    expect(result.error).toBeUndefined();
    expect(proxy.stats().rules[0]?.fired).toBe(1);
    // The registry was asked where the upload stood, and it went on from there, not from 0.
    expect(proxy.stats().count('GET', /\/blobs\/uploads\//)).toBe(1);
    expect(lines.some((l) => /resuming at byte [1-9]\d*/.test(l))).toBe(true);
    const inspected = await skopeoInspect(`${registry.host}/drop/resume:1`, registry);
    expect(inspected.digest).toBe(layout.layout.top.digest);
  });

  it('starts the blob over when a reset tore a chunk the registry cannot resume', async () => {
    proxy.rules.clear();
    proxy.rules.add({
      method: 'PATCH',
      path: /\/blobs\/uploads\//,
      nth: 6,
      fault: { kind: 'reset-request', afterBytes: 300 * 1024 },
    });
    const { result } = await pushVia(proxy.host, 'reset/restart', layout, {
      policy: chunkedPolicy,
      credential: credentialOf(registry),
    });
    expect(result.error).toBeUndefined();
    expect(proxy.stats().rules[0]?.fired).toBe(1);
    const inspected = await skopeoInspect(`${registry.host}/reset/restart:1`, registry);
    expect(inspected.digest).toBe(layout.layout.top.digest);
  });

  it('waits out 429 with Retry-After and a burst of 503s', async () => {
    proxy.rules.clear();
    proxy.rules.add({
      name: 'limit',
      method: 'HEAD',
      path: /\/blobs\//,
      times: 1,
      fault: { kind: 'rate-limit', retryAfter: '1' },
    });
    proxy.rules.add({
      name: 'burst',
      method: 'POST',
      path: /\/blobs\/uploads\//,
      times: 3,
      fault: { kind: 'status', status: 503 },
    });
    const { result } = await pushVia(proxy.host, 'faults/retry', layout, {
      credential: credentialOf(registry),
    });
    expect(result.error).toBeUndefined();
    const [limit, burst] = proxy.stats().rules;
    expect(limit?.fired).toBe(1);
    expect(burst?.fired).toBe(3);
    expect(await tagDigest(registry, 'faults/retry')).toBe(layout.layout.top.digest);
  });

  it('stops at once on wrong credentials and names the registry', async () => {
    proxy.rules.clear();
    const before = proxy.stats().requests;
    const { result } = await pushVia(proxy.host, 'faults/denied', layout, {
      credential: { kind: 'basic', username: 'md-test', password: 'not-the-password' },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toContain(proxy.host);
    expect(result.error).toMatch(/refused the credentials/);
    // /v2/ without and with credentials: no retry storm.
    expect(proxy.stats().requests - before).toBeLessThanOrEqual(3);
  });

  it('refuses a layout blob whose bytes changed, and a failed push leaves no tag', async () => {
    proxy.rules.clear();
    const broken = await buildTestLayout({ modelBytes: 1 * MiB });
    try {
      corruptBlob(broken.dir, broken.modelLayer);
      const { result } = await pushVia(proxy.host, 'faults/corrupt', broken, {
        credential: credentialOf(registry),
      });
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/do not hash to|changed/);
      expect(await tagDigest(registry, 'faults/corrupt')).toBeUndefined();
    } finally {
      broken.cleanup();
    }
  });
});
