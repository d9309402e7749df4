import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync, readdirSync, readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every process a test starts is recorded by PID in one folder, so the global
 * teardown can end exactly those (and nothing else) even when a test crashed.
 */
export function pidDir(): string {
  const dir =
    process.env.MODEL_DEPLOY_TEST_PIDS ?? join(tmpdir(), `model-deploy-pids-${process.pid}`);
  process.env.MODEL_DEPLOY_TEST_PIDS = dir;
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Combined stdout+stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where to also write the process output (a file). */
  logFile?: string;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: StartOptions = {},
): ManagedProcess {
  let output = '';
  const logFd = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // Its own process group, so stop() ends the children it forks too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  const record = join(pidDir(), String(pid));
  writeFileSync(record, JSON.stringify({ name, command, args }));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (logFd !== undefined) writeFileSync(logFd, chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      rmSync(record, { force: true });
      resolve();
    }),
  );
  return {
    name,
    pid,
    child,
    output: () => output,
    async stop() {
      if (exited) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
      // Children that ignored SIGTERM with the leader gone.
      killGroup(pid, 'SIGKILL');
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Ends every recorded process that is still alive; returns the names of those it had to end. */
export function stopAllRecorded(dir = pidDir()): string[] {
  const ended: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return ended;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let name = entry;
    try {
      name = JSON.parse(readFileSync(join(dir, entry), 'utf8')).name ?? entry;
    } catch {
      // unreadable record: still end the PID we started
    }
    if (isAlive(pid)) {
      killGroup(pid, 'SIGKILL');
      ended.push(name);
    }
    rmSync(join(dir, entry), { force: true });
  }
  return ended;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1. */
/**
 * A port on 127.0.0.1 nothing listens on, for a process started next. It is
 * drawn below the kernel's ephemeral range (ip_local_port_range, 32768 and
 * up by default): a port the kernel hands out (port 0) is free only until the
 * next outgoing connection takes it as its source port, and the test world
 * makes thousands, so a server started a moment later could find it taken.
 * Ports already handed out by this process are not drawn twice.
 */
export async function freePort(): Promise<number> {
  const [low, high] = PORT_POOL;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on 127.0.0.1 between ${low} and ${high} after 200 tries`);
}

/** Below the ephemeral range (and above the well-known ports services such as databases use). */
const PORT_POOL: [number, number] = [20_000, 32_000];
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `check` until it returns true, or throws with the last error after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
  );
}

/** Resolves when an HTTP endpoint answers at all (any status). */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    url,
    async () => {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return true;
    },
    timeoutMs,
  );
}
