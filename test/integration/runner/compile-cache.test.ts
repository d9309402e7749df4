import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The dist entries keep V8's compiled code of the bundle in RUNNER_TEMP, so
 * a job's later model-deploy steps start without compiling it again.
 * Node's own debug output says whether a step used what an earlier one left.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function step(
  action: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'dist', action, 'index.js')],
      {
        // Bad input on purpose: the step loads the bundle, then stops at its first check.
        env: { PATH: process.env.PATH ?? '', NODE_DEBUG_NATIVE: 'COMPILE_CACHE', ...env },
      },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

describe('the compile cache of the action entries', () => {
  it("is written to RUNNER_TEMP by one step and taken up by the job's next step", async () => {
    const temp = mkdtempSync(join(tmpdir(), 'md-compile-cache-'));
    temps.push(temp);
    const common = { RUNNER_TEMP: temp, GITHUB_OUTPUT: join(temp, 'output') };
    const push = await step('push', { ...common, INPUT_LAYOUT: join(temp, 'missing') });
    expect(push.code).toBe(1);
    expect(push.stdout).toContain("input 'destinations' is required");
    const cache = join(temp, 'model-deploy', 'compile-cache');
    expect(existsSync(cache)).toBe(true);
    const [versioned] = readdirSync(cache);
    expect(readdirSync(join(cache, versioned ?? '')).length).toBeGreaterThan(0);

    const deploy = await step('deploy', { ...common, INPUT_NAME: 'Not A DNS Label' });
    expect(deploy.code).toBe(1);
    expect(deploy.stdout).toContain('::error::');
    expect(deploy.stderr).toMatch(
      /V8 code cache for ESM file:\/\/\S*\/dist\/actions\/index\.js was accepted/,
    );
  });

  it('is not written anywhere without RUNNER_TEMP', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'md-compile-cache-'));
    temps.push(temp);
    const run = await step('push', {
      GITHUB_OUTPUT: join(temp, 'output'),
      INPUT_LAYOUT: join(temp, 'missing'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('[compile cache]');
  });
});
