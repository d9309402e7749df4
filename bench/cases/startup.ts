import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundlePath, node24, waitForBundle, type ActionName } from '../action-process.ts';
import { measure, type Measured } from '../measure.ts';
import { alternate, pairedRatio, SubjectRuns, type CaseResult } from '../results.ts';
import { notMeasured } from '../results.ts';

const ACTIONS: ActionName[] = ['package', 'push', 'deploy', 'smoke-test'];

/** The runner's environment without inputs: each action then logs its first line (the missing required input). */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(k)) env[k] = v;
  }
  return { ...env, GITHUB_ACTIONS: 'true' };
}

function toFirstLine(m: Measured): Measured {
  return { ...m, wallMs: m.firstOutputMs ?? m.wallMs };
}

/** The one bundle of the four actions, which each action's dist/<name>/index.js loads. */
function bundleBytes(): { entry: number; total: number } {
  const dir = join(dirname(dirname(bundlePath('package'))), 'actions');
  const total = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  return { entry: statSync(join(dir, 'index.js')).size, total };
}

export async function startupCase(runs: number): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const env = bareEnv();
  for (const action of ACTIONS) {
    const id = `startup-${action}`;
    const title = `action start-up: ${action}`;
    await waitForBundle(action);
    if (!existsSync(bundlePath(action))) {
      results.push(notMeasured(id, title, `dist/${action}/index.js is missing (npm run build)`));
      continue;
    }
    const ours = new SubjectRuns(`node dist/${action}/index.js to its first log line`);
    const limit = new SubjectRuns('node -e (write one line) to that line');
    // A later step of the same job: RUNNER_TEMP holds the compile cache an
    // earlier step left (the warm-up run writes it; that run is not counted).
    const warm = new SubjectRuns(
      `node dist/${action}/index.js to its first log line, a later step of the job (compile cache warm)`,
    );
    const jobTemp = mkdtempSync(join(tmpdir(), 'md-bench-job-'));
    try {
      await alternate(runs, [
        async (i) => {
          const m = await measure(node24, [bundlePath(action)], { env });
          if (m.firstOutputMs === undefined) throw new Error(`dist/${action} printed nothing`);
          if (i > 0) ours.add(toFirstLine(m));
        },
        async (i) => {
          const m = await measure(node24, ['-e', 'process.stdout.write("ready\\n")'], { env });
          if (i > 0) limit.add(toFirstLine(m));
        },
        async (i) => {
          const m = await measure(node24, [bundlePath(action)], {
            env: { ...env, RUNNER_TEMP: jobTemp },
          });
          if (m.firstOutputMs === undefined) throw new Error(`dist/${action} printed nothing`);
          if (i > 0) warm.add(toFirstLine(m));
        },
      ]);
    } finally {
      rmSync(jobTemp, { recursive: true, force: true });
    }
    const size = bundleBytes();
    const oursFigures = ours.figures();
    const ratio = pairedRatio('start-up ÷ bare node start-up, per run', ours.wall, limit.wall);
    results.push({
      id,
      title,
      status: 'measured',
      runs,
      subjects: {
        'model-deploy': oursFigures,
        limit: limit.figures(),
        'model-deploy, compile cache warm': warm.figures(),
      },
      ratios: { 'vs limit': ratio },
      goals: [
        {
          text: `${action} start-up < 150 ms`,
          value: `${oursFigures.wallMs.median.toFixed(0)} ms`,
          met: oursFigures.wallMs.median < 150,
        },
      ],
      notes: [
        `The goal is judged on a job's first model-deploy step (no RUNNER_TEMP, so nothing cached). A later step finds the bundle's compiled code that an earlier one left in RUNNER_TEMP (Node's compile cache) and reached its first line in ${warm.figures().wallMs.median.toFixed(0)} ms (median).`,
        `the four actions' one bundle (dist/actions): index.js ${(size.entry / 1e6).toFixed(2)} MB, all chunks ${(size.total / 1e6).toFixed(2)} MB`,
      ],
    });
  }
  return results;
}
