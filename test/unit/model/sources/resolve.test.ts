import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../../shared/common/errors.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';
import { resolveModel, type ResolveOptions } from '../../../../shared/model/sources/resolve.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-resolve-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const options = (overrides: Partial<ResolveOptions> = {}): ResolveOptions => ({
  mlflowAuth: {},
  workDir: temp(),
  logger: silentLogger,
  ...overrides,
});

describe('resolveModel', () => {
  it('takes a path on disk as a local model, with no version of its own', async () => {
    const folder = temp();
    writeFileSync(join(folder, 'model.onnx'), 'x');
    expect(await resolveModel(folder, options())).toEqual({
      path: folder,
      source: { kind: 'local', uri: folder },
    });
  });

  it('passes a missing path on as local when no .dvc file or dvc.lock names it', async () => {
    const missing = join(temp(), 'nothing-here');
    const resolved = await resolveModel(missing, options());
    expect(resolved.source.kind).toBe('local');
    expect(resolved.path).toBe(missing);
  });

  it('asks for a tracking server before reaching MLflow, naming the input', async () => {
    const attempt = resolveModel('models:/resnet/3', options());
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toMatchObject({ input: 'mlflow-tracking-uri' });
  });

  it('refuses an MLflow URI it cannot read, with the accepted forms', async () => {
    const attempt = resolveModel('models:/resnet/latest', options());
    await expect(attempt).rejects.toMatchObject({ input: 'model' });
    await expect(attempt).rejects.toThrow(/models:\/resnet50\/3/);
  });

  it('takes a .dvc file as a DVC model, refusing one whose md5 is not a hash', async () => {
    const folder = temp();
    const dvcFile = join(folder, 'model.onnx.dvc');
    writeFileSync(dvcFile, 'outs:\n- md5: nothex\n  path: model.onnx\n');
    await expect(resolveModel(dvcFile, options())).rejects.toBeInstanceOf(InputError);
  });
});
