import { mkdirSync, mkdtempSync, readdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as tar from 'tar-stream';
import { Readable } from 'node:stream';
import { LayoutWriter, blobPath } from '../../../shared/oci/layout.ts';
import {
  compareBytes,
  normaliseEntries,
  writeLayer,
  type LayerEntry,
} from '../../../shared/oci/tar-layer.ts';
import { UserError } from '../../../shared/common/errors.ts';
import type { Digest } from '../../../shared/oci/digest.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-tar-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function entriesOf(bytes: Buffer): Promise<tar.Header[]> {
  const extract = tar.extract();
  const headers: tar.Header[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      headers.push(entry.header);
      entry.resume();
    }
  })();
  Readable.from([bytes]).pipe(extract as never);
  await done;
  return headers;
}

describe('deterministic tar layers', () => {
  it('adds parent folders, sorts by bytes, and refuses a path used twice or escaping', () => {
    const sorted = normaliseEntries([
      { type: 'file', path: '/b/z.txt', content: Buffer.from('z') },
      { type: 'file', path: '/a.txt', content: Buffer.from('a') },
      { type: 'file', path: '/a/b.txt', content: Buffer.from('b') },
    ]);
    expect(sorted.map((e) => `${e.type}:${e.path}`)).toEqual([
      'directory:a',
      'file:a.txt',
      'file:a/b.txt',
      'directory:b',
      'file:b/z.txt',
    ]);
    expect(() =>
      normaliseEntries([
        { type: 'file', path: '/x', content: Buffer.alloc(1) },
        { type: 'file', path: 'x', content: Buffer.alloc(1) },
      ]),
    ).toThrow('two layer entries for the same path: /x');
    expect(() =>
      normaliseEntries([{ type: 'file', path: '/../etc/passwd', content: Buffer.alloc(1) }]),
    ).toThrow('escapes the root');
  });

  it('writes fixed owner, mtimes and modes whatever the source file has, and reports file digests', async () => {
    const dir = temp();
    const source = join(dir, 'w.bin');
    writeFileSync(source, Buffer.from('weights'), { mode: 0o600 });
    const layout = await LayoutWriter.create(join(dir, 'layout'));
    const digests = new Map<string, Digest>();
    const entries: LayerEntry[] = [
      { type: 'file', path: '/models/m/w.bin', size: 7, source },
      {
        type: 'file',
        path: '/models/m/run.sh',
        content: Buffer.from('#!/bin/sh\n'),
        executable: true,
      },
      { type: 'symlink', path: '/models/m/latest', target: 'w.bin' },
    ];
    const layer = await writeLayer(layout, entries, {
      sourceDateEpoch: 1234567890,
      compression: 'none',
      onFileDigest: (p, d) => digests.set(p, d),
    });
    expect(layer.diffId).toBe(layer.descriptor.digest);
    expect(layer.descriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
    const headers = await entriesOf(readFileSync(blobPath(layout.root, layer.descriptor.digest)));
    expect(
      headers.map((h) => [
        h.name,
        h.type,
        h.mode.toString(8),
        h.uid,
        h.gid,
        h.uname,
        h.mtime.getTime() / 1000,
      ]),
    ).toEqual([
      ['models/', 'directory', '755', 0, 0, '', 1234567890],
      ['models/m/', 'directory', '755', 0, 0, '', 1234567890],
      ['models/m/latest', 'symlink', '777', 0, 0, '', 1234567890],
      ['models/m/run.sh', 'file', '755', 0, 0, '', 1234567890],
      ['models/m/w.bin', 'file', '644', 0, 0, '', 1234567890],
    ]);
    expect(digests.get('/models/m/w.bin')).toBe(
      `sha256:${createHash('sha256').update('weights').digest('hex')}`,
    );
  });

  it('gzip layers: diff id is the uncompressed digest and the gzip header has no platform byte', async () => {
    const layout = await LayoutWriter.create(join(temp(), 'layout'));
    const entries: LayerEntry[] = [
      { type: 'file', path: '/model-deploy/model.json', content: Buffer.from('{"a":1}') },
    ];
    const gz = await writeLayer(layout, entries, { sourceDateEpoch: 0, compression: 'gzip' });
    const plain = await writeLayer(layout, entries, { sourceDateEpoch: 0, compression: 'none' });
    const compressed = readFileSync(blobPath(layout.root, gz.descriptor.digest));
    expect(gz.descriptor.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(compressed[9]).toBe(0xff);
    expect(compressed.readUInt32LE(4)).toBe(0);
    expect(gz.diffId).toBe(plain.descriptor.digest);
    expect(`sha256:${createHash('sha256').update(gunzipSync(compressed)).digest('hex')}`).toBe(
      gz.diffId,
    );
    const again = await writeLayer(layout, entries, { sourceDateEpoch: 0, compression: 'gzip' });
    expect(again.descriptor.digest).toBe(gz.descriptor.digest);
  });

  it('fails, leaving no blob, when a file changes size while it is written', async () => {
    const dir = temp();
    const source = join(dir, 'w.bin');
    writeFileSync(source, Buffer.alloc(10));
    const layout = await LayoutWriter.create(join(dir, 'layout'));
    await expect(
      writeLayer(layout, [{ type: 'file', path: '/w.bin', size: 20, source }], {
        sourceDateEpoch: 0,
        compression: 'none',
      }),
    ).rejects.toThrow();
    expect(readdirSync(join(layout.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('sorts names by their UTF-8 bytes', () => {
    const names = [
      'b',
      'a',
      'ab',
      'a/b',
      'a-b',
      'é',
      'z',
      '\u{1f600}',
      '\ue000',
      '\uffff',
      'Z',
      'a\u{1f600}',
      'a\ue000',
    ];
    const byBuffer = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...names].sort(compareBytes)).toEqual(byBuffer);
    expect(compareBytes('same', 'same')).toBe(0);
  });
});

/**
 * The bytes layers had when every entry went through tar-stream's pack(), one
 * entry at a time: the batched writer must give exactly these, or digests of
 * images built before would change.
 */
async function tarStreamLayer(entries: LayerEntry[], epoch: number): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  const common = { mtime: new Date(epoch * 1000), uid: 0, gid: 0, uname: '', gname: '' };
  for (const entry of normaliseEntries(entries)) {
    const [header, content] =
      entry.type === 'directory'
        ? [
            { ...common, name: `${entry.path}/`, type: 'directory' as const, mode: 0o755 },
            undefined,
          ]
        : entry.type === 'symlink'
          ? [
              {
                ...common,
                name: entry.path,
                type: 'symlink' as const,
                mode: 0o777,
                linkname: entry.target,
              },
              undefined,
            ]
          : [
              {
                ...common,
                name: entry.path,
                type: 'file' as const,
                mode: entry.executable ? 0o755 : 0o644,
              },
              'content' in entry ? entry.content : readFileSync(entry.source),
            ];
    await new Promise<void>((resolve, reject) =>
      pack.entry({ ...header, size: content?.length ?? 0 }, content ?? Buffer.alloc(0), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

describe('small and large files together', () => {
  /** Small files (read whole) and large ones (streamed), across several chunks of the writer. */
  function mixedModel(dir: string): LayerEntry[] {
    const entries: LayerEntry[] = [];
    const file = (path: string, bytes: Buffer, executable = false) => {
      const source = join(dir, 'src', path.replaceAll('/', '_'));
      writeFileSync(source, bytes);
      entries.push({
        type: 'file',
        path: `/models/m/1/${path}`,
        size: bytes.length,
        source,
        executable,
      });
    };
    mkdirSync(join(dir, 'src'));
    let seed = 7;
    const bytes = (n: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      return b;
    };
    for (let i = 0; i < 700; i++) file(`shard-${i % 7}/f${i}.txt`, bytes(100 + ((i * 37) % 1400)));
    file('empty.txt', Buffer.alloc(0));
    file('block.bin', bytes(512));
    file('exactly-small.bin', bytes(64 * 1024));
    file('just-large.bin', bytes(64 * 1024 + 1));
    file('large.bin', bytes(3 * 1024 * 1024 + 100));
    file('run.sh', Buffer.from('#!/bin/sh\n'), true);
    file(`${'long-folder-name/'.repeat(8)}weights.bin`, bytes(300));
    file(`${'x'.repeat(120)}.bin`, bytes(200));
    file('vocabulaire-ünïcode-名前.txt', bytes(70 * 1024));
    entries.push(
      { type: 'file', path: '/models/m/1/config.pbtxt', content: bytes(600 * 1024) },
      { type: 'directory', path: '/models/m/1/empty' },
      { type: 'symlink', path: '/models/m/latest', target: '1' },
      { type: 'symlink', path: '/models/m/1/far', target: `${'t/'.repeat(70)}weights.bin` },
    );
    return entries;
  }

  it('gives the bytes tar-stream gave, entry by entry, and reports every file digest', async () => {
    const dir = temp();
    const entries = mixedModel(dir);
    const layout = await LayoutWriter.create(join(dir, 'layout'));
    const digests = new Map<string, Digest>();
    const layer = await writeLayer(layout, entries, {
      sourceDateEpoch: 1_700_000_000,
      compression: 'none',
      onFileDigest: (path, digest) => digests.set(path, digest),
    });
    const written = readFileSync(blobPath(layout.root, layer.descriptor.digest));
    expect(written.equals(await tarStreamLayer(entries, 1_700_000_000))).toBe(true);
    const files = entries.filter((e) => e.type === 'file');
    expect(digests.size).toBe(files.length);
    for (const entry of files) {
      const bytes = 'content' in entry ? entry.content : readFileSync(entry.source);
      expect(digests.get(entry.path)).toBe(
        `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      );
    }
  });

  it('gzip layers hold the same tar', async () => {
    const dir = temp();
    const entries = mixedModel(dir);
    const layout = await LayoutWriter.create(join(dir, 'layout'));
    const layer = await writeLayer(layout, entries, { sourceDateEpoch: 0, compression: 'gzip' });
    const compressed = readFileSync(blobPath(layout.root, layer.descriptor.digest));
    expect(gunzipSync(compressed).equals(await tarStreamLayer(entries, 0))).toBe(true);
  });

  it.each([
    [
      'a small file that shrank',
      10,
      20,
      'changed while it was packaged (20 bytes when listed, 10 when read)',
    ],
    [
      'a small file that grew',
      30,
      20,
      'changed while it was packaged (20 bytes when listed, more when read)',
    ],
    [
      'an empty file that grew',
      1,
      0,
      'changed while it was packaged (0 bytes when listed, more when read)',
    ],
    [
      'a large file that shrank',
      100_000,
      200_000,
      'changed while it was packaged (200000 bytes when listed, 100000 when read)',
    ],
    [
      'a large file that grew',
      200_001,
      200_000,
      'changed while it was packaged (200000 bytes when listed, more when read)',
    ],
  ])('names %s, leaving no blob', async (_title, actual, listed, message) => {
    const dir = temp();
    const source = join(dir, 'w.bin');
    writeFileSync(source, Buffer.alloc(actual));
    const layout = await LayoutWriter.create(join(dir, 'layout'));
    const writing = writeLayer(
      layout,
      [
        { type: 'file', path: '/a.txt', content: Buffer.from('a') },
        { type: 'file', path: '/w.bin', size: listed, source },
      ],
      { sourceDateEpoch: 0, compression: 'none' },
    );
    await expect(writing).rejects.toThrow(UserError);
    await expect(writing).rejects.toThrow(`${source} ${message}`);
    expect(readdirSync(join(layout.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it.each([
    ['small', 10],
    ['large', 100_000],
  ])('names a %s file removed before it was read', async (_title, size) => {
    const dir = temp();
    const layout = await LayoutWriter.create(join(dir, 'layout'));
    const source = join(dir, 'gone.bin');
    const writing = writeLayer(layout, [{ type: 'file', path: '/gone.bin', size, source }], {
      sourceDateEpoch: 0,
      compression: 'gzip',
    });
    await expect(writing).rejects.toThrow(UserError);
    await expect(writing).rejects.toThrow(`${source} was removed while it was packaged`);
    expect(readdirSync(join(layout.root, 'blobs', 'sha256'))).toEqual([]);
  });
});
