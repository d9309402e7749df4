import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/common/logger.ts';
import { UploadProgress } from '../../../shared/registry/progress.ts';

const MiB = 1024 * 1024;

describe('UploadProgress', () => {
  it('reports large blobs at each quarter with percent and MB/s', () => {
    const lines: string[] = [];
    const progress = new UploadProgress(
      { ...silentLogger, info: (l) => lines.push(l) },
      'reg/repo@sha256:abc',
      400 * MiB,
    );
    for (let done = 0; done <= 400 * MiB; done += 10 * MiB) progress.update(done);
    progress.finish(400 * MiB);
    expect(lines.map((l) => /: (\d+)% of/.exec(l)?.[1])).toEqual(['25', '50', '75', '100']);
    expect(lines[0]).toMatch(/^reg\/repo@sha256:abc: 25% of 400 MiB at \d+(\.\d)? MB\/s$/);
  });

  it('stays quiet for small blobs', () => {
    const lines: string[] = [];
    const progress = new UploadProgress(
      { ...silentLogger, info: (l) => lines.push(l) },
      'x',
      1 * MiB,
    );
    progress.update(MiB / 2);
    progress.finish(MiB);
    expect(lines).toEqual([]);
  });
});
