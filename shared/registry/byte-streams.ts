/**
 * Pull-based byte plumbing for uploads: cutting one stream into chunk bodies,
 * and teeing one read of a blob to several uploads with backpressure.
 */

/** Reads exact byte counts from a stream whose chunks have arbitrary sizes. */
export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private leftover: Buffer | undefined;
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** The next `length` bytes as a stream of buffers; fails if the source ends early. */
  async *take(length: number): AsyncGenerator<Buffer> {
    let remaining = length;
    while (remaining > 0) {
      let chunk = this.leftover;
      this.leftover = undefined;
      if (chunk === undefined) {
        if (this.ended) throw new Error(`the blob ended ${remaining} bytes early`);
        const next = await this.iterator.next();
        if (next.done) {
          this.ended = true;
          continue;
        }
        chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
      if (chunk.length > remaining) {
        this.leftover = chunk.subarray(remaining);
        chunk = chunk.subarray(0, remaining);
      }
      remaining -= chunk.length;
      yield chunk;
    }
  }

  /** Releases the source (a file handle, a socket) without reading the rest. */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

interface Branch {
  queue: Buffer[];
  done: boolean;
  wake: (() => void) | undefined;
}

/**
 * One read of `source` feeding `count` consumers. The source is pulled only
 * when every consumer still reading has room (at most `highWater` chunks
 * queued), so memory stays bounded and the slowest upload sets the pace. A
 * consumer that stops (its upload failed) is dropped and no longer holds the
 * others back; a source error reaches every consumer.
 */
export function teeStream(
  source: AsyncIterable<Uint8Array>,
  count: number,
  highWater = 8,
): AsyncIterable<Buffer>[] {
  const tee = new Tee(source, count, highWater);
  return tee.branches.map((branch) => ({
    [Symbol.asyncIterator]: () => tee.reader(branch),
  }));
}

/** The shared state of one tee: the branches' queues and the source's progress. */
class Tee {
  readonly branches: Branch[];
  private sourceDone = false;
  private sourceError: unknown;
  private pumping: Promise<void> | undefined;
  private producerWake: (() => void) | undefined;

  private readonly source: AsyncIterable<Uint8Array>;
  private readonly highWater: number;

  constructor(source: AsyncIterable<Uint8Array>, count: number, highWater: number) {
    this.source = source;
    this.highWater = highWater;
    this.branches = Array.from({ length: count }, () => ({
      queue: [],
      done: false,
      wake: undefined,
    }));
  }

  private wakeProducer(): void {
    const w = this.producerWake;
    this.producerWake = undefined;
    w?.();
  }

  private wakeAll(): void {
    for (const b of this.branches) {
      const w = b.wake;
      b.wake = undefined;
      w?.();
    }
  }

  /** Pulls the source while every branch still reading has room. */
  private async pump(): Promise<void> {
    const iterator = this.source[Symbol.asyncIterator]();
    const { branches } = this;
    try {
      for (;;) {
        while (branches.some((b) => !b.done && b.queue.length >= this.highWater)) {
          await new Promise<void>((resolve) => (this.producerWake = resolve));
        }
        if (branches.every((b) => b.done)) {
          await iterator.return?.();
          return;
        }
        const next = await iterator.next();
        if (next.done) break;
        const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        for (const b of branches) if (!b.done) b.queue.push(chunk);
        this.wakeAll();
      }
    } catch (err) {
      this.sourceError = err ?? new Error('the blob source failed');
    }
    this.sourceDone = true;
    this.wakeAll();
  }

  private async next(branch: Branch): Promise<IteratorResult<Buffer>> {
    for (;;) {
      if (branch.done) return { done: true, value: undefined };
      const chunk = branch.queue.shift();
      if (chunk !== undefined) {
        this.wakeProducer();
        return { done: false, value: chunk };
      }
      if (this.sourceDone) {
        branch.done = true;
        if (this.sourceError !== undefined) throw this.sourceError;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (branch.wake = resolve));
    }
  }

  /** A branch's iterator; the first one opened starts the pump. */
  reader(branch: Branch): AsyncIterator<Buffer> {
    this.pumping ??= this.pump();
    return {
      next: () => this.next(branch),
      return: async (): Promise<IteratorResult<Buffer>> => {
        branch.done = true;
        branch.queue.length = 0;
        this.wakeProducer();
        return { done: true, value: undefined };
      },
    };
  }
}
