import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
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

describe('custom', () => {
  it('custom: any files under /models/<name>/<version>', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.bin'), 'a');
    expect((await plan('custom', dir, 'v1.2')).files.map((f) => f.imagePath)).toEqual([
      '/models/m/v1.2/sub/a.bin',
    ]);
  });
});
