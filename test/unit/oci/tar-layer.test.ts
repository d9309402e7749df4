import { mkdtempSync, readdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as tar from 'tar-stream';
import { Readable } from 'node:stream';
import { LayoutWriter, blobPath } from '../../../shared/oci/layout.ts';
import { normaliseEntries, writeLayer, type LayerEntry } from '../../../shared/oci/tar-layer.ts';
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
});
