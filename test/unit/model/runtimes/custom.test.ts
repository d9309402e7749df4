import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFor, tempFolders } from '../../../support/runtime-plans.ts';

const temp = tempFolders();
const plan = planFor;

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
