import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFor, tempFolders } from '../../../support/runtime-plans.ts';
import { collectModel } from '../../../../shared/model/files.ts';
import { RUNTIMES } from '../../../../shared/model/runtimes/index.ts';
import { huggingFaceFolder } from '../../../support/model-files.ts';

const temp = tempFolders();
const plan = planFor;

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
