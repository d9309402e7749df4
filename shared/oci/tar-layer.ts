import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGzip, constants as zlib } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import * as tar from 'tar-stream';
import { UserError } from '../common/errors.ts';
import { DigestingStream, type Digest } from './digest.ts';
import type { LayoutWriter } from './layout.ts';
import { MediaType } from './media-types.ts';
import type { Descriptor } from './types.ts';

/**
 * Deterministic tar layers: the same entries give the same bytes on every
 * machine, whatever the file system order, clock, owner or umask. Entries are
 * sorted by path, every parent directory is written explicitly, mtimes are the
 * source date epoch, owner is 0:0 with no names, and modes are 0755 for
 * directories and executables, 0644 for other files.
 */

/**
 * Read size for model files: a few pieces are in flight between the read, the
 * tar stream and the write. Peak RSS measured the same (~170 MB packaging a
 * 420 MB model, ~100 MB of it Node and the loaded modules) for 64 KiB to 1 MiB.
 */
const CHUNK = 256 * 1024;

type TarHeader = Partial<tar.Header> & Pick<tar.Header, 'name'>;

export type LayerEntry =
  | { type: 'file'; path: string; size: number; executable?: boolean; source: string }
  | { type: 'file'; path: string; executable?: boolean; content: Buffer }
  | { type: 'directory'; path: string }
  | { type: 'symlink'; path: string; target: string };

export type LayerCompression = 'gzip' | 'none';

export interface LayerOptions {
  /** Seconds since 1970, written as every entry's mtime. */
  sourceDateEpoch: number;
  compression: LayerCompression;
  /** zlib level for gzip layers (default 9: the config layer is tiny). */
  gzipLevel?: number;
  /** Called with the uncompressed sha256 of each regular file as it is written. */
  onFileDigest?: (path: string, digest: Digest) => void;
}

export interface BuiltLayer {
  descriptor: Descriptor;
  /** sha256 of the uncompressed tar: what image configs list in rootfs.diff_ids. */
  diffId: Digest;
  uncompressedSize: number;
}

/** Image paths are absolute POSIX paths; tar entries are stored relative, without `./`. */
function tarName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new Error(`layer path escapes the root: ${path}`);
  return parts.join('/');
}

/** Byte order, not locale order: the same on every machine. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Adds every missing parent directory, drops duplicates, and sorts. */
export function normaliseEntries(entries: LayerEntry[]): LayerEntry[] {
  const byName = new Map<string, LayerEntry>();
  for (const entry of entries) {
    const name = tarName(entry.path);
    if (name === '') continue;
    const existing = byName.get(name);
    if (existing !== undefined && !(existing.type === 'directory' && entry.type === 'directory')) {
      throw new Error(`two layer entries for the same path: /${name}`);
    }
    byName.set(name, { ...entry, path: name });
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const known = byName.get(parent);
      if (known === undefined) byName.set(parent, { type: 'directory', path: parent });
      else if (known.type !== 'directory') {
        throw new Error(`/${parent} is both a file and a parent directory in the layer`);
      }
    }
  }
  return [...byName.values()].sort((a, b) => compareBytes(a.path, b.path));
}

/**
 * gzip's header carries an OS byte that zlib sets from the platform it was
 * built for; pinning it to 255 ("unknown") keeps the bytes the same when the
 * layer is built on Linux, macOS or Windows runners. (The mtime field is
 * already zero because we compress a stream, not a file.)
 */
class PinGzipOsByte extends Transform {
  private seen = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    if (this.seen <= 9 && this.seen + chunk.length > 9) {
      chunk = Buffer.from(chunk);
      chunk[9 - this.seen] = 0xff;
    }
    this.seen += chunk.length;
    done(null, chunk);
  }
}

