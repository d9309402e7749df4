import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Debian packages the integration tests run: the distribution registry,
 * image tools, rootful podman with runc, htpasswd, the busybox binary that
 * test images are built from, unzip for the helm binary, and for the test
 * clusters: iproute2 (local pod addresses), containerd and the CNI plugins
 * (the real node's runtime and pod network).
 */
export const REQUIRED_DEBIAN_PACKAGES = [
  'docker-registry',
  'skopeo',
  'umoci',
  'apache2-utils',
  'podman',
  'runc',
  'busybox-static',
  'openssl',
  'unzip',
  // DVC projects in the tests are git repositories.
  'git',
  'iproute2',
  'containerd',
  'containernetworking-plugins',
] as const;

/** Packages from the list that dpkg does not report as installed. */
export async function missingDebianPackages(
  packages: readonly string[] = REQUIRED_DEBIAN_PACKAGES,
): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('dpkg-query', [
      '-W',
      '-f=${Package} ${db:Status-Status}\n',
      ...packages,
    ]));
  } catch (err) {
    // dpkg-query exits 1 when some package is unknown, and still prints the known ones.
    const e = err as { stdout?: string; code?: unknown };
    if (e.code === 'ENOENT') {
      throw new Error('dpkg-query is not available: the tests need a Debian-based machine', {
        cause: err,
      });
    }
    stdout = e.stdout ?? '';
  }
  const installed = new Set(
    stdout
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return packages.filter((p) => !installed.has(p));
}

export function installCommand(packages: readonly string[]): string {
  return `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
}

/**
 * Installs what is missing, once, so `npm test` works on a fresh machine. Does
 * nothing when everything is there; as non-root it fails with the command to run.
 */
export async function ensureDebianPackages(
  packages: readonly string[] = REQUIRED_DEBIAN_PACKAGES,
  log: (line: string) => void = (line) => console.log(line),
): Promise<string[]> {
  const missing = await missingDebianPackages(packages);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the tests need these Debian packages, which are not installed: ${missing.join(', ')}. ` +
        `Install them with: ${installCommand(missing)}`,
    );
  }
  log(`installing Debian packages the tests need: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt run (or a second suite) may hold the lock: wait for it instead of failing.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  const run = async (args: string[]) => {
    try {
      await execFileAsync('apt-get', [...lockWait, ...args], {
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`apt-get ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: err });
    }
  };
  await run(['update', '-q']);
  await run(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  const stillMissing = await missingDebianPackages(missing);
  if (stillMissing.length > 0) {
    throw new Error(`apt-get did not install: ${stillMissing.join(', ')}`);
  }
  log(`installed ${missing.join(' ')}`);
  return missing;
}
