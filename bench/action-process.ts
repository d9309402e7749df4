import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { inputEnvName, parseFileCommands } from '../test/support/actions-env.ts';
import { measure, type Measured } from './measure.ts';

/**
 * Runs a built action bundle as the runner does (`node dist/<name>/index.js`
 * with INPUT_* from the given inputs over the action.yml defaults, and fresh
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), as one process of its own so
 * GNU time can report its peak RSS. test/support/local-runner.ts drives the
 * same protocol for the end-to-end tests; it starts the process itself, so
 * its RSS cannot be read from outside.
 */
export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const node24 = join(repoRoot, 'node_modules', '.bin', 'node');

export type ActionName = 'package' | 'push' | 'deploy' | 'smoke-test';

export function bundlePath(action: ActionName): string {
  return join(repoRoot, 'dist', action, 'index.js');
}

function defaults(action: ActionName): Record<string, string> {
  const doc = parseYaml(readFileSync(join(repoRoot, action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    // `${{ github.token }}` has no value outside a runner.
    if (spec?.default !== undefined && !String(spec.default).includes('${{')) {
      out[name] = String(spec.default);
    }
  }
  return out;
}

/** The input names the action declares (to check an input exists before relying on it). */
export function declaredInputs(action: ActionName): string[] {
  const doc = parseYaml(readFileSync(join(repoRoot, action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, unknown>;
  };
  return Object.keys(doc.inputs ?? {});
}

export interface ActionRun extends Measured {
  outputs: Record<string, string>;
  /** The `::error::` line, when the action failed. */
  failure: string | undefined;
}

/**
 * `npm run build` deletes dist/<name>/ before it rebuilds it; a run that
 * starts meanwhile waits for the bundle instead of reporting the action broken.
 */
export async function waitForBundle(action: ActionName, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(bundlePath(action)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
  }
  // ncc writes index.js before its chunks and licenses; give it a moment to finish.
  if (!existsSync(join(dirname(bundlePath(action)), 'package.json'))) {
    await new Promise((r) => setTimeout(r, 5000));
  }
}

export async function runActionBundle(
  action: ActionName,
  inputs: Record<string, string>,
  options: { workspace?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ActionRun> {
  await waitForBundle(action);
  const temp = mkdtempSync(join(tmpdir(), `md-bench-${action}-`));
  const workspace = options.workspace ?? join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
    GITHUB_STATE: join(temp, 'state'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(k)) env[k] = v;
  }
  Object.assign(env, files, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'model-deploy/bench',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '1',
    GITHUB_ACTOR: 'bench',
    RUNNER_TEMP: temp,
    ...options.env,
  });
  for (const [name, value] of Object.entries({ ...defaults(action), ...inputs })) {
    env[inputEnvName(name)] = value;
  }
  try {
    const result = await measure(node24, [bundlePath(action)], {
      env,
      cwd: workspace,
      timeoutMs: options.timeoutMs ?? 30 * 60_000,
    });
    const outputs = parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    const failure =
      /::error[^:]*::(.*)/.exec(result.stdout + '\n' + result.stderr)?.[1]?.replace(/%0A/g, ' ') ??
      result.stderr
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /^\w*Error\b/.test(l)) ??
      `exit ${result.exitCode}`;
    return { ...result, outputs, failure: result.exitCode === 0 ? undefined : failure };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