async function feed(pack: tar.Pack, entries: LayerEntry[], options: LayerOptions): Promise<void> {
  const mtime = new Date(options.sourceDateEpoch * 1000);
  const common = { mtime, uid: 0, gid: 0, uname: '', gname: '' };
  // Small files are read a few ahead, so the disk works while the tar is written.
  const ahead = new Map<number, Promise<Buffer>>();
  const readAhead = (from: number) => {
    for (let i = from; i < Math.min(entries.length, from + READ_AHEAD); i++) {
      const next = entries[i] as LayerEntry;
      if (ahead.has(i) || next.type !== 'file' || 'content' in next || next.size > SMALL_FILE)
        continue;
      const reading = readFile(next.source);
      // Awaited in order below; this only keeps an early failure from going unhandled.
      reading.catch(() => undefined);
      ahead.set(i, reading);
    }
  };
  for (const [index, entry] of entries.entries()) {
    readAhead(index);
    if (entry.type === 'directory') {
      await write(pack, { ...common, name: `${entry.path}/`, type: 'directory', mode: 0o755 });
    } else if (entry.type === 'symlink') {
      await write(pack, {
        ...common,
        name: entry.path,
        type: 'symlink',
        mode: 0o777,
        linkname: entry.target,
      });
    } else {
      const mode = entry.executable ? 0o755 : 0o644;
      if ('content' in entry) {
        await write(
          pack,
          { ...common, name: entry.path, type: 'file', mode, size: entry.content.length },
          entry.content,
        );
        options.onFileDigest?.(
          `/${entry.path}`,
          `sha256:${createHash('sha256').update(entry.content).digest('hex')}`,
        );
      } else {
        const header = {
          ...common,
          name: entry.path,
          type: 'file' as const,
          mode,
          size: entry.size,
        };
        const onDigest = (digest: Digest) => options.onFileDigest?.(`/${entry.path}`, digest);
        // A small file in one read of its own size: a stream's 256 KiB buffers
        // per file would make thousands of small files a garbage-collection storm.
        if (entry.size <= SMALL_FILE) {
          const content = ahead.get(index) ?? readFile(entry.source);
          ahead.delete(index);
          await smallFile(pack, header, entry.source, await content, onDigest);
        } else {
          await streamFile(pack, header, entry.source, onDigest);
        }
      }
    }
  }
  pack.finalize();
}

function write(pack: tar.Pack, header: TarHeader, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, content ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
  });
}

const SMALL_FILE = 64 * 1024;
/** Small files read ahead of the one being written: at most 2 MiB in memory. */
const READ_AHEAD = 32;

async function smallFile(
  pack: tar.Pack,
  header: TarHeader & { size: number },
  source: string,
  content: Buffer,
  onDigest: (digest: Digest) => void,
): Promise<void> {
  if (content.length !== header.size) {
    throw new UserError(
      `${source} changed while it was packaged (${header.size} bytes when listed, ${content.length} when read)`,
      { hint: 'package files that nothing writes to during the build' },
    );
  }
  await write(pack, header, content);
  onDigest(`sha256:${createHash('sha256').update(content).digest('hex')}`);
}

async function streamFile(
  pack: tar.Pack,
  header: TarHeader,
  source: string,
  onDigest: (digest: Digest) => void,
): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    const hasher = new DigestingStream();
    // A file that changes size while it is read would corrupt the tar; tar-stream reports it as an error.
    pipeline(createReadStream(source, { highWaterMark: CHUNK }), hasher, sink as never)
      .then(() => onDigest(hasher.digest))
      .catch(reject);
  });
  await done;
}

/**
 * Writes one layer blob into the layout, streaming: tar → sha256 (diff id) →
 * optional gzip → sha256 (blob digest) → file. Memory stays flat whatever the size.
 * Uncompressed layers are hashed once, since their diff id is their digest.
 */
export async function writeLayer(
  layout: LayoutWriter,
  entries: LayerEntry[],
  options: LayerOptions,
): Promise<BuiltLayer> {
  const sorted = normaliseEntries(entries);
  const pack = tar.pack({ highWaterMark: CHUNK });
  const feeding = feed(pack, sorted, options).catch((err: unknown) => {
    pack.destroy(err as Error);
    throw err;
  });
  if (options.compression === 'none') {
    const blob = await settle(feeding, layout.writeBlob(pack as unknown as AsyncIterable<Buffer>));
    return {
      descriptor: { mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size },
      diffId: blob.digest,
      uncompressedSize: blob.size,
    };
  }
  const uncompressed = new DigestingStream();
  const gzip = createGzip({ level: options.gzipLevel ?? zlib.Z_BEST_COMPRESSION, memLevel: 9 });
  const blob = await settle(
    feeding,
    layout.writeBlob(
      pack as unknown as AsyncIterable<Buffer>,
      uncompressed,
      gzip,
      new PinGzipOsByte(),
    ),
  );
  return {
    descriptor: { mediaType: MediaType.ociLayerGzip, digest: blob.digest, size: blob.size },
    diffId: uncompressed.digest,
    uncompressedSize: uncompressed.size,
  };
}

/**
 * Waits for both sides before reporting a failure, so the writer has removed
 * its partial file by the time the caller hears about it.
 */
async function settle<T>(feeding: Promise<void>, writing: Promise<T>): Promise<T> {
  const [fed, written] = await Promise.allSettled([feeding, writing]);
  if (fed.status === 'rejected') throw fed.reason;
  if (written.status === 'rejected') throw written.reason;
  return written.value;
}
