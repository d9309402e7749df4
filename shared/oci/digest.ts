import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../common/errors.ts';

/** A content digest as OCI writes it. Only sha256 is produced; it is what every registry accepts. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): value is Digest {
  return DIGEST.test(value);
}

/** Validates a digest read from outside (a file, a registry, an input). */
export function parseDigest(value: string, where = 'digest'): Digest {
  if (!isDigest(value)) {
    throw new UserError(`${where} '${value}' is not a sha256 digest (sha256:<64 hex digits>)`);
  }
  return value;
}

export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

export function sha256Digest(data: Buffer | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * A pass-through that hashes and counts what flows through it, so a digest is
 * known the moment the last byte is written and no byte is read twice.
 */
export class DigestingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private result: Digest | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.result = `sha256:${this.hash.digest('hex')}`;
    done();
  }

  get size(): number {
    return this.bytes;
  }

  /** Available after the stream has ended. */
  get digest(): Digest {
    if (this.result === undefined) throw new Error('digest read before the stream ended');
    return this.result;
  }
}

/** sha256 and size of a file, streamed. */
export async function digestFile(path: string): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), async (source) => {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
