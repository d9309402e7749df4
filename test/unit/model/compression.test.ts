import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseModelCompression } from '../../../shared/model/compression.ts';
import { float32Weights } from '../../support/model-files.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'md-rt-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('model layer compression', () => {
  it('leaves float weights uncompressed and gzips text-like models', async () => {
    const weights = join(temp(), 'w.bin');
    writeFileSync(weights, float32Weights(1 << 20));
    const text = join(temp(), 'vocab.json');
    writeFileSync(
      text,
      JSON.stringify(Array.from({ length: 20000 }, (_, i) => `token-${i % 500}`)),
    );
    const files = (path: string, size: number) => [
      { path: 'f', size, executable: false, source: path },
    ];
    expect((await chooseModelCompression(files(weights, 1 << 20))).compression).toBe('none');
    const textChoice = await chooseModelCompression(files(text, statSync(text).size));
    expect(textChoice.compression).toBe('gzip');
    expect(textChoice.ratio).toBeLessThan(0.3);
  });
});
