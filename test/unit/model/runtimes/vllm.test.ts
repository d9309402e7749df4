import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { huggingFaceFolder } from '../../../support/model-files.ts';
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

describe('vllm', () => {
  it('vllm: a Hugging Face folder under /models/<name>', async () => {
    const p = await plan('vllm', huggingFaceFolder(temp()));
    expect(p.modelPath).toBe('/models/m');
    expect(
      RUNTIMES.vllm.command({
        name: 'm',
        version: '1',
        tree: await collectModel(huggingFaceFolder(temp())),
      }).cmd,
    ).toContain('/models/m');
    const noConfig = temp();
    writeFileSync(join(noConfig, 'model.safetensors'), 'x');
    await expect(plan('vllm', noConfig)).rejects.toThrow('needs config.json');
  });
});
