import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The GitHub Actions file protocol in a temp folder: INPUT_* variables,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE, GITHUB_ENV. Used to test
 * actions in-process exactly as the runner would drive them.
 */
export interface ActionEnv {
  dir: string;
  outputs(): Record<string, string>;
  summary(): string;
  state(): Record<string, string>;
  restore(): void;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function withActionEnv(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): ActionEnv {
  const dir = mkdtempSync(join(tmpdir(), 'md-action-'));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_')) delete process.env[key];
  }
  Object.assign(process.env, files, { RUNNER_TEMP: dir }, extraEnv);
  for (const [k, v] of Object.entries(inputs)) process.env[inputEnvName(k)] = v;
  process.exitCode = undefined;
  return {
    dir,
    outputs: () => parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: () => readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    state: () => parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    restore: () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      process.exitCode = undefined;
    },
  };
}

/** Reads the `name<<DELIMITER\nvalue\nDELIMITER` format of the runner's environment files. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}
