import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGzip, constants as zlib } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { createHash, hash } from 'node:crypto';
import { UserError } from '../common/errors.ts';
import { DigestingStream, type Digest } from './digest.ts';
import type { LayoutWriter } from './layout.ts';
import { MediaType } from './media-types.ts';
import {
  BLOCK,
  encodeTarHeader,
  END_OF_ARCHIVE,
  headerRoom,
  paddingAfter,
  writeTarHeader,
  type TarHeaderFields,
} from './tar-header.ts';
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
  const trimmed = path.replace(/^\/+/, '');
  // Most paths are already clean: no empty, `.` or `..` parts.
  if (!/(^|\/)\.{0,2}(\/|$)/.test(trimmed)) return trimmed;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new Error(`layer path escapes the root: ${path}`);
  return parts.join('/');
}

/**
 * Byte order of the UTF-8 names, not locale order: the same on every machine.
 * Below the surrogates, UTF-16 code units order as UTF-8 bytes do, so only
 * names that differ first at a surrogate pay for encoding.
 */
export function compareBytes(a: string, b: string): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
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
    addParents(byName, name);
  }
  return [...byName.values()].sort((a, b) => compareBytes(a.path, b.path));
}

/** From the nearest parent up; a folder already known had its own parents added with it. */
function addParents(byName: Map<string, LayerEntry>, name: string): void {
  for (let end = name.lastIndexOf('/'); end > 0; end = name.lastIndexOf('/', end - 1)) {
    const parent = name.slice(0, end);
    const known = byName.get(parent);
    if (known === undefined) byName.set(parent, { type: 'directory', path: parent });
    else if (known.type !== 'directory') {
      throw new Error(`/${parent} is both a file and a parent directory in the layer`);
    } else return;
  }
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

/** Files up to this size are read whole, in one call, straight into the tar. */
const SMALL_FILE = 64 * 1024;
const ZEROS = Buffer.alloc(BLOCK);

/**
 * Gathers entries into chunks of about CHUNK bytes, so that thousands of small
 * files make a few dozen writes down the pipeline rather than a few per file.
 * Headers are written and small files read straight into the chunk, and
 * padding is the chunk's zeros.
 */
class Chunker {
  private buffer = Buffer.alloc(CHUNK);
  private used = 0;

  /** The chunk gathered so far, when `bytes` more would not fit in it; a new one is started. */
  makeRoom(bytes: number): Buffer | undefined {
    if (this.used + bytes <= this.buffer.length) return undefined;
    const full = this.take();
    if (bytes > this.buffer.length) this.buffer = Buffer.alloc(bytes);
    return full;
  }

  get full(): boolean {
    return this.used >= CHUNK;
  }

  header(fields: TarHeaderFields): void {
    this.used += writeTarHeader(fields, this.buffer, this.used);
  }

  add(bytes: Buffer): void {
    bytes.copy(this.buffer, this.used);
    this.used += bytes.length;
  }

  /** Leaves zeros up to the next tar block after `size` bytes of content. */
  pad(size: number): void {
    this.used += paddingAfter(size);
  }

  /** Reads a small file into the chunk, with room for one byte more (made first); returns its bytes. */
  readFile(source: string, size: number): Buffer {
    const start = this.used;
    readSmallFile(source, size, this.buffer, start);
    this.used += size;
    return this.buffer.subarray(start, this.used);
  }

  take(): Buffer | undefined {
    if (this.used === 0) return undefined;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.alloc(CHUNK);
    this.used = 0;
    return chunk;
  }
}

/**
 * The layer's tar bytes. Directories, links, given content and small files
 * are written synchronously into chunks (a small file costs an open, a read
 * and a close, no stream and no promise); large files are streamed with
 * bounded memory. Each regular file's sha256 is reported as it is written.
 */
async function* tarBytes(entries: LayerEntry[], options: LayerOptions): AsyncGenerator<Buffer> {
  const mtime = new Date(options.sourceDateEpoch * 1000);
  const chunker = new Chunker();
  for (const entry of entries) {
    const fields = headerOf(entry, mtime);
    if (entry.type === 'file' && !('content' in entry) && entry.size > SMALL_FILE) {
      const pending = chunker.take();
      if (pending !== undefined) yield pending;
      yield* streamedFile(entry, fields, options);
      continue;
    }
    const full = chunker.makeRoom(headerRoom(fields) + fields.size + BLOCK);
    if (full !== undefined) yield full;
    chunker.header(fields);
    if (entry.type === 'file') {
      const content =
        'content' in entry ? entry.content : chunker.readFile(entry.source, fields.size);
      if ('content' in entry) chunker.add(content);
      chunker.pad(fields.size);
      options.onFileDigest?.(`/${entry.path}`, `sha256:${hash('sha256', content)}`);
    }
    const ready = chunker.full ? chunker.take() : undefined;
    if (ready !== undefined) yield ready;
  }
  const last = chunker.makeRoom(END_OF_ARCHIVE.length);
  if (last !== undefined) yield last;
  chunker.add(END_OF_ARCHIVE);
  yield chunker.take()!;
}

function headerOf(entry: LayerEntry, mtime: Date): TarHeaderFields {
  if (entry.type === 'directory') {
    return { name: `${entry.path}/`, type: 'directory', mode: 0o755, size: 0, mtime };
  }
  if (entry.type === 'symlink') {
    return {
      name: entry.path,
      type: 'symlink',
      mode: 0o777,
      size: 0,
      mtime,
      linkname: entry.target,
    };
  }
  const size = 'content' in entry ? entry.content.length : entry.size;
  return { name: entry.path, type: 'file', mode: entry.executable ? 0o755 : 0o644, size, mtime };
}

/**
 * Reads a small file into `into` at `at`, where there is room for one byte
 * more than the listed size, so that a file that grew is noticed as well as
 * one that shrank.
 */
function readSmallFile(source: string, size: number, into: Buffer, at: number): void {
  let read = 0;
  let fd: number | undefined;
  try {
    fd = openSync(source, 'r');
    // A short read of a regular file is its end, so a file read whole is not asked
    // again; an empty one is asked once, to see whether it is still empty.
    for (let n = -1; n !== 0 && read < Math.max(size, 1); read += n) {
      n = readSync(fd, into, at + read, size + 1 - read, read);
    }
  } catch (err) {
    throw unreadable(source, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (read !== size) throw changedWhilePackaged(source, size, read);
}

/** A large file's header, bytes and padding, streamed. */
async function* streamedFile(
  entry: Extract<LayerEntry, { source: string }>,
  fields: TarHeaderFields,
  options: LayerOptions,
): AsyncGenerator<Buffer> {
  yield encodeTarHeader(fields);
  const digest = createHash('sha256');
  let read = 0;
  const stream = createReadStream(entry.source, { highWaterMark: CHUNK });
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      // Only the file's own errors are its; a failure downstream arrives at the yield.
      const next = await chunks.next().catch((err: unknown) => {
        throw unreadable(entry.source, err);
      });
      if (next.done === true) break;
      read += next.value.length;
      // A file that grows or shrinks while it is read would corrupt the tar.
      if (read > entry.size) break;
      digest.update(next.value);
      yield next.value;
    }
  } finally {
    stream.destroy();
  }
  if (read !== entry.size) throw changedWhilePackaged(entry.source, entry.size, read);
  options.onFileDigest?.(`/${entry.path}`, `sha256:${digest.digest('hex')}`);
  const padding = paddingAfter(entry.size);
  if (padding > 0) yield ZEROS.subarray(0, padding);
}

function changedWhilePackaged(source: string, listed: number, read: number): UserError {
  const now = read > listed ? 'more' : String(read);
  return new UserError(
    `${source} changed while it was packaged (${listed} bytes when listed, ${now} when read)`,
    { hint: 'package files that nothing writes to during the build' },
  );
}

/** A model file that vanished or cannot be read between the listing and the tar. */
function unreadable(source: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const problem =
    code === 'ENOENT'
      ? 'was removed while it was packaged'
      : `could not be read (${(err as Error).message})`;
  return new UserError(`${source} ${problem}`, {
    hint:
      code === 'EACCES' || code === 'EPERM'
        ? "make the model files readable by the runner's user"
        : 'package files that nothing writes to during the build',
    cause: err,
  });
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
  const tarred = tarBytes(normaliseEntries(entries), options);
  if (options.compression === 'none') {
    const blob = await layout.writeBlob(tarred);
    return {
      descriptor: { mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size },
      diffId: blob.digest,
      uncompressedSize: blob.size,
    };
  }
  const uncompressed = new DigestingStream();
  const gzip = createGzip({ level: options.gzipLevel ?? zlib.Z_BEST_COMPRESSION, memLevel: 9 });
  const blob = await layout.writeBlob(tarred, uncompressed, gzip, new PinGzipOsByte());
  return {
    descriptor: { mediaType: MediaType.ociLayerGzip, digest: blob.digest, size: blob.size },
    diffId: uncompressed.digest,
    uncompressedSize: uncompressed.size,
  };
}
