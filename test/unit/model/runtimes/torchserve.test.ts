import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFor, tempFolders } from '../../../support/runtime-plans.ts';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { savedModelFolder, torchserveArchive } from '../../../support/model-files.ts';

const temp = tempFolders();
const plan = planFor;

describe('torchserve', () => {
  it('torchserve: exactly one .mar in the model store', async () => {
    const p = await plan('torchserve', torchserveArchive(temp()));
    expect(p.files.map((f) => f.imagePath)).toEqual(['/home/model-server/model-store/m.mar']);
    const two = torchserveArchive(temp());
    writeFileSync(join(two, 'other.mar'), 'x');
    await expect(plan('torchserve', two)).rejects.toThrow('holds 2 .mar archives');
    await expect(plan('torchserve', savedModelFolder(temp()))).rejects.toThrow(
      'no .mar model archive',
    );
  });

  it("torchserve: started with its config.properties named, a given one replacing the image's", async () => {
    const dir = torchserveArchive(temp());
    const cmd = RUNTIMES.torchserve.command({
      name: 'm',
      version: '1',
      tree: await collectModel(dir),
    }).cmd!;
    expect(cmd.slice(cmd.indexOf('--ts-config'), cmd.indexOf('--ts-config') + 2)).toEqual([
      '--ts-config',
      '/home/model-server/config.properties',
    ]);
    writeFileSync(join(dir, 'config.properties'), 'inference_address=http://0.0.0.0:8080\n');
    const p = await plan('torchserve', dir);
    expect(p.files.map((f) => f.imagePath)).toEqual([
      '/home/model-server/model-store/m.mar',
      '/home/model-server/config.properties',
    ]);
  });
});
