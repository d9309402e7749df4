import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../../shared/model/files.ts';
import { InputError } from '../../../shared/common/errors.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-files-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('collectModel', () => {
  it('lists files, folders and inside links with relative paths', async () => {
    const root = temp();
    mkdirSync(join(root, 'variables'));
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'saved_model.pb'), 'pb');
    writeFileSync(join(root, 'variables', 'v.data'), 'data', { mode: 0o755 });
    symlinkSync('variables/v.data', join(root, 'link'));
    const tree = await collectModel(root);
    expect(tree.singleFile).toBe(false);
    expect(tree.files.map((f) => [f.path, f.size, f.executable]).sort()).toEqual([
      ['saved_model.pb', 2, false],
      ['variables/v.data', 4, true],
    ]);
    expect(tree.directories.sort()).toEqual(['empty', 'variables']);
    expect(tree.symlinks).toEqual([{ path: 'link', target: 'variables/v.data' }]);
    expect(tree.totalSize).toBe(6);
  });

  it('takes a single file', async () => {
    const file = join(temp(), 'model.onnx');
    writeFileSync(file, 'x');
    const tree = await collectModel(file);
    expect(tree.singleFile).toBe(true);
    expect(tree.files.map((f) => f.path)).toEqual(['model.onnx']);
  });

  it('refuses an empty file, a dangling link and a link escaping through a parent', async () => {
    const empty = join(temp(), 'empty.onnx');
    writeFileSync(empty, '');
    await expect(collectModel(empty)).rejects.toThrow('an empty file');
    const root = temp();
    writeFileSync(join(root, 'a'), 'a');
    symlinkSync('missing', join(root, 'dangling'));
    await expect(collectModel(root)).rejects.toThrow(
      'contains a symlink that leads nowhere: dangling -> missing',
    );
    const other = temp();
    writeFileSync(join(other, 'a'), 'a');
    symlinkSync('../', join(other, 'up'));
    await expect(collectModel(other)).rejects.toThrow('leads outside the model folder: up -> ../');
  });

  it('refuses FIFOs and sockets, naming the path', async () => {
    const root = temp();
    writeFileSync(join(root, 'a'), 'a');
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await expect(collectModel(root)).rejects.toThrow(
      "input 'model' contains a FIFO, which cannot go into an image: pipe",
    );
    rmSync(join(root, 'pipe'));
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'sock'), resolve));
    try {
      await expect(collectModel(root)).rejects.toThrow(InputError);
      await expect(collectModel(root)).rejects.toThrow(
        'contains a socket, which cannot go into an image: sock',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a file hard-linked outside the model folder, but not links within it', async () => {
    const outside = temp();
    const root = temp();
    writeFileSync(join(outside, 'secret'), 's');
    linkSync(join(outside, 'secret'), join(root, 'weights.bin'));
    await expect(collectModel(root)).rejects.toThrow(
      'contains weights.bin, a file hard-linked to a name outside the model folder',
    );
    const inside = temp();
    writeFileSync(join(inside, 'a.bin'), 'a');
    linkSync(join(inside, 'a.bin'), join(inside, 'b.bin'));
    expect((await collectModel(inside)).files).toHaveLength(2);
  });

  it('refuses a name that is not UTF-8, even one the same length decoded, and keeps a real U+FFFD', async () => {
    const root = temp();
    writeFileSync(join(root, 'ok-\uFFFD.txt'), 'a');
    expect((await collectModel(root)).files.map((f) => f.path)).toEqual(['ok-\uFFFD.txt']);
    for (const bytes of [[0xe9], [0xf0, 0x9f, 0x98]]) {
      const bad = temp();
      writeFileSync(Buffer.concat([Buffer.from(`${bad}/x`), Buffer.from(bytes)]), 'a');
      await expect(collectModel(bad)).rejects.toThrow('contains a file name that is not UTF-8');
    }
  });
});
