import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDvcLockOutput, isDvcFile } from '../../../../shared/model/sources/dvc.ts';

const dirs: string[] = [];
const project = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-dvc-unit-'));
  dirs.push(d);
  mkdirSync(join(d, '.dvc'));
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DVC files and dvc.lock outputs', () => {
  it('takes only an existing .dvc file as one', () => {
    const root = project();
    writeFileSync(join(root, 'model.onnx.dvc'), 'outs: []\n');
    expect(isDvcFile(join(root, 'model.onnx.dvc'))).toBe(true);
    expect(isDvcFile(join(root, 'other.onnx.dvc'))).toBe(false);
  });

  it("finds a stage output in the nearest dvc.lock up to the project's root", async () => {
    const root = project();
    mkdirSync(join(root, 'models'));
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    writeFileSync(
      join(root, 'dvc.lock'),
      `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: models/resnet.onnx\n      md5: ${md5}\n      size: 0\n`,
    );
    const found = await findDvcLockOutput(join(root, 'models', 'resnet.onnx'));
    expect(found?.file).toBe(join(root, 'dvc.lock'));
    expect(found?.stage).toBe('train');
    expect(found?.out).toMatchObject({ md5 });
    expect(await findDvcLockOutput(join(root, 'models', 'other.onnx'))).toBeUndefined();
  });

  it('finds nothing outside a DVC project', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'md-no-dvc-'));
    dirs.push(plain);
    writeFileSync(join(plain, 'dvc.lock'), 'stages: {}\n');
    expect(await findDvcLockOutput(join(plain, 'model.onnx'))).toBeUndefined();
  });
});
