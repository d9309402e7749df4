import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedModel } from '../../shared/model/sources/resolve.ts';
import { startProcess } from './processes.ts';

/**
 * Runs `resolveModel` in a fresh Node process with `env`: Node reads
 * NODE_EXTRA_CA_CERTS (the Entra double's and Azurite's self-signed
 * certificates) only at start-up, so Azure reads cannot run in the test worker.
 */
export async function resolveInChild(
  model: string,
  options: { mlflowTrackingUri?: string; workDir: string },
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true; resolved: ResolvedModel } | { ok: false; error: string; hint?: string }> {
  const module = fileURLToPath(new URL('../../shared/model/sources/resolve.ts', import.meta.url));
  const logger = fileURLToPath(new URL('../../shared/common/logger.ts', import.meta.url));
  const script = [
    `const { resolveModel } = await import(${JSON.stringify(module)});`,
    `const { silentLogger } = await import(${JSON.stringify(logger)});`,
    'const options = JSON.parse(process.argv[2]);',
    'try {',
    '  const resolved = await resolveModel(process.argv[1], { ...options, mlflowAuth: {}, logger: silentLogger });',
    '  process.stdout.write(JSON.stringify({ ok: true, resolved }));',
    '} catch (err) {',
    '  process.stdout.write(JSON.stringify({ ok: false, error: err.message, hint: err.hint }));',
    '}',
  ].join('\n');
  const child = startProcess(
    'resolve-model',
    process.execPath,
    ['--input-type=module', '-e', script, model, JSON.stringify(options)],
    {
      env: {
        PATH: process.env.PATH,
        HOME: mkdtempSync(join(tmpdir(), 'md-resolve-home-')),
        ...env,
      },
    },
  );
  let stdout = '';
  child.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
  try {
    return JSON.parse(stdout) as Awaited<ReturnType<typeof resolveInChild>>;
  } catch {
    throw new Error(`resolveModel in a child process exited ${code}:\n${child.output()}`);
  }
}
