import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { expect, vi } from 'vitest';
import { withActionEnv } from './actions-env.ts';

/** One malformed value of one input, and what else the run needs. */
export interface BadInputRow {
  /** The input the row is about; the failure message must name it. */
  input: string;
  /** What is wrong with the value, as the test title. */
  case: string;
  /** Inputs for the run; the row's input holds the malformed value. */
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** The input the message must name when it is not `input` (a pair names the missing half). */
  names?: string;
  /** What the message must say beyond naming the input: the specific problem and its fix. */
  says?: RegExp;
}

/** A row that also checks the words of its message. */
export function saying<T extends BadInputRow>(row: T, says: RegExp): T {
  return { ...row, says };
}

export interface Outcome {
  ok: boolean;
  /** The text of the runner's `::error::` command(s), decoded. */
  failure: string;
  /** The text of the runner's `::warning::` command(s), decoded. */
  warnings: string;
  /** The runner file-protocol folder (outputs, state, summary) of the run. */
  runnerFiles: string;
  outputs: Record<string, string>;
}

/** The input names that an action's action.yml declares, read at test time. */
export function declaredInputs(action: string): string[] {
  const path = fileURLToPath(new URL(`../../${action}/action.yml`, import.meta.url));
  const doc = parse(readFileSync(path, 'utf8')) as { inputs: Record<string, unknown> };
  return Object.keys(doc.inputs);
}

function decodeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/**
 * Runs an action in-process through the runner file protocol and keeps what
 * it reports with `::error::`, which is how a user sees the failure.
 */
export async function runWithInputs(
  run: () => Promise<boolean>,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<Outcome> {
  const env = withActionEnv(inputs, extraEnv);
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const ok = await run();
    const lines = written.join('').split(/\r?\n/);
    const command = (name: string) =>
      lines
        .filter((line) => line.startsWith(`::${name}`))
        .map((line) => decodeCommandData(line.slice(line.indexOf('::', 2) + 2)))
        .join('\n');
    return {
      ok,
      failure: command('error'),
      warnings: command('warning'),
      runnerFiles: env.dir,
      outputs: env.outputs(),
    };
  } finally {
    spy.mockRestore();
    env.restore();
  }
}

/** A message that tells the user how to fix it: an example or a hint. */
export const FIX_HINT = /for example:|how to fix:/;

/**
 * What every row asserts: the run failed, the message names the input and
 * carries a fix, says what the row expects, and is not reported as a bug.
 */
export function expectClearRefusal(outcome: Outcome, row: BadInputRow): void {
  expect(outcome.ok, outcome.failure).toBe(false);
  expect(outcome.failure).toContain(`'${row.names ?? row.input}'`);
  expect(outcome.failure).toMatch(FIX_HINT);
  if (row.says !== undefined) expect(outcome.failure).toMatch(row.says);
  expect(outcome.failure).not.toContain('bug in model-deploy');
}

/** The classic "billion laughs": nine levels of nine aliases, a few hundred bytes. */
export const YAML_ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const prev = 'abcdefghi'[i] as string;
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');
