import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runActionBundle } from '../action-process.ts';
import { devNull, measureOk, type Measured } from '../measure.ts';
import type { SyntheticModel } from '../models.ts';
import {
  alternate,
  notMeasured,
  pairedRatio,
  SubjectRuns,
  type CaseResult,
  type Goal,
} from '../results.ts';

const MB = 1e6;

export function packageInputs(model: SyntheticModel, output: string): Record<string, string> {
  return {
    model: model.dir,
    name: 'bench',
    version: '1',
    runtime: 'custom',
    'base-image': 'scratch',
    output,
  };
}

/** The package action's bundle, packaging `model` into `output`. */
export async function packageWithAction(model: SyntheticModel, output: string) {
  rmSync(output, { recursive: true, force: true });
  const run = await runActionBundle('package', packageInputs(model, output));
  if (run.exitCode !== 0) throw new Error(`the package action failed: ${run.failure}`);
  return run;
}

/**
 * A layout of `model` made by the package action, kept in the work folder
 * for the push cases (a marker records that it finished).
 */
export async function cachedLayout(model: SyntheticModel, workDir: string): Promise<string> {
  const dir = join(workDir, `layout-${model.label}`);
  const marker = `${dir}.complete`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === model.dir) return dir;
  await packageWithAction(model, dir);
  writeFileSync(marker, model.dir);
  return dir;
}

/** umoci 0.4 builds the same image: an empty image, then the model folder inserted as one layer. */
async function umociPackage(model: SyntheticModel, layout: string): Promise<Measured> {
  rmSync(layout, { recursive: true, force: true });
  const steps: Array<[string, string[]]> = [
    ['umoci', ['init', '--layout', layout]],
    ['umoci', ['new', '--image', `${layout}:1`]],
    ['umoci', ['insert', '--image', `${layout}:1`, model.dir, '/models/bench/1']],
  ];
  return sequence('umoci', steps);
}

/**
 * The machine's limit for what package must do with the bytes: hash every
 * file (sha256sum) and stream them through tar. tar writes to a FIFO that
 * `cat` drains into /dev/null: GNU tar skips reading file contents when its
 * archive itself is /dev/null, which would measure nothing.
 */
async function limitPackage(
  model: SyntheticModel,
  scratch: string,
  hasher: 'sha256sum' | 'openssl',
): Promise<Measured> {
  const hash =
    hasher === 'sha256sum'
      ? await measureOk('sha256sum', 'sha256sum', model.files, { cwd: model.dir })
      : await measureOk('openssl dgst', 'openssl', ['dgst', '-sha256', ...model.files], {
          cwd: model.dir,
        });
  const fifo = join(scratch, 'tar.fifo');
  rmSync(fifo, { force: true });
  execFileSync('mkfifo', [fifo]);
  const sink = devNull();
  const cat = spawn('cat', [fifo], { stdio: ['ignore', sink.fd, 'inherit'] });
  const drained = new Promise<void>((resolve, reject) => {
    cat.once('error', reject);
    cat.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`cat exited ${code}`))));
  });
  try {
    const tar = await measureOk('tar', 'tar', ['-cf', fifo, '-C', model.dir, '.']);
    await drained;
    return {
      ...tar,
      wallMs: hash.wallMs + tar.wallMs,
      peakRssKb: Math.max(hash.peakRssKb ?? 0, tar.peakRssKb ?? 0),
    };
  } finally {
    sink.close();
    rmSync(fifo, { force: true });
  }
}

async function sequence(what: string, steps: Array<[string, string[]]>): Promise<Measured> {
  let total: Measured | undefined;
  for (const [command, args] of steps) {
    const m = await measureOk(`${what} ${args[0]}`, command, args);
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

export async function packageCase(
  model: SyntheticModel,
  runs: number,
  workDir: string,
): Promise<CaseResult> {
  const id = `package-${model.label}`;
  const title = `package ${model.kind}`;
  const scratch = mkdtempSync(join(workDir, 'package-'));
  mkdirSync(scratch, { recursive: true });
  try {
    try {
      await packageWithAction(model, join(scratch, 'probe'));
    } catch (err) {
      return notMeasured(id, title, (err as Error).message, model.label);
    }
    const ours = new SubjectRuns('node dist/package/index.js (scratch base, custom runtime)');
    const umoci = new SubjectRuns('umoci init + new + insert (gzip layer)');
    const limit = new SubjectRuns('sha256sum + tar -c through a pipe to /dev/null');
    const strictLimit = new SubjectRuns(
      'openssl dgst -sha256 + tar -c through a pipe to /dev/null',
    );
    const mbps = (m: Measured) => model.bytes / MB / (m.wallMs / 1000);
    await alternate(runs, [
      async (i) => {
        const m = await packageWithAction(model, join(scratch, 'ours'));
        if (i > 0) ours.add(m, mbps(m));
      },
      async (i) => {
        const m = await umociPackage(model, join(scratch, 'umoci'));
        if (i > 0) umoci.add(m, mbps(m));
      },
      async (i) => {
        const m = await limitPackage(model, scratch, 'sha256sum');
        if (i > 0) limit.add(m, mbps(m));
      },
      async (i) => {
        const m = await limitPackage(model, scratch, 'openssl');
        if (i > 0) strictLimit.add(m, mbps(m));
      },
    ]);
    const vsLimit = pairedRatio(
      'model-deploy MB/s ÷ limit MB/s (= limit time ÷ model-deploy time), per run',
      limit.wall,
      ours.wall,
    );
    const vsStrict = pairedRatio(
      'model-deploy MB/s ÷ (openssl + tar) MB/s, per run',
      strictLimit.wall,
      ours.wall,
    );
    const vsUmoci = pairedRatio('umoci time ÷ model-deploy time, per run', umoci.wall, ours.wall);
    // Issue 21's goal is judged at 420 MB and 2 GB, where start-up no longer dominates.
    const goals: Goal[] =
      model.bytes >= 400e6
        ? [
            {
              text: 'package ≥ 0.8× the strict limit (openssl SHA-256 + tar)',
              value: `${vsStrict.summary.median.toFixed(2)}×`,
              met: vsStrict.summary.median >= 0.8,
            },
          ]
        : [];
    if (model.bytes >= 1.5e9 && ours.peakRssKb !== undefined) {
      const rssMb = ours.peakRssKb / 1024;
      goals.push({
        text: 'peak RSS < 200 MB for the 2 GB case',
        value: `${rssMb.toFixed(0)} MB`,
        met: rssMb < 200,
      });
    }
    return {
      id,
      title,
      size: model.label,
      status: 'measured',
      runs,
      subjects: {
        'model-deploy': ours.figures('MB/s'),
        umoci: umoci.figures('MB/s'),
        limit: limit.figures('MB/s'),
        'strict limit': strictLimit.figures('MB/s'),
      },
      ratios: { 'vs limit': vsLimit, 'vs strict limit': vsStrict, 'vs umoci': vsUmoci },
      goals,
      notes: [
        'The limit hashes with coreutils sha256sum, which does not use the CPU’s SHA extensions here (~120 MB/s of CPU), so it flatters package; the strict limit hashes with openssl (SHA-NI, ~1 GB/s), as Node’s crypto does, and is the one the goal is judged on. Both limits are two passes (hash, then tar) added up; package does both in one.',
        'umoci 0.4 always gzips a layer; model-deploy samples the weights, finds gzip saves < 1/3 and writes an uncompressed layer, so part of the gap to umoci is compression.',
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
