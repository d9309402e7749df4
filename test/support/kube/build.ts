import { execFile, spawn } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { isAlive } from '../processes.ts';
import { findTool } from '../tools.ts';
import {
  COMPONENTS,
  CRD_MODULES,
  EMISSARY_APIEXT,
  cacheRoot,
  componentDir,
  moduleDir,
  type GoComponent,
} from './components.ts';

const execFileAsync = promisify(execFile);

/** Paths of every binary the test clusters run. */
export interface KubeBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kubelet: string;
  kwok: string;
}

type Log = (line: string) => void;
const defaultLog: Log = (line) => console.log(line);

function requireGo(): string {
  const go = findTool('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : '');
  if (go) return go;
  throw new Error(
    'the tests build Kubernetes, etcd and kwok from their Go modules and need Go 1.26 or later, ' +
      'which is not installed. Install it from https://go.dev/dl/ (e.g. into /usr/local/go) and put ' +
      '/usr/local/go/bin on PATH.',
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment every go command runs with: the pinned go.sum is the only
 * truth (-mod=readonly), no VCS stamping of the clone, static binaries, and
 * never a toolchain download.
 */
function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOFLAGS: '-mod=readonly -buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
}

let goVersionPromise: Promise<string> | undefined;
function goVersion(): Promise<string> {
  goVersionPromise ??= execFileAsync(requireGo(), ['env', 'GOVERSION'], { env: goEnv() }).then(
    ({ stdout }) => stdout.trim(),
  );
  return goVersionPromise;
}

function seconds(ms: number): string {
  return ms < 90_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * Runs `fn` holding a lock folder (mkdir is atomic), so two test suites on one
 * machine never build the same thing at once. A lock whose owner process is
 * gone is taken over; while a live owner builds, this waits and says so.
 */
async function withLock<T>(lockDir: string, log: Log, fn: () => Promise<T>): Promise<T> {
  const owner = `${hostname()} ${process.pid}`;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner'), owner);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = '';
      try {
        holder = readFileSync(join(lockDir, 'owner'), 'utf8');
      } catch {
        // the owner file is written just after mkdir: give it a moment
      }
      const [host, pidText] = holder.split(' ');
      const pid = Number(pidText);
      if (holder && host === hostname() && Number.isInteger(pid) && !isAlive(pid)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        log(
          `waiting for another build of ${basename(lockDir)} (${holder || 'starting'}) to finish`,
        );
        told = true;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function hasBinaries(dir: string, component: GoComponent): boolean {
  return component.binaries.every((b) => isExecutable(join(dir, b)));
}

/** `go build` with a progress line every minute, since a cold Kubernetes build takes a while. */
function goBuild(component: GoComponent, outDir: string, log: Log): Promise<void> {
  // One package: name the binary (etcd's main package path ends in /v3, which go would name "server").
  const output =
    component.packages.length === 1 ? join(outDir, component.binaries[0]!) : `${outDir}/`;
  const ldflags = [
    '-s',
    '-w',
    ...Object.entries(component.linkerVariables ?? {}).map(
      ([name, value]) => `-X ${name}=${value}`,
    ),
  ].join(' ');
  const args = ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', output, ...component.packages];
  return new Promise((resolve, reject) => {
    const child = spawn(requireGo(), args, {
      cwd: moduleDir(component),
      env: goEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const started = Date.now();
    const ticker = setInterval(
      () =>
        log(
          `  still building ${component.module} ${component.version} (${seconds(Date.now() - started)})`,
        ),
      60_000,
    );
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `go ${args.join(' ')} (in ${moduleDir(component)}) exited with ${code}:\n${output}`,
          ),
        );
    });
  });
}

/**
 * The folder holding `component`'s binaries, built on first use on this
 * machine into the cache (staging folder, then a rename: a reader never sees
 * half-written binaries).
 */
export async function ensureComponent(
  component: GoComponent,
  log: Log = defaultLog,
): Promise<string> {
  const dir = componentDir(component, await goVersion());
  if (hasBinaries(dir, component)) return dir;
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  return withLock(`${dir}.lock`, log, async () => {
    if (hasBinaries(dir, component)) return dir;
    const staging = mkdtempSync(join(root, `.staging-${component.name}-`));
    chmodSync(staging, 0o755);
    try {
      const started = Date.now();
      log(
        `building ${component.binaries.join(', ')} from ${component.module} ${component.version} ` +
          `(once per machine, into ${dir})`,
      );
      await goBuild(component, staging, log);
      if (!hasBinaries(staging, component)) {
        throw new Error(
          `go build of ${component.module} did not produce ${component.binaries.join(', ')}`,
        );
      }
      const took = Date.now() - started;
      writeFileSync(
        join(staging, 'build.json'),
        JSON.stringify({
          module: component.module,
          version: component.version,
          go: await goVersion(),
          seconds: Math.round(took / 1000),
          builtAt: new Date().toISOString(),
        }),
      );
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
      log(`built ${component.module} ${component.version} in ${seconds(took)}`);
      return dir;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
}

let all: Promise<KubeBinaries> | undefined;

/** Builds (first time) and returns the paths of etcd, the control plane, kubectl and kwok. */
export function ensureKubeBinaries(log: Log = defaultLog): Promise<KubeBinaries> {
  all ??= (async () => {
    const dirs: Record<string, string> = {};
    // One at a time: each go build already uses every core.
    for (const component of COMPONENTS)
      dirs[component.name] = await ensureComponent(component, log);
    const k8s = dirs.kubernetes!;
    return {
      etcd: join(dirs.etcd!, 'etcd'),
      kubeApiserver: join(k8s, 'kube-apiserver'),
      kubeControllerManager: join(k8s, 'kube-controller-manager'),
      kubeScheduler: join(k8s, 'kube-scheduler'),
      kubectl: join(k8s, 'kubectl'),
      kubelet: join(k8s, 'kubelet'),
      kwok: join(dirs.kwok!, 'kwok'),
    };
  })();
  all.catch(() => (all = undefined));
  return all;
}

const downloads = new Map<string, Promise<Map<string, string>>>();

/**
 * Where modules of the build list of ./modules/<folder> are unpacked in Go's
 * module cache (downloaded and checked against that folder's go.sum on first
 * use), by module path. For the YAML that modules ship: CRDs, kwok's stages.
 */
export function moduleSources(folder: string, modules: string[]): Promise<Map<string, string>> {
  const key = `${folder}:${modules.join(',')}`;
  let pending = downloads.get(key);
  if (!pending) {
    pending = (async () => {
      const { stdout } = await execFileAsync(
        requireGo(),
        ['mod', 'download', '-json', ...modules],
        {
          cwd: moduleDir({ name: folder }),
          env: goEnv(),
          maxBuffer: 16 * 1024 * 1024,
        },
      ).catch((err: { stderr?: string; stdout?: string; message: string }) => {
        throw new Error(
          `go mod download ${modules.join(' ')} (in modules/${folder}) failed: ${err.stdout ?? ''}${err.stderr || err.message}`,
        );
      });
      // -json prints one object per module, back to back.
      const dirs = new Map<string, string>();
      for (const match of stdout.matchAll(/\{[^{}]*\}/g)) {
        const info = JSON.parse(match[0]) as { Path: string; Dir?: string; Error?: string };
        if (info.Error) throw new Error(`go mod download ${info.Path}: ${info.Error}`);
        if (info.Dir) dirs.set(info.Path, info.Dir);
      }
      for (const m of modules) {
        if (!dirs.has(m))
          throw new Error(`go mod download gave no folder for ${m} (modules/${folder})`);
      }
      return dirs;
    })();
    pending.catch(() => downloads.delete(key));
    downloads.set(key, pending);
  }
  return pending;
}

/** The Gateway API and Istio API module folders (pinned in modules/crds). */
export async function crdModuleDirs(): Promise<Record<keyof typeof CRD_MODULES, string>> {
  const dirs = await moduleSources(
    'crds',
    Object.values(CRD_MODULES).map((m) => m.module),
  );
  return {
    gatewayApi: dirs.get(CRD_MODULES.gatewayApi.module)!,
    istioApi: dirs.get(CRD_MODULES.istioApi.module)!,
  };
}

/** The folder of the pinned Emissary module (its CRD YAML). */
export async function emissaryModuleDir(): Promise<string> {
  const dirs = await moduleSources('emissary', [EMISSARY_APIEXT.module]);
  return dirs.get(EMISSARY_APIEXT.module)!;
}

/** Emissary's conversion webhook, built on first use. */
export async function ensureEmissaryApiext(log: Log = defaultLog): Promise<string> {
  const dir = await ensureComponent(EMISSARY_APIEXT, log);
  return join(dir, EMISSARY_APIEXT.binaries[0]!);
}

// `node test/support/kube/build.ts`: build everything now (e.g. while setting up a machine).
if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  ensureKubeBinaries()
    .then(async (bins) => {
      await crdModuleDirs();
      const emissaryApiext = await ensureEmissaryApiext();
      console.log(JSON.stringify({ ...bins, emissaryApiext }, null, 2));
      console.log(`ready in ${seconds(Date.now() - started)}`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
