import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRegistryAuthFile, type RegistryCredentials } from './registry.ts';
import { requireTool } from './tools.ts';

/** The containers.conf that makes rootful podman work here (runc, cgroupfs, ulimits). */
export const containersConfPath = fileURLToPath(new URL('./containers.conf', import.meta.url));

/** Every container a test starts is named with this prefix, so teardown removes only ours. */
export const TEST_CONTAINER_PREFIX = 'md-test-';

export function podmanEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF: containersConfPath };
}

/**
 * Names carry the id of this test run (set by the global setup), so two suites
 * running at once on one machine never remove each other's containers.
 */
export function testRunId(): string {
  return process.env.MODEL_DEPLOY_TEST_RUN ?? String(process.ppid);
}

export function containerName(purpose: string): string {
  const safe = purpose.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
  return `${TEST_CONTAINER_PREFIX}${testRunId()}-${safe}-${randomBytes(3).toString('hex')}`;
}

export interface PodmanResult {
  stdout: string;
  stderr: string;
}

/** Runs podman with an argument array; rejects with its stderr when it exits non-zero. */
export function podman(args: string[], options: { input?: string } = {}): Promise<PodmanResult> {
  requireTool('podman', 'podman');
  return new Promise((resolve, reject) => {
    const child = execFile(
      'podman',
      args,
      { env: podmanEnv(), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`podman ${args[0] ?? ''} failed (${error.code ?? error.message}): ${stderr}`),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    // podman may exit before reading stdin; its exit code above is what tells the outcome.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/**
 * Arguments that let podman pull from a local registry: plain HTTP on
 * 127.0.0.1 needs --tls-verify=false, and credentials go through an auth file.
 * Call the returned cleanup when done.
 */
export function registryPullArgs(registry: RegistryCredentials): {
  args: string[];
  cleanup(): void;
} {
  const args = ['--tls-verify=false'];
  if (registry.username === undefined) return { args, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'md-podman-auth-'));
  args.push('--authfile', writeRegistryAuthFile(registry, join(dir, 'auth.json')));
  return { args, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `podman run --rm` to completion; returns its output. */
export async function runToCompletion(
  image: string,
  command: string[],
  options: { registry?: RegistryCredentials; purpose?: string } = {},
): Promise<PodmanResult> {
  const pull = options.registry ? registryPullArgs(options.registry) : undefined;
  try {
    return await podman([
      'run',
      '--rm',
      '--name',
      containerName(options.purpose ?? 'run'),
      ...(pull?.args ?? []),
      image,
      ...command,
    ]);
  } finally {
    pull?.cleanup();
  }
}

export interface RunningContainer {
  name: string;
  id: string;
  /** Host ports on 127.0.0.1 by container port, for published ports. */
  ports: Record<number, number>;
  logs(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a detached container. Published ports bind to 127.0.0.1 only.
 * stop() removes it with `podman rm -f`.
 */
export async function startContainer(
  image: string,
  options: {
    command?: string[];
    registry?: RegistryCredentials;
    purpose?: string;
    /** containerPort → hostPort */
    publish?: Record<number, number>;
    env?: Record<string, string>;
  } = {},
): Promise<RunningContainer> {
  const name = containerName(options.purpose ?? 'container');
  const pull = options.registry ? registryPullArgs(options.registry) : undefined;
  const publish = options.publish ?? {};
  try {
    const { stdout } = await podman([
      'run',
      '--detach',
      '--name',
      name,
      ...(pull?.args ?? []),
      ...Object.entries(publish).flatMap(([container, host]) => [
        '--publish',
        `127.0.0.1:${host}:${container}`,
      ]),
      ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      image,
      ...(options.command ?? []),
    ]);
    return {
      name,
      id: stdout.trim(),
      ports: Object.fromEntries(Object.entries(publish).map(([c, h]) => [Number(c), h])),
      logs: async () => {
        const { stdout: out, stderr } = await podman(['logs', name]);
        return out + stderr;
      },
      stop: () => removeContainers([name]),
    };
  } catch (err) {
    // A failed start can still leave a created container behind.
    await removeContainers([name]);
    throw err;
  } finally {
    pull?.cleanup();
  }
}

export async function removeContainers(names: string[]): Promise<void> {
  if (names.length === 0) return;
  await podman(['rm', '--force', '--ignore', '--time', '2', ...names]);
}

/** Names of this run's test containers that still exist. */
export async function listTestContainers(runId = testRunId()): Promise<string[]> {
  const { stdout } = await podman([
    'ps',
    '--all',
    '--filter',
    `name=^${TEST_CONTAINER_PREFIX}${runId}-`,
    '--format',
    '{{.Names}}',
  ]);
  return stdout.split('\n').filter((n) => n.startsWith(`${TEST_CONTAINER_PREFIX}${runId}-`));
}
