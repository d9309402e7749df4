import { pidDir, stopAllRecorded } from './processes.ts';
import { listTestContainers, removeContainers, testRunId } from './podman.ts';
import { ensureGoTool } from './go-tools.ts';
import { ensurePythonTool } from './python-tools.ts';
import { ensureDebianPackages } from './system-packages.ts';
import { findTool } from './tools.ts';
import { crdModuleDirs, ensureEmissaryApiext, ensureKubeBinaries } from './kube/build.ts';

/**
 * Runs once around the whole suite: installs the Debian packages, Python
 * tools and Go programs the tests need when they are missing (building the
 * test clusters' Kubernetes binaries on a machine's first run), records where
 * started processes are listed, and
 * afterwards ends any process and removes any container a test left behind,
 * even when tests failed.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = pidDir();
  // Test workers inherit this, so container names carry this run's id.
  process.env.MODEL_DEPLOY_TEST_RUN ??= String(process.pid);
  await ensureDebianPackages();
  // Each is made once per machine under its own lock, side by side on a fresh
  // machine (the first time takes a while and says so), then reused from the cache.
  await Promise.all([
    ensurePythonTool('moto'),
    ensurePythonTool('mlflow'),
    ensurePythonTool('dvc'),
    ensurePythonTool('mlserver'),
    ensureGoTool('fake-gcs-server'),
    // After Kubernetes, not beside it: each go build already uses every core.
    ensureKubeBinaries()
      .then(() => crdModuleDirs())
      .then(() => ensureEmissaryApiext()),
  ]);
  return async () => {
    const leftovers = stopAllRecorded(dir);
    if (leftovers.length > 0) {
      console.warn(`ended processes that tests left running: ${leftovers.join(', ')}`);
    }
    if (findTool('podman')) {
      const containers = await listTestContainers(testRunId()).catch(() => []);
      if (containers.length > 0) {
        await removeContainers(containers).catch((err: unknown) => {
          console.warn(`could not remove test containers ${containers.join(', ')}: ${String(err)}`);
        });
        console.warn(`removed containers that tests left behind: ${containers.join(', ')}`);
      }
    }
  };
}
