import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { devNull, measureOk, type Measured } from '../measure.ts';
import type { SyntheticModel } from '../models.ts';
import { alternate, notMeasured, pairedRatio, SubjectRuns, type CaseResult } from '../results.ts';
import { packageWithAction } from './package.ts';

/**
 * The limit for many small files: one tar stream of the folder, hashed as it
 * goes (`tar -c | sha256sum`), which reads every file once and hashes every
 * byte once, as package must. The hasher's output goes to /dev/null.
 */
async function tarPipe(model: SyntheticModel, hasher: 'sha256sum' | 'openssl'): Promise<Measured> {
  const hash = hasher === 'sha256sum' ? 'sha256sum' : 'openssl dgst -sha256';
  const sink = devNull();
  try {
    // The folder is passed as $1, never spliced into the script.
    return await measureOk(
      `tar -c | ${hash}`,
      'sh',
      ['-c', `tar -cf - -C "$1" . | ${hash}`, 'sh', model.dir],
      { stdout: sink.fd },
    );
  } finally {
    sink.close();
  }
}

async function umociPackage(model: SyntheticModel, layout: string): Promise<Measured> {
  rmSync(layout, { recursive: true, force: true });
  let total: Measured | undefined;
  for (const args of [
    ['init', '--layout', layout],
    ['new', '--image', `${layout}:1`],
    ['insert', '--image', `${layout}:1`, model.dir, '/models/bench/1'],
  ]) {
    const m = await measureOk(`umoci ${args[0]}`, 'umoci', args);
    total = total
      ? {
          ...m,
          wallMs: total.wallMs + m.wallMs,
          peakRssKb: Math.max(total.peakRssKb ?? 0, m.peakRssKb ?? 0),
        }
      : m;
  }
  return total as Measured;
}

export async function manyFilesCase(
  model: SyntheticModel,
  runs: number,
  workDir: string,
): Promise<CaseResult> {
  const id = 'package-many-files';
  const title = `package ${model.kind} (100–500 bytes each)`;
  const scratch = mkdtempSync(join(workDir, 'many-files-'));
  try {
    try {
      await packageWithAction(model, join(scratch, 'probe'));
    } catch (err) {
      return notMeasured(id, title, (err as Error).message, model.label);
    }
    const ours = new SubjectRuns('node dist/package/index.js (scratch base, custom runtime)');
    const umoci = new SubjectRuns('umoci init + new + insert (gzip layer)');
    const limit = new SubjectRuns('tar -c | sha256sum');
    const strict = new SubjectRuns('tar -c | openssl dgst -sha256');
    const filesPerSecond = (m: Measured) => model.files.length / (m.wallMs / 1000);
    await alternate(runs, [
      async (i) => {
        const m = await packageWithAction(model, join(scratch, 'ours'));
        if (i > 0) ours.add(m, filesPerSecond(m));
      },
      async (i) => {
        const m = await umociPackage(model, join(scratch, 'umoci'));
        if (i > 0) umoci.add(m, filesPerSecond(m));
      },
      async (i) => {
        const m = await tarPipe(model, 'sha256sum');
        if (i > 0) limit.add(m, filesPerSecond(m));
      },
      async (i) => {
        const m = await tarPipe(model, 'openssl');
        if (i > 0) strict.add(m, filesPerSecond(m));
      },
    ]);
    const vsLimit = pairedRatio(
      'model-deploy time ÷ (tar -c | sha256sum) time, per run',
      ours.wall,
      limit.wall,
    );
    const vsStrict = pairedRatio(
      'model-deploy time ÷ (tar -c | openssl) time, per run',
      ours.wall,
      strict.wall,
    );
    const vsUmoci = pairedRatio('model-deploy time ÷ umoci time, per run', ours.wall, umoci.wall);
    return {
      id,
      title,
      size: model.label,
      status: 'measured',
      runs,
      subjects: {
        'model-deploy': ours.figures('files/s'),
        umoci: umoci.figures('files/s'),
        limit: limit.figures('files/s'),
        'strict limit': strict.figures('files/s'),
      },
      ratios: { 'vs limit': vsLimit, 'vs strict limit': vsStrict, 'vs umoci': vsUmoci },
      goals: [
        {
          text: '10,000 small files ≤ 3× tar -c | sha256sum',
          value: `${vsLimit.summary.median.toFixed(2)}×`,
          met: vsLimit.summary.median <= 3,
        },
      ],
      notes: [
        `${model.files.length.toLocaleString('en')} files, ${(model.bytes / 1e6).toFixed(1)} MB in all, in 100 folders. Ratios here are times (lower is better), unlike the large-model package rows.`,
        'The limit hashes the tar stream once; package also hashes the layer and writes the layout (config, manifest, index) and starts Node, so its fixed cost (~0.2 s) is part of its time.',
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
