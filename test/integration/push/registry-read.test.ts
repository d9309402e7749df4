import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../shared/registry/client.ts';
import type { RegistryCredential } from '../../../shared/registry/credential.ts';
import { sha256Digest, type Digest } from '../../../shared/oci/digest.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { pushBusyboxImage, pushMultiArchBusyboxImage } from '../../support/images.ts';
import { UserError } from '../../../shared/common/errors.ts';

function credentialOf(registry: LocalRegistry): RegistryCredential {
  return registry.username
    ? { kind: 'basic', username: registry.username, password: registry.password ?? '' }
    : { kind: 'anonymous' };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe.each(['none', 'basic', 'token'] as const)('read side against a %s registry', (auth) => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('reads a manifest by tag and digest, HEADs it, and streams its layer', async () => {
    const image = await pushBusyboxImage(registry, 'base/busybox', '1');
    const client = new RegistryClient({
      registry: registry.host,
      credential: credentialOf(registry),
    });
    const head = await client.headManifest('base/busybox', '1');
    expect(head?.digest).toBe(image.digest);
    const byTag = await client.getManifest('base/busybox', '1');
    expect(byTag?.digest).toBe(image.digest);
    expect(byTag?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const byDigest = await client.getManifest('base/busybox', image.digest);
    expect(byDigest?.bytes.equals(byTag!.bytes)).toBe(true);

    const layer = image.layout.layer;
    expect(await client.blobSize('base/busybox', layer.digest as Digest)).toBe(layer.size);
    const blob = await client.getBlob('base/busybox', layer.digest as Digest);
    const bytes = await readAll(blob.stream);
    expect(sha256Digest(bytes)).toBe(layer.digest);
    const tail = await client.getBlob('base/busybox', layer.digest as Digest, { offset: 100 });
    expect((await readAll(tail.stream)).equals(bytes.subarray(100))).toBe(true);

    expect(await client.getManifest('base/busybox', 'missing')).toBeUndefined();
    expect(await client.blobSize('base/busybox', sha256Digest('nothing'))).toBeUndefined();
  });

  it('reads a multi-arch index with the index media type', async () => {
    const image = await pushMultiArchBusyboxImage(registry, 'base/multi', '1');
    const client = new RegistryClient({
      registry: registry.host,
      credential: credentialOf(registry),
    });
    const index = await client.getManifest('base/multi', '1');
    expect(index?.digest).toBe(image.digest);
    expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  });

  if (auth !== 'none') {
    it('names the registry and does not retry when the credentials are wrong', async () => {
      await pushBusyboxImage(registry, 'base/denied', '1');
      const client = new RegistryClient({
        registry: registry.host,
        credential: { kind: 'basic', username: 'md-test', password: 'wrong' },
      });
      const error = await client.getManifest('base/denied', '1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toContain(registry.host);
      expect(client.requestCount).toBeLessThanOrEqual(2);
      expect(client.auth.tokenRequests).toBeLessThanOrEqual(1);
    });
  }
});
