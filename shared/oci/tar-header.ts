/**
 * Tar entry headers, encoded here rather than through a tar library's stream:
 * a stream object per entry costs ~18 µs, which for 10,000 small files is more
 * than reading and hashing them. The bytes are exactly those tar-stream 3's
 * `pack()` writes for the same entry (the format model-deploy's layers have
 * always had, so digests do not change); test/unit/oci/tar-header.test.ts
 * checks that against tar-stream for ordinary, long, non-ASCII and huge entries.
 *
 * What is written: a ustar block (owner 0:0, no user or group names, device
 * numbers 0). A name that is not ASCII, or that does not fit the ustar name
 * and prefix fields, and a link target over 100 bytes go in a pax extended
 * header (`path=`, `linkpath=`) before a ustar block named `PaxHeader`.
 */

export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarHeaderFields {
  /** As stored: relative, directories ending in `/`. */
  name: string;
  type: TarEntryType;
  mode: number;
  /** Content bytes; 0 for directories and symlinks. */
  size: number;
  mtime: Date;
  /** A symlink's target. */
  linkname?: string;
}

export const BLOCK = 512;

/** Two zero blocks: the end of an archive. */
export const END_OF_ARCHIVE: Buffer = Buffer.alloc(2 * BLOCK);

/** Type flags: '0', '2', '5', and 'x' for a pax extended header. */
const TYPE_FLAG: Record<TarEntryType | 'pax', number> = {
  file: 0x30,
  symlink: 0x32,
  directory: 0x35,
  pax: 0x78,
};

/** Zero bytes after `size` bytes of content, up to the next block. */
export function paddingAfter(size: number): number {
  const tail = size % BLOCK;
  return tail === 0 ? 0 : BLOCK - tail;
}

/** The fields every header shares: owner 0:0, the ustar magic and version, device numbers 0. */
const TEMPLATE: Buffer = (() => {
  const block = Buffer.alloc(BLOCK);
  block.write('000000 \u0000000000 ', 108, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.write('000000 \u0000000000 ', 329, 'latin1');
  return block;
})();
/** The template's bytes, with the checksum field counted as eight spaces. */
const TEMPLATE_SUM = TEMPLATE.reduce((sum, byte) => sum + byte, 8 * 0x20);

/** Sum of the bytes from `start` to `end`: what a field adds to the checksum. */
function byteSum(block: Buffer, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += block[i]!;
  return sum;
}

/**
 * An octal field: `digits` digits and a space; all sevens when it does not
 * fit. Returns what it adds to the checksum.
 */
function putOctal(block: Buffer, at: number, value: number, digits: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    // Not written by model-deploy (times before 1970 at most), spelled as tar-stream does.
    const text = value.toString(8);
    const field = text.length > digits ? '7'.repeat(digits) : text.padStart(digits, '0');
    block.write(`${field} `, at, 'latin1');
    return byteSum(block, at, at + digits + 1);
  }
  let rest = value < 8 ** digits ? value : 8 ** digits - 1;
  let sum = 0x20;
  for (let i = at + digits - 1; i >= at; i--) {
    const digit = 0x30 + (rest % 8);
    block[i] = digit;
    sum += digit;
    rest = Math.floor(rest / 8);
  }
  block[at + digits] = 0x20;
  return sum;
}

/** Sizes from 8 GiB up do not fit 11 octal digits: base-256, big-endian, after a 0x80 marker. */
function putSize(block: Buffer, at: number, size: number): number {
  if (size < 8 ** 11) return putOctal(block, at, size, 11);
  block[at] = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    block[at + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return byteSum(block, at, at + 12);
}

/** ASCII text, checked by the caller, a byte per character; returns its checksum share. */
function putAscii(block: Buffer, at: number, text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    block[at + i] = code;
    sum += code;
  }
  return sum;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The name split into ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes) at
 * the leftmost slashes that make the name fit, or undefined when it cannot be.
 */
