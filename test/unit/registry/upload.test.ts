import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import type { Digest } from '../../../shared/oci/digest.ts';
import { RegistryClient } from '../../../shared/registry/client.ts';
import { DigestMismatchError } from '../../../shared/registry/errors.ts';
import type { UploadPolicy } from '../../../shared/registry/policy.ts';
import {
  nextOffsetFromRange,
  startUpload,
  uploadBlob,
  type BlobSource,
} from '../../../shared/registry/upload.ts';
import { startRegistryStandIn, type StandInRules } from '../../support/registry-stand-ins.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

function blob(size: number): { bytes: Buffer; source: BlobSource; opened: number[] } {
  const bytes = randomBytes(size);
  const opened: number[] = [];
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}` as Digest;
  return {
    bytes,
    opened,
    source: {
      digest,
      size,
      open: async (offset) => {
        opened.push(offset);
        return (async function* () {
          for (let at = offset; at < size; at += 64 * 1024)
            yield bytes.subarray(at, at + 64 * 1024);
        })();
      },
    },
  };
}

const POLICY: UploadPolicy = {
  name: 'chunked',
  monolithicMaxBytes: 0,
  chunkBytes: 256 * 1024,
  minChunkBytes: 0,
};

describe('uploadBlob', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  async function upload(rules: StandInRules, size: number, policy: UploadPolicy) {
    const standIn = await startRegistryStandIn(registry.url, rules);
    try {
      const client = new RegistryClient({
        registry: standIn.host,
        logger: silentLogger,
        retry: { baseDelayMs: 1 },
      });
      const { bytes, source, opened } = blob(size);
      const started = await startUpload(client, 'models/upload');
      if (started.mounted) throw new Error('nothing to mount from');
      let acknowledged = 0;
      await uploadBlob(client, 'models/upload', source, started.location, {
        policy,
        onBytes: (n) => (acknowledged += n),
      });
      const stored = await fetch(`${registry.url}/v2/models/upload/blobs/${source.digest}`);
      expect(Buffer.from(await stored.arrayBuffer()).equals(bytes)).toBe(true);
      return { acknowledged, opened, stats: standIn.stats };
    } finally {
      await standIn.stop();
    }
  }

  it('sends chunks of the policy size and counts every byte once', async () => {
    const { acknowledged, stats } = await upload({}, 600 * 1024, POLICY);
    expect(acknowledged).toBe(600 * 1024);
    expect(stats.patches).toBe(3);
  });

  it('sends one PUT when the registry refuses PATCH', async () => {
    const { acknowledged, stats } = await upload({ monolithicOnly: true }, 300 * 1024, POLICY);
    expect(acknowledged).toBe(300 * 1024);
    expect(stats.refused.map((r) => r.status)).toEqual([405]);
  });

  it('halves the chunks when the registry says a body is too large', async () => {
    const { stats } = await upload({ maxBodyBytes: 200 * 1024 }, 500 * 1024, {
      ...POLICY,
      minChunkBytes: 64 * 1024,
    });
    expect(stats.refused.some((r) => r.status === 413)).toBe(true);
    expect(stats.largestBody).toBeLessThanOrEqual(200 * 1024);
  });

  it('does not send again a blob whose bytes failed their own check as they streamed', async () => {
    const client = new RegistryClient({
      registry: registry.host,
      logger: silentLogger,
      retry: { baseDelayMs: 1 },
    });
    const { source, opened } = blob(300 * 1024);
    const started = await startUpload(client, 'models/changed');
    if (started.mounted) throw new Error('nothing to mount from');
    const changing = (async function* () {
      yield Buffer.alloc(64 * 1024);
      throw new DigestMismatchError(`blob ${source.digest} read as sha256:…: its bytes changed`);
    })();
    await expect(
      uploadBlob(client, 'models/changed', source, started.location, {
        policy: { ...POLICY, monolithicMaxBytes: Infinity },
        stream: changing,
      }),
    ).rejects.toBeInstanceOf(DigestMismatchError);
    // No second attempt reopened the source.
    expect(opened).toEqual([]);
  });
});

describe('nextOffsetFromRange', () => {
  it('reads the next byte to send from a Range header', () => {
    expect(nextOffsetFromRange('0-1023')).toBe(1024);
    expect(nextOffsetFromRange('bytes=0-9')).toBe(10);
    expect(nextOffsetFromRange('0-0')).toBe(0);
    expect(nextOffsetFromRange('5-9')).toBeUndefined();
    expect(nextOffsetFromRange(null)).toBeUndefined();
  });
});
