import { describe, expect, it } from 'vitest';
import { planFor, tempFolders } from '../../../support/runtime-plans.ts';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { savedModelFolder } from '../../../support/model-files.ts';

const temp = tempFolders();
const plan = planFor;

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