function splitName(name: string): { name: string; prefix: string } | undefined {
  if (!isAscii(name)) return undefined;
  let rest = name;
  let prefix = '';
  while (rest.length > 100) {
    const slash = rest.indexOf('/');
    if (slash === -1) return undefined;
    prefix = prefix === '' ? rest.slice(0, slash) : `${prefix}/${rest.slice(0, slash)}`;
    rest = rest.slice(slash + 1);
  }
  return prefix.length > 155 ? undefined : { name: rest, prefix };
}

/** One ustar block at `at`, the checksum summed from the fields as they are written. */
function putUstar(
  block: Buffer,
  at: number,
  fields: TarHeaderFields,
  split: { name: string; prefix: string },
  typeFlag: number,
): void {
  TEMPLATE.copy(block, at);
  let sum = TEMPLATE_SUM + typeFlag;
  sum += putAscii(block, at, split.name);
  sum += putOctal(block, at + 100, fields.mode & 0o7777, 6);
  sum += putSize(block, at + 124, fields.size);
  sum += putOctal(block, at + 136, (fields.mtime.getTime() / 1000) | 0, 11);
  block[at + 156] = typeFlag;
  if (fields.linkname) {
    const written = block.write(fields.linkname, at + 157, 'utf8');
    sum += byteSum(block, at + 157, at + 157 + written);
  }
  if (split.prefix !== '') sum += putAscii(block, at + 345, split.prefix);
  putOctal(block, at + 148, sum, 6);
}

/** One pax record: `<length> <key>=<value>\n`, the length counting its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(body);
  let digits = String(bytes).length;
  while (String(bytes + digits).length > digits) digits++;
  return `${bytes + digits}${body}`;
}

/** A pax extended header, its padding, then the entry's own block named `PaxHeader`. */
function paxHeaders(fields: TarHeaderFields): Buffer {
  const records =
    paxRecord('path', fields.name) +
    (fields.linkname ? paxRecord('linkpath', fields.linkname) : '');
  const pax = Buffer.from(records, 'utf8');
  const paxEnd = BLOCK + pax.length + paddingAfter(pax.length);
  const headers = Buffer.alloc(paxEnd + BLOCK);
  const stand = { name: 'PaxHeader', prefix: '' };
  const linkname = fields.linkname ? 'PaxHeader' : undefined;
  putUstar(headers, 0, { ...fields, size: pax.length, linkname }, stand, TYPE_FLAG.pax);
  pax.copy(headers, BLOCK);
  putUstar(headers, paxEnd, { ...fields, linkname }, stand, TYPE_FLAG[fields.type]);
  return headers;
}

function linkFits(fields: TarHeaderFields): boolean {
  return !fields.linkname || Buffer.byteLength(fields.linkname) <= 100;
}

/** The header block(s) of one entry: what comes before its content. */
export function encodeTarHeader(fields: TarHeaderFields): Buffer {
  const split = splitName(fields.name);
  if (split === undefined || !linkFits(fields)) return paxHeaders(fields);
  const block = Buffer.alloc(BLOCK);
  putUstar(block, 0, fields, split, TYPE_FLAG[fields.type]);
  return block;
}

/** At least the bytes the header(s) of an entry take (pax records are at most 3 bytes a character). */
export function headerRoom(fields: TarHeaderFields): number {
  return 4 * BLOCK + 3 * (fields.name.length + (fields.linkname?.length ?? 0));
}

/**
 * Writes the header(s) of an entry into `target` at `at`, where there is room
 * for headerRoom(fields) bytes (whatever they hold), without a buffer of
 * their own in the usual case; returns the bytes written.
 */
export function writeTarHeader(fields: TarHeaderFields, target: Buffer, at: number): number {
  const split = splitName(fields.name);
  if (split === undefined || !linkFits(fields)) {
    const headers = paxHeaders(fields);
    headers.copy(target, at);
    return headers.length;
  }
  putUstar(target, at, fields, split, TYPE_FLAG[fields.type]);
  return BLOCK;
}
