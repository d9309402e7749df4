import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalStep, StepResult } from '../test/support/local-runner.ts';
import { pidDir, stopAllRecorded } from '../test/support/processes.ts';
import { ensureDebianPackages } from '../test/support/system-packages.ts';
import { checkScenario, keyOutputs } from './demo/checks.ts';
import { renderMarkdown, terminalStyle, visibleLength } from './demo/terminal-markdown.ts';
import { runScenario, startEnvironment, type DemoEnvironment } from './demo/scenario.ts';

/**
 * `npm run demo`: a model released to two registries and a local cluster with
 * real pods, through the built actions exactly as GitHub runs them; then a
 * broken version rolled back by itself, and a manual rollback. Everything it
 * starts, it stops, also on Ctrl-C; it exits non-zero when anything that
 * should have happened did not.
 */

const style = terminalStyle(process.stdout.isTTY === true && !process.env.NO_COLOR);
const width = Math.max(80, process.stdout.columns ?? 120);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const print = (line = '') => process.stdout.write(`${line}\n`);

function banner(text: string): void {
  const line = `━━ ${text} `;
  print();
  print(style.bold(style.cyan(line + '━'.repeat(Math.max(3, width - visibleLength(line) - 1)))));
}

/** The workflow commands an action prints, made readable. */
function showLog(line: string): void {
  const command = /^::(\w+)(?: [^:]*)?::(.*)$/.exec(line);
  const text = (s: string) =>
    s.replace(/%0A/g, '\n      ').replace(/%0D/g, '').replace(/%3A/g, ':').replace(/%25/g, '%');
  if (!command) {
    if (line.trim() !== '') print(style.dim(`    ${line}`));
    return;
  }
  const [, name, data] = command as unknown as [string, string, string];
  if (name === 'group') print(style.dim(`  ▸ ${text(data)}`));
  else if (name === 'error') print(style.red(`  ✖ ${text(data)}`));
  else if (name === 'warning') print(style.yellow(`  ⚠ ${text(data)}`));
  else if (name === 'notice') print(`  ℹ ${text(data)}`);
}

const stepStarts = new Map<string, number>();
function showStepStart(step: LocalStep): void {
  stepStarts.set(step.id, Date.now());
  print();
  const condition = step.if ? style.dim(`  (if: ${step.if})`) : '';
  print(
    `${style.bold(`▶ ${step.id}`)}  ${style.dim(`uses: model-deploy/${step.uses}@v1`)}${condition}`,
  );
}

function showStepEnd(result: StepResult): void {
  const seconds = ((Date.now() - (stepStarts.get(result.id) ?? Date.now())) / 1000).toFixed(1);
  const verdict =
    result.conclusion === 'success'
      ? style.green(`✔ ${result.id} succeeded`)
      : style.red(`✖ ${result.id} failed (exit code ${result.exitCode})`);
  print(`${verdict} ${style.dim(`in ${seconds}s`)}`);
  if (result.summary.trim() !== '') {
    print(style.dim('  ┄┄ job summary ┄┄'));
    print(renderMarkdown(result.summary, style, width, '  '));
  }
}

let environment: DemoEnvironment | undefined;
let cleaning: Promise<void> | undefined;
const pids = pidDir();

/** Ends what the demo started: action processes, the cluster's containers, registries, temp files. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    stopAllRecorded(pids);
    await environment
      ?.stop()
      .catch((err: unknown) => print(style.yellow(`cleanup: ${String(err)}`)));
    stopAllRecorded(pids);
    rmSync(pids, { recursive: true, force: true });
  })();
  return cleaning;
}

// A crash anywhere (an action's process, the cluster's node) still leaves nothing running.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.once(event, (err: unknown) => {
    print(
      style.red(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    void cleanUp().finally(() => process.exit(1));
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    print();
    print(style.yellow(`${signal}: stopping everything the demo started…`));
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  banner('model-deploy demo');
  print('A model goes from files to a verified endpoint through the four actions, run from');
  print(`their built bundles (${style.cyan('dist/')}) exactly as GitHub runs them.`);

  const missing = ['package', 'push', 'deploy', 'smoke-test'].filter(
    (name) => !existsSync(join(repoRoot, 'dist', name, 'index.js')),
  );
  if (missing.length > 0) {
    print(style.red(`dist/ lacks the bundles of ${missing.join(', ')}: run npm run build first.`));
    return 1;
  }
  banner('Setting up: system packages, two registries, a cluster');
  await ensureDebianPackages(undefined, (line) => print(`  ${line}`));
  environment = await startEnvironment((line) => print(`  ${line}`));

  const results = await runScenario(environment, {
    onPhase: (phase, index) => {
      banner(`${index + 1}/4 ${phase.title}  ${style.dim(`[${elapsed()}]`)}`);
      print(`  ${phase.description}`);
    },
    onLog: showLog,
    onStepStart: showStepStart,
    onStepEnd: showStepEnd,
  });

  banner(`Summary  ${style.dim(`[${elapsed()}]`)}`);
  const rows = [['#', 'step', 'outcome', 'key outputs']];
  for (const [index, { phase, run }] of results.entries()) {
    for (const [n, step] of run.steps.entries()) {
      const uses = phase.steps.find((s) => s.id === step.id)?.uses ?? '';
      rows.push([
        n === 0 ? String(index + 1) : '',
        step.id,
        step.conclusion,
        keyOutputs(uses, step),
      ]);
    }
  }
  const markdown = rows
    .map((r, i) => `| ${r.join(' | ')} |${i === 0 ? `\n|${' --- |'.repeat(r.length)}` : ''}`)
    .join('\n');
  print(renderMarkdown(markdown, style, width, '  '));

  const checks = checkScenario(results, environment);
  print();
  print(style.bold('  What had to happen'));
  for (const check of checks) {
    print(
      `  ${check.ok ? style.green('✔') : style.red('✖')} ${check.what}${check.ok ? '' : style.red(` — ${check.detail}`)}`,
    );
  }
  const failed = checks.filter((c) => !c.ok).length;
  print();
  print(
    failed === 0
      ? style.green(style.bold(`  Demo passed: all ${checks.length} checks held, in ${elapsed()}.`))
      : style.red(style.bold(`  Demo FAILED: ${failed} of ${checks.length} checks did not hold.`)),
  );
  return failed === 0 ? 0 : 1;
}

let code: number;
try {
  code = await main();
} catch (err) {
  print(
    style.red(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  );
  code = 1;
} finally {
  print(style.dim('  stopping registries, cluster and pods…'));
  await cleanUp();
}
process.exit(code);
