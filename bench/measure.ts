import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidDir } from '../test/support/processes.ts';

/**
 * One measured process: wall time from spawn to exit (taken here, with
 * performance.now()), the time to its first byte of output, and its peak
 * RSS as GNU time reports it (`/usr/bin/time -f %M`: the kernel's
 * ru_maxrss, the largest resident set of the process or of any descendant
 * it waited for; not a sum over the tree).
 */
export interface Measured {
  wallMs: number;
  firstOutputMs: number | undefined;
  peakRssKb: number | undefined;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A file descriptor for stdout (e.g. /dev/null); default: captured. */
  stdout?: number;
  timeoutMs?: number;
}

const GNU_TIME = '/usr/bin/time';
export const rssSource = existsSync(GNU_TIME)
  ? 'GNU time %M (ru_maxrss: largest single process of the tree)'
  : 'not available (install the Debian package `time`)';

let scratch: string | undefined;
function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'md-bench-measure-'));
  return scratch;
}
let counter = 0;

export async function measure(
  command: string,
  args: string[],
  options: MeasureOptions = {},
): Promise<Measured> {
  const rssFile = join(scratchDir(), `rss-${++counter}`);
  const wrapped = existsSync(GNU_TIME);
  const [cmd, argv] = wrapped
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]]
    : [command, args];
  const started = performance.now();
  const child = spawn(cmd, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    detached: true,
  });
  // Recorded like every process the tests start, so a crashed run leaves nothing behind.
  const record = child.pid ? join(pidDir(), String(child.pid)) : undefined;
  if (record) writeFileSync(record, JSON.stringify({ name: `bench ${command}`, command, args }));
  let firstOutputMs: number | undefined;
  let stdout = '';
  let stderr = '';
  const mark = () => {
    firstOutputMs ??= performance.now() - started;
  };
  child.stdout?.on('data', (c: Buffer) => {
    mark();
    if (stdout.length < 1_000_000) stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    mark();
    if (stderr.length < 200_000) stderr += c.toString();
  });
  let timer: NodeJS.Timeout | undefined;
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    if (options.timeoutMs) {
      timer = setTimeout(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }, options.timeoutMs);
    }
  });
  const wallMs = performance.now() - started;
  if (timer) clearTimeout(timer);
  if (record) rmSync(record, { force: true });
  let peakRssKb: number | undefined;
  if (wrapped && existsSync(rssFile)) {
    // GNU time writes "Command exited with non-zero status N" before the figure on failure.
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
    const value = Number(lines[lines.length - 1]);
    peakRssKb = Number.isFinite(value) ? value : undefined;
    rmSync(rssFile, { force: true });
  }
  return { wallMs, firstOutputMs, peakRssKb, exitCode, stdout, stderr };
}

/** Like measure(), but a non-zero exit is an error that carries the tail of the output. */
export async function measureOk(
  what: string,
  command: string,
  args: string[],
  options: MeasureOptions = {},
): Promise<Measured> {
  const result = await measure(command, args, options);
  if (result.exitCode !== 0) {
    const tail = (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-8).join('\n');
    throw new Error(`${what} exited with ${result.exitCode}:\n${tail}`);
  }
  return result;
}

/** Opens /dev/null for writing; the caller closes it. */
export function devNull(): { fd: number; close(): void } {
  const fd = openSync('/dev/null', 'w');
  return { fd, close: () => closeSync(fd) };
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(values: number[]): Summary {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values,
  };
}
