import { describe, expect, it } from 'vitest';
import { ChunkReader, teeStream } from '../../../shared/registry/byte-streams.ts';
import { nextOffsetFromRange } from '../../../shared/registry/upload.ts';

async function* chunksOf(sizes: number[], onPull?: () => void): AsyncGenerator<Uint8Array> {
  let value = 0;
  for (const size of sizes) {
    onPull?.();
    yield Uint8Array.from({ length: size }, () => value++ & 0xff);
  }
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

describe('ChunkReader', () => {
  it('cuts a stream with odd chunk sizes into exact lengths', async () => {
    const reader = new ChunkReader(chunksOf([3, 10, 1, 7]));
    const a = await collect(reader.take(5));
    const b = await collect(reader.take(12));
    const c = await collect(reader.take(4));
    expect([a.length, b.length, c.length]).toEqual([5, 12, 4]);
    expect(Buffer.concat([a, b, c])).toEqual(Buffer.from(Array.from({ length: 21 }, (_, i) => i)));
  });

  it('fails when the source ends early', async () => {
    const reader = new ChunkReader(chunksOf([3]));
    await expect(collect(reader.take(4))).rejects.toThrow(/ended 1 bytes early/);
  });
});

describe('teeStream', () => {
  it('gives every branch the same bytes from one read of the source', async () => {
    let pulls = 0;
    const branches = teeStream(
      chunksOf([4, 4, 4, 4], () => pulls++),
      3,
      2,
    );
    const results = await Promise.all(branches.map(collect));
    expect(pulls).toBe(4);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]?.length).toBe(16);
  });

  it('holds the source back while a branch is slow (bounded memory)', async () => {
    let pulls = 0;
    const [fast, slow] = teeStream(
      chunksOf(Array(20).fill(1), () => pulls++),
      2,
      2,
    );
    const fastIterator = fast![Symbol.asyncIterator]();
    const slowIterator = slow![Symbol.asyncIterator]();
    await slowIterator.next();
    for (let i = 0; i < 3; i++)
      await Promise.race([fastIterator.next(), new Promise((r) => setTimeout(r, 20))]);
    // The slow branch holds at most highWater chunks, so the source stopped early.
    expect(pulls).toBeLessThanOrEqual(4);
  });

  it('drops a branch that stops so the others finish, and passes source errors to all', async () => {
    const [stopping, going] = teeStream(chunksOf([1, 1, 1, 1, 1, 1]), 2, 1);
    const stopper = stopping![Symbol.asyncIterator]();
    await stopper.next();
    await stopper.return?.();
    expect((await collect(going!)).length).toBe(6);

    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1);
      throw new Error('disk went away');
    }
    const broken = teeStream(failing(), 2);
    for (const b of broken) await expect(collect(b)).rejects.toThrow('disk went away');
  });
});

describe('nextOffsetFromRange', () => {
  it('reads the Range header of an upload', () => {
    expect(nextOffsetFromRange('0-1048575')).toBe(1048576);
    expect(nextOffsetFromRange('bytes=0-9')).toBe(10);
    expect(nextOffsetFromRange('0-0')).toBe(0);
    expect(nextOffsetFromRange(null)).toBeUndefined();
    expect(nextOffsetFromRange('5-9')).toBeUndefined();
  });
});
