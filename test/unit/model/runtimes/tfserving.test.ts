import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { savedModelFolder } from '../../../support/model-files.ts';
import type { RuntimeName } from '../../../../shared/model/runtimes/types.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-rt-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function plan(runtime: RuntimeName, path: string, version = '2', name = 'm') {
  const tree = await collectModel(path);
  return RUNTIMES[runtime].plan({ name, version, tree });
}

describe('tfserving', () => {
  it('tfserving: SavedModel under /models/<name>/<version>, env for the official image', async () => {
    const p = await plan('tfserving', savedModelFolder(temp()));
    expect(p.files.map((f) => f.imagePath).sort()).toEqual([
      '/models/m/2/saved_model.pb',
      '/models/m/2/variables/variables.data-00000-of-00001',
      '/models/m/2/variables/variables.index',
    ]);
    expect(
      RUNTIMES.tfserving.env({
        name: 'm',
        version: '2',
        tree: await collectModel(savedModelFolder(temp())),
      }),
    ).toEqual({ MODEL_NAME: 'm', MODEL_BASE_PATH: '/models' });
  });
});
