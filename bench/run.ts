/**
 * The benchmark: every stage of model-deploy side by side with the tool a
 * user would otherwise use and with the machine's limit, in one run, so the
 * ratios hold on a noisy machine. Not a test: nothing here fails on a figure.
 *
 *   npm run bench -- [--runs 5] [--sizes 98M,420M,2G]
 *                    [--cases package,many-files,push-cold,push-unchanged,push-fanout,
 *                             small-change,deploy,smoke,load-ceiling,startup]
 *
 * `push` stands for the three push cases of every size; `small-change` pushes
 * a 420 MB model again after a 2 KB file changed. Writes bench/results.json (merged
 * by case with earlier results, so a partial run keeps the other figures)
 * and bench/results.md.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem, release, platform } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { stopAllRecorded } from '../test/support/processes.ts';
import { repoRoot } from './action-process.ts';
import { GO_TOOLS } from '../test/support/go-tools.ts';
import { manyFilesCase } from './cases/many-files.ts';
import { cachedLayout, packageCase } from './cases/package.ts';
import { pushColdCase, pushFanOutCase, pushUnchangedCase } from './cases/push.ts';
import { smallChangeCase } from './cases/small-change.ts';
import { deployCase } from './cases/deploy.ts';
import { releaseCase } from './cases/release.ts';
import { loadCeilingCase, smokeCase } from './cases/smoke.ts';
import { startupCase } from './cases/startup.ts';
import { rssSource } from './measure.ts';
import { DEFAULT_SIZES, manyFilesModel, syntheticModel, type SyntheticModel } from './models.ts';
import { goalsTable, markdownTable, releaseTable, terminalTable } from './report.ts';
import { notMeasured, type CaseResult } from './results.ts';

const ALL_CASES = [
  'package',
  'many-files',
  'push-cold',
  'push-unchanged',
  'push-fanout',
  'small-change',
  'deploy',
  'smoke',
  'load-ceiling',
  'startup',
  'release',
];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sizes: { type: 'string', default: DEFAULT_SIZES.join(',') },
    cases: { type: 'string', default: ALL_CASES.join(',') },
    work: { type: 'string', default: join(repoRoot, 'bench', 'work') },
  },
});

const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1`);
const sizes = values.sizes
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const cases = values.cases
  .split(',')
  .map((c) => c.trim())
  .flatMap((c) => (c === 'push' ? ['push-cold', 'push-unchanged', 'push-fanout'] : [c]));
for (const c of cases) {
  if (!ALL_CASES.includes(c))
    throw new Error(`--cases: unknown case '${c}' (known: ${ALL_CASES.join(', ')}, push)`);
}
const workDir = values.work;
mkdirSync(workDir, { recursive: true });
const resultsPath = join(repoRoot, 'bench', 'results.json');

function toolVersion(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
  } catch {
    return 'not installed';
  }
}

function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGbAtStart: Number((freemem() / 2 ** 30).toFixed(1)),
    kernel: `${platform()} ${release()}`,
    loadAverageAtStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    node: toolVersion(join(repoRoot, 'node_modules', '.bin', 'node'), ['--version']),
    tools: {
      skopeo: toolVersion('skopeo', ['--version']),
      umoci: toolVersion('umoci', ['--version']),
      kubectl: toolVersion('/usr/bin/kubectl', ['version', '--client']),
      curl: toolVersion('curl', ['--version']),
      tar: toolVersion('tar', ['--version']),
      'docker-registry': toolVersion('docker-registry', ['--version']),
      crane: `${GO_TOOLS.crane.module}/${GO_TOOLS.crane.pkg} ${GO_TOOLS.crane.version}, built from test/support/go-modules/crane`,
      openssl: toolVersion('openssl', ['version']),
    },
    peakRss: rssSource,
    commit: toolVersion('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']),
    bundles: Object.fromEntries(
      ['actions', 'package', 'push', 'deploy', 'smoke-test'].map((name) => {
        const file = join(repoRoot, 'dist', name, 'index.js');
        return [
          name,
          existsSync(file)
            ? { builtAt: statSync(file).mtime.toISOString(), bytes: statSync(file).size }
            : 'missing',
        ];
      }),
    ),
  };
}

/** The Table-1 reproduction for results.md, when a release case was measured. */
function releaseSection(all: CaseResult[]): string {
  const table = releaseTable(all);
  return table ? `## The paper's Table 1, reproduced\n\n${table}\n\n` : '';
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

async function guarded(id: string, title: string, run: () => Promise<CaseResult | CaseResult[]>) {
  log(`▶ ${title}`);
  const started = performance.now();
  try {
    const result = await run();
    log(`  done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return Array.isArray(result) ? result : [result];
  } catch (err) {
    log(`  failed: ${(err as Error).message}`);
    return [
      notMeasured(
        id,
        title,
        `the case failed: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`,
      ),
    ];
  }
}

const startedAt = new Date().toISOString();
// Taken before the cases run: the load average and the bundles measured.
const machineAtStart = machine();
const results: CaseResult[] = [];
const models: SyntheticModel[] = [];
try {
  const needsModels = cases.some((c) => c === 'package' || c === 'release' || c.startsWith('push'));
  if (needsModels) {
    for (const size of sizes) {
      log(`model ${size}: generating or reusing`);
      models.push(await syntheticModel(size, join(workDir, 'models')));
    }
  }
  for (const model of models) {
    if (cases.includes('package')) {
      results.push(
        ...(await guarded(`package-${model.label}`, `package ${model.kind}`, () =>
          packageCase(model, runs, workDir),
        )),
      );
    }
    const pushCases = cases.filter((c) => c.startsWith('push'));
    if (pushCases.length === 0) continue;
    let layout: string | undefined;
    let layoutFailure = '';
    try {
      log(`layout ${model.label}: packaging once for the push cases`);
      layout = await cachedLayout(model, join(workDir, 'layouts'));
    } catch (err) {
      layoutFailure = `no layout to push: ${(err as Error).message}`;
    }
    for (const c of pushCases) {
      const title = `${c} ${model.kind}`;
      const id = `${c}-${model.label}`;
      if (!layout) {
        results.push(notMeasured(id, title, layoutFailure, model.label));
        continue;
      }
      const l = layout;
      const run =
        c === 'push-cold'
          ? () => pushColdCase(model, l, runs)
          : c === 'push-unchanged'
            ? () => pushUnchangedCase(model, l, runs)
            : () => pushFanOutCase(model, l, runs);
      results.push(...(await guarded(id, title, run)));
    }
  }
  if (cases.includes('many-files')) {
    log('model of 10,000 small files: generating or reusing');
    const many = manyFilesModel(join(workDir, 'models'));
    results.push(
      ...(await guarded('package-many-files', `package ${many.kind}`, () =>
        manyFilesCase(many, runs, workDir),
      )),
    );
  }
  if (cases.includes('small-change')) {
    // The goal speaks of a 420 MB model, whatever --sizes says.
    const model =
      models.find((m) => m.label === '420M') ??
      (await syntheticModel('420M', join(workDir, 'models')));
    results.push(
      ...(await guarded('push-small-change-420M', 'push after a 2 KB change', () =>
        smallChangeCase(model, runs, workDir),
      )),
    );
  }
  if (cases.includes('deploy'))
    results.push(...(await guarded('deploy', 'deploy + rollout', () => deployCase(runs))));
  if (cases.includes('smoke'))
    results.push(...(await guarded('smoke-load', 'smoke-test load', () => smokeCase(runs))));
  if (cases.includes('load-ceiling')) {
    results.push(
      ...(await guarded('load-ceiling', 'load generator ceiling', () => loadCeilingCase(runs))),
    );
  }
  if (cases.includes('startup'))
    results.push(...(await guarded('startup', 'action start-up', () => startupCase(runs))));
  if (cases.includes('release')) {
    results.push(
      ...(await guarded('release', "release (the paper's Table 1)", () =>
        releaseCase(models, runs, workDir),
      )),
    );
  }
} finally {
  stopAllRecorded();
}

const finishedAt = new Date().toISOString();
const previous = existsSync(resultsPath)
  ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as {
      cases?: Array<CaseResult & { measuredAt?: string }>;
    })
  : {};
const fresh = results.map((r) => ({ ...r, measuredAt: finishedAt }));
const CASE_OF_ID: Record<string, string> = {
  'smoke-load': 'smoke',
  'package-many-files': 'many-files',
  'push-small-change-420M': 'small-change',
};
const order = (id: string) => {
  const i = ALL_CASES.findIndex(
    (c) => id === c || CASE_OF_ID[id] === c || (!CASE_OF_ID[id] && id.startsWith(`${c}-`)),
  );
  return i < 0 ? ALL_CASES.length : i;
};
// A case measured now replaces its earlier figures, and an earlier failure of its group
// (`release` for `release-98M-aws`, say) that this run got past.
const supersedes = (f: CaseResult, p: CaseResult) =>
  f.id === p.id || (p.status !== 'measured' && f.id.startsWith(`${p.id}-`));
const kept = (previous.cases ?? []).filter((p) => !fresh.some((f) => supersedes(f, p)));
const allCases = [...kept, ...fresh].sort(
  (a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id, 'en', { numeric: true }),
);
const document = {
  schemaVersion: 1,
  lastRun: { startedAt, finishedAt, runs, sizes, cases },
  machine: machineAtStart,
  method:
    'Each case: one warm-up iteration, then --runs iterations; within an iteration the subjects run one after another, in alternating order. Wall time is taken around the process (spawn to exit). Ratios are computed per iteration from the subjects measured in it, then summarised (median, min–max).',
  goals: allCases.flatMap((c) => c.goals.map((g) => ({ case: c.id, ...g }))),
  cases: allCases,
};
writeFileSync(resultsPath, JSON.stringify(document, null, 2) + '\n');
writeFileSync(
  join(repoRoot, 'bench', 'results.md'),
  `${goalsTable(allCases)}\n\n${releaseSection(allCases)}${markdownTable(allCases)}\n`,
);

process.stdout.write(
  `\nmodel-deploy benchmark: ${runs} runs per case after a warm-up; ${machineAtStart.cpus} cores, load ${document.machine.loadAverageAtStart}\n`,
);
process.stdout.write(`peak RSS: ${rssSource}\n\n`);
process.stdout.write(terminalTable(results) + '\n');
const goals = results.flatMap((r) => r.goals);
process.stdout.write(
  `\ngoals: ${goals.filter((g) => g.met).length} of ${goals.length} met in this run; written ${resultsPath} and bench/results.md\n`,
);
