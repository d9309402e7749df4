import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  restrictedNamespace,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

/**
 * The start budget on a real node: the kubelet runs the startup probe, and
 * a server that does not answer its health path within start-timeout is
 * restarted; deploy says that this budget ran out, not only that pods
 * crash-loop. The namespace enforces Pod Security "restricted", so the pod
 * runs as deploy renders it, non-root with the drain hook.
 */
let world: DeployWorld;
beforeAll(async () => {
  world = await startWorld({ pods: 'real' });
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

describe('the start budget on a real kubelet', () => {
  it('a server that never answers its health path is restarted by the startup probe, and the message names the start budget', async () => {
    await restrictedNamespace(world.cluster.kubeconfigPath, 'start-budget');
    const result = await runDeploy({
      cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
      namespace: 'start-budget',
      name: 'echo',
      image: world.images.v1.digestRef,
      runtime: 'custom',
      // busybox httpd answers 404 here: the model never reports ready.
      'health-path': '/model-ready',
      'start-timeout': '5s',
      // Not what ends the rollout: the Deployment's progress deadline does (start 5s + pull
      // 3m), long after the startup probe's first failure (busybox httpd, as PID 1, ignores
      // SIGTERM, so each restart takes the whole grace period and never stays in
      // CrashLoopBackOff for long).
      timeout: '10m',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/rollout of echo failed: ProgressDeadlineExceeded/);
    expect(result.failure).toContain(
      'the start budget ran out: the startup probe gives the model server 5.0s (start-timeout) to answer /model-ready',
    );
    expect(result.failure).not.toContain("the step's timeout ran out");
  }, 600_000);
});
