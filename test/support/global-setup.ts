import { pidDir, stopAllRecorded } from './processes.ts';
import { listTestContainers, removeContainers, testRunId } from './podman.ts';
import { ensureDebianPackages } from './system-packages.ts';
import { findTool } from './tools.ts';
import { crdModuleDirs, ensureKubeBinaries } from './kube/build.ts';

/**
 * Runs once around the whole suite: installs the Debian packages the tests
 * need when they are missing, builds the test clusters' Kubernetes binaries
 * on a machine's first run, records where started processes are listed, and
 * afterwards ends any process and removes any container a test left behind,
 * even when tests failed.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = pidDir();
  // Test workers inherit this, so container names carry this run's id.
  process.env.MODEL_DEPLOY_TEST_RUN ??= String(process.pid);
  await ensureDebianPackages();
  // Kubernetes, etcd and kwok from their Go modules: built once per machine
  // (the first time takes a while and says so), then reused from the cache.
  await ensureKubeBinaries();
  await crdModuleDirs();
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
