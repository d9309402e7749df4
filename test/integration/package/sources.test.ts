import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../../../shared/model/sources/resolve.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { float32Weights } from '../../support/model-files.ts';

const temps: string[] = [];
const temp = (prefix = 'md-src-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/**
 * Remotes laid out by hand in both DVC layouts; test/integration/package/dvc.test.ts
 * runs the real `dvc` CLI.
 */
describe('DVC-tracked models (local remote)', () => {
  const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

  function project(layout: 'dvc3' | 'dvc2') {
    const root = temp('md-dvc-');
    const remote = temp('md-dvc-remote-');
    mkdirSync(join(root, '.dvc'));
    writeFileSync(
      join(root, '.dvc', 'config'),
      `[core]\n    remote = storage\n['remote "storage"']\n    url = ${remote}\n`,
    );
    const store = (hash: string, data: Buffer | string) => {
      const dir =
        layout === 'dvc3'
          ? join(remote, 'files', 'md5', hash.slice(0, 2))
          : join(remote, hash.slice(0, 2));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, hash.slice(2)), data);
      return join(dir, hash.slice(2));
    };
    return { root, remote, store };
  }

  it('fetches a file by md5 from a DVC 3 remote and packages it', async () => {
    const { root, store } = project('dvc3');
    const weights = float32Weights(8192, 11);
    store(md5(weights), weights);
    mkdirSync(join(root, 'models'));
    writeFileSync(
      join(root, 'models', 'model.onnx.dvc'),
      `outs:\n- md5: ${md5(weights)}\n  size: ${weights.length}\n  hash: md5\n  path: model.onnx\n`,
    );
    const resolved = await resolveModel(join(root, 'models', 'model.onnx'), {
      mlflowAuth: {},
      workDir: temp(),
      logger: silentLogger,
    });
    expect(resolved.source.kind).toBe('dvc');
    expect(resolved.source.dvc?.md5).toBe(md5(weights));
    expect(readFileSync(resolved.path).equals(weights)).toBe(true);
  });

  it('fetches a folder (.dir listing) from a DVC 2 style remote', async () => {
    const { root, store } = project('dvc2');
    const a = float32Weights(1024, 12);
    const b = Buffer.from('{"name": "tokenizer"}');
    const listing = JSON.stringify([
      { md5: md5(a), relpath: 'model.safetensors' },
      { md5: md5(b), relpath: 'sub/tokenizer.json' },
    ]);
    store(md5(a), a);
    store(md5(b), b);
    store(`${md5(listing)}.dir`, listing);
    writeFileSync(
      join(root, 'llm.dvc'),
      `outs:\n- md5: ${md5(listing)}.dir\n  nfiles: 2\n  path: llm\n`,
    );
    const resolved = await resolveModel(join(root, 'llm.dvc'), {
      mlflowAuth: {},
      workDir: temp(),
      logger: silentLogger,
    });
    expect(readFileSync(join(resolved.path, 'model.safetensors')).equals(a)).toBe(true);
    expect(readFileSync(join(resolved.path, 'sub', 'tokenizer.json')).equals(b)).toBe(true);
  });

  it('refuses bytes whose md5 does not match the .dvc file', async () => {
    const { root, remote, store } = project('dvc3');
    const weights = float32Weights(4096, 13);
    const path = store(md5(weights), weights);
    const corrupt = Buffer.from(weights);
    corrupt[100] = corrupt[100]! ^ 0xff;
    writeFileSync(path, corrupt);
    writeFileSync(
      join(root, 'model.onnx.dvc'),
      `outs:\n- md5: ${md5(weights)}\n  size: ${weights.length}\n  hash: md5\n  path: model.onnx\n`,
    );
    await expect(
      resolveModel(join(root, 'model.onnx.dvc'), {
        mlflowAuth: {},
        workDir: temp(),
        logger: silentLogger,
      }),
    ).rejects.toThrow(
      `DVC hash mismatch for model.onnx: the bytes in the remote ${remote} hash to md5 ${md5(corrupt)}, DVC recorded ${md5(weights)}`,
    );
  });

  it('says when the object is missing from the remote', async () => {
    const { root } = project('dvc3');
    writeFileSync(join(root, 'm.dvc'), `outs:\n- md5: ${'0'.repeat(32)}\n  path: m.onnx\n`);
    await expect(
      resolveModel(join(root, 'm.dvc'), { mlflowAuth: {}, workDir: temp(), logger: silentLogger }),
    ).rejects.toThrow('is not in the remote');
  });
});
