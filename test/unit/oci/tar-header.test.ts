import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as tar from 'tar-stream';
import {
  encodeTarHeader,
  END_OF_ARCHIVE,
  headerRoom,
  paddingAfter,
  writeTarHeader,
  type TarHeaderFields,
} from '../../../shared/oci/tar-header.ts';

/** What tar-stream's pack() writes for one entry, the archive's end included. */
async function tarStreamBytes(fields: TarHeaderFields, content: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  const header = {
    name: fields.name,
    type: fields.type,
    mode: fields.mode,
    mtime: fields.mtime,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    ...(fields.type === 'file' ? { size: fields.size } : {}),
    ...(fields.linkname !== undefined ? { linkname: fields.linkname } : {}),
  };
  await new Promise<void>((resolve, reject) =>
    pack.entry(header, content, (err) => (err ? reject(err) : resolve())),
  );
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

function ourBytes(fields: TarHeaderFields, content: Buffer): Buffer {
  return Buffer.concat([
    encodeTarHeader(fields),
    content,
    Buffer.alloc(paddingAfter(content.length)),
    END_OF_ARCHIVE,
  ]);
}

const mtime = new Date(1_700_000_000 * 1000);
const file = (name: string, size: number, mode = 0o644): TarHeaderFields => ({
  name,
  type: 'file',
  mode,
  size,
  mtime,
});

describe('tar headers', () => {
  const cases: Array<[string, TarHeaderFields]> = [
    ['a small file', file('models/m/1/config.json', 300)],
    ['an empty file', file('models/m/1/__init__.py', 0)],
    ['an executable of exactly one block', file('bin/run.sh', 512, 0o755)],
    ['a file at the epoch', { ...file('a.txt', 3), mtime: new Date(0) }],
    ['a file from before 1970', { ...file('a.txt', 3), mtime: new Date(-86_400_000) }],
    ['a file in 2100', { ...file('a.txt', 3), mtime: new Date(4_102_444_800_000) }],
    ['a folder', { name: 'models/m/', type: 'directory', mode: 0o755, size: 0, mtime }],
    [
      'a symlink',
      { name: 'models/m/latest', type: 'symlink', mode: 0o777, size: 0, mtime, linkname: '1' },
    ],
    ['a name of exactly 100 bytes', file('n'.repeat(100), 1)],
    ['a long path split into prefix and name', file(`${'a'.repeat(90)}/${'b'.repeat(90)}`, 7)],
    ['a long path of many folders', file(`${'dir/'.repeat(60)}leaf.bin`, 20)],
    ['a long last part (pax)', file(`models/${'x'.repeat(140)}.txt`, 9)],
    ['a prefix over 155 bytes (pax)', file(`${'p'.repeat(160)}/${'q'.repeat(60)}`, 9)],
    ['a non-ASCII name (pax)', file('models/naïve-名前.txt', 11)],
    ['a pax record crossing 100 bytes', file('y'.repeat(93), 2)],
    ['a pax record crossing 1000 bytes', file(`${'z'.repeat(600)}/${'w'.repeat(389)}`, 2)],
    [
      'a long folder name (pax)',
      { name: `${'d'.repeat(120)}/`, type: 'directory', mode: 0o755, size: 0, mtime },
    ],
    [
      'a non-ASCII link target that fits',
      { name: 'l', type: 'symlink', mode: 0o777, size: 0, mtime, linkname: 'ünï/名前' },
    ],
    [
      'a long link target (pax)',
      { name: 'l', type: 'symlink', mode: 0o777, size: 0, mtime, linkname: 't/'.repeat(60) },
    ],
    [
      'a long name and target (pax)',
      {
        name: `é/${'n'.repeat(130)}`,
        type: 'symlink',
        mode: 0o777,
        size: 0,
        mtime,
        linkname: 'é'.repeat(70),
      },
    ],
  ];

  it.each(cases)('writes the bytes tar-stream writes for %s', async (_title, fields) => {
    const content = Buffer.alloc(fields.size, 0x41);
    expect(ourBytes(fields, content).equals(await tarStreamBytes(fields, content))).toBe(true);
  });

  it.each(cases)('writes %s in place, over whatever the buffer held', (_title, fields) => {
    const encoded = encodeTarHeader(fields);
    const target = Buffer.alloc(100 + headerRoom(fields), 0xaa);
    const written = writeTarHeader(fields, target, 100);
    expect(written).toBe(encoded.length);
    expect(written).toBeLessThanOrEqual(headerRoom(fields));
    expect(target.subarray(100, 100 + written).equals(encoded)).toBe(true);
    expect(target.subarray(0, 100).every((byte) => byte === 0xaa)).toBe(true);
  });

  it('writes the bytes tar-stream writes for every name length around the ustar limits', async () => {
    for (let length = 95; length <= 110; length++) {
      for (const name of ['f'.repeat(length), `dir/${'f'.repeat(length)}`]) {
        const fields = file(name, 1);
        const content = Buffer.from('x');
        expect(ourBytes(fields, content).equals(await tarStreamBytes(fields, content)), name).toBe(
          true,
        );
      }
    }
  });

  it('encodes sizes from 8 GiB up in base-256, as tar-stream does', () => {
    // tar-stream's own header encoder: a 10 GiB entry cannot be packed here.
    const require = createRequire(import.meta.url);
    const headers = require('../../../node_modules/tar-stream/headers.js') as {
      encode(header: object): Buffer;
    };
    for (const size of [8 * 1024 ** 3 - 1, 8 * 1024 ** 3, 10 * 1024 ** 3 + 12345, 2 ** 52]) {
      const fields = file('models/m/1/model.safetensors', size);
      const expected = headers.encode({ ...fields, uid: 0, gid: 0, uname: '', gname: '' });
      expect(encodeTarHeader(fields).equals(expected), String(size)).toBe(true);
    }
  });

  it('pads content to whole blocks', () => {
    expect([0, 1, 511, 512, 513, 1024].map(paddingAfter)).toEqual([0, 511, 1, 0, 511, 0]);
  });
});
