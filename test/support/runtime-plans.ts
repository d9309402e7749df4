import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { collectModel } from '../../shared/model/files.ts';
import { RUNTIMES } from '../../shared/model/runtimes/index.ts';
import type { RuntimeName } from '../../shared/model/runtimes/types.ts';

/** A temp folder per call, all removed after each test of the file that asks for them. */
export function tempFolders(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'md-rt-'));
    dirs.push(d);
    return d;
  };
}

/** A runtime's plan for the model folder at `path`, as package makes it. */
export async function planFor(runtime: RuntimeName, path: string, version = '2', name = 'm') {
  const tree = await collectModel(path);
  return RUNTIMES[runtime].plan({ name, version, tree });
}
