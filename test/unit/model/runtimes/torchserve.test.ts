import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { savedModelFolder, torchserveArchive } from '../../../support/model-files.ts';
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
