import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { leaseName, lockRelease, microTime } from '../../../shared/kube/lease.ts';
import { ensureNamespace } from '../../../shared/kube/release.ts';
import {
  kubectlMaybe,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

let world: DeployWorld;
let client: KubeClient;
beforeAll(async () => {
  world = await startWorld();
  client = new KubeClient(
    await connectCluster(parseClusterSpec(`kubeconfig:${world.cluster.kubeconfigPath}`), {
      logger: silentLogger,
    }),
  );
  await ensureNamespace(client, 'lease', silentLogger);
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const inputs = (image: string) => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace: 'lease',
  name: 'echo',
  image,
  'health-path': '/',
  timeout: '60s',
});

describe('concurrent deploys of one release', () => {
  it('the second waits for the first, says so, then deploys and releases the lease', async () => {
    const held = await lockRelease(client, {
      namespace: 'lease',
      release: 'echo',
      holder: 'octo/models run 41',
      logger: silentLogger,
    });
    // Released once the deploy says it is waiting: the wait is seen, whatever the machine's speed.
    let released = false;
    const result = await runDeploy(inputs(world.images.v1.digestRef), {}, (line) => {
      if (!released && line.includes('waiting for octo/models run 41')) {
        released = true;
        void held.unlock();
      }
    });
    expect(released).toBe(true);
    expect(result.failure).toBe('');
    expect(result.outputs.status).toBe('deployed');
    expect(result.log).toContain('waiting for octo/models run 41 to finish deploying echo');
    expect(result.log).toMatch(/waited \d+s for octo\/models run 41 before deploying echo/);
    expect(result.summary).toContain('waited for lock');
    expect(
      await kubectlMaybe(world.cluster.kubeconfigPath, [
        '-n',
        'lease',
        'get',
        'lease',
        leaseName('echo'),
      ]),
    ).toBeUndefined();
  });

  it('takes over a lease whose holder stopped renewing it', async () => {
    const { coordination } = await client.apis();
    const longAgo = microTime(new Date(Date.now() - 10 * 60_000));
    await coordination.createNamespacedLease({
      namespace: 'lease',
      body: {
        metadata: { name: leaseName('echo'), namespace: 'lease' },
        spec: {
          holderIdentity: 'octo/models run 7',
          leaseDurationSeconds: 60,
          acquireTime: longAgo,
          renewTime: longAgo,
        },
      },
    });
    const result = await runDeploy(inputs(world.images.v2.digestRef));
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '2' });
    expect(result.log).toContain(
      'took over the deploy lock model-deploy.echo: octo/models run 7 stopped renewing it',
    );
  });

  it('releases its lease after it changed, and leaves a lease another run took alone', async () => {
    const { coordination } = await client.apis();
    const name = leaseName('unlock');
    const lock = () =>
      lockRelease(client, {
        namespace: 'lease',
        release: 'unlock',
        holder: 'octo/models run 50',
        logger: silentLogger,
      });
    const renew = async (holder: string) => {
      const current = await coordination.readNamespacedLease({ name, namespace: 'lease' });
      current.spec!.holderIdentity = holder;
      current.spec!.renewTime = microTime();
      await coordination.replaceNamespacedLease({ name, namespace: 'lease', body: current });
    };
    const exists = async () =>
      (await kubectlMaybe(world.cluster.kubeconfigPath, ['-n', 'lease', 'get', 'lease', name])) !==
      undefined;

    // Changed since this run wrote it (the precondition fails), still its own: deleted.
    const first = await lock();
    await renew('octo/models run 50');
    await first.unlock();
    expect(await exists()).toBe(false);

    // Taken by another run meanwhile: left to that run.
    const second = await lock();
    await renew('octo/models run 51');
    await second.unlock();
    expect(await exists()).toBe(true);
    const kept = await coordination.readNamespacedLease({ name, namespace: 'lease' });
    expect(kept.spec?.holderIdentity).toBe('octo/models run 51');
  });
});
