import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DigestingStream,
  digestFile,
  digestHex,
  isDigest,
  parseDigest,
  sha256Digest,
} from '../../../shared/oci/digest.ts';

const dir = mkdtempSync(join(tmpdir(), 'md-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('digests', () => {
  it('accepts only sha256 with 64 lowercase hex digits', () => {
    const good = `sha256:${hex('x')}`;
    expect(isDigest(good)).toBe(true);
    expect(isDigest(good.toUpperCase())).toBe(false);
    expect(isDigest(good.slice(0, -1))).toBe(false);
    expect(isDigest(`sha512:${hex('x')}`)).toBe(false);
    expect(parseDigest(good)).toBe(good);
    expect(() => parseDigest('sha256:abc', 'config')).toThrow("config 'sha256:abc'");
    expect(digestHex(parseDigest(good))).toBe(hex('x'));
  });

  it('hashes bytes, a stream passing through and a file to the same digest', async () => {
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    expect(sha256Digest(bytes)).toBe(`sha256:${hex(bytes)}`);
    const stream = new DigestingStream();
    const passed: Buffer[] = [];
    await pipeline(
      Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      stream,
      new Writable({
        write(chunk, _enc, done) {
          passed.push(chunk as Buffer);
          done();
        },
      }),
    );
    expect(stream.digest).toBe(sha256Digest(bytes));
    expect(stream.size).toBe(bytes.length);
    expect(Buffer.concat(passed).equals(bytes)).toBe(true);
    const file = join(dir, 'blob');
    writeFileSync(file, bytes);
    expect(await digestFile(file)).toEqual({ digest: sha256Digest(bytes), size: bytes.length });
  });

  it('refuses to tell the digest of a stream that has not ended', () => {
    const stream = new DigestingStream();
    stream.write(Buffer.from('partial'));
    expect(() => stream.digest).toThrow('before the stream ended');
  });
});
