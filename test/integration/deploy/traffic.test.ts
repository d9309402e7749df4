import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlJson,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

/**
 * A cluster whose endpoint controllers write pod changes 3 s late, as a busy
 * control plane does: a rolling update is complete (the old pod deleted)
 * well before the Service stops listing the old pod. Deploy must not end in
 * that gap, or the first requests after it reach a pod that is gone.
 */
let world: DeployWorld;
beforeAll(async () => {
  world = await startWorld({ endpointsBatchPeriod: '3s' });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const inputs = (image: string) => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace: 'traffic',
  name: 'echo',
  runtime: 'custom',
  'health-path': '/',
  timeout: '60s',
  image,
});

interface Slice {
  endpoints?: Array<{ conditions?: { ready?: boolean }; targetRef?: { name?: string } }>;
}
interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { containers: Array<{ image: string }> };
}

/** The pods the Service's EndpointSlices list as ready, read at once. */
async function readyEndpointPods(): Promise<{ names: string[]; pods: Map<string, Pod> }> {
  const kc = world.cluster.kubeconfigPath;
  const [slices, pods] = await Promise.all([
    kubectlJson(kc, [
      '-n',
      'traffic',
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=echo',
    ]),
    kubectlJson(kc, ['-n', 'traffic', 'get', 'pods']),
  ]);
  const names = (slices.items as Slice[])
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions?.ready !== false)
    .map((e) => e.targetRef?.name ?? '');
  return { names, pods: new Map((pods.items as Pod[]).map((p) => [p.metadata.name, p])) };
}

describe('the end of a rolling deploy', () => {
  it('comes once the Service sends traffic to the new pods alone', async () => {
    const first = await runDeploy(inputs(world.images.v1.digestRef));
    expect(first.failure).toBe('');
    expect(first.outputs.status).toBe('deployed');

    const second = await runDeploy(inputs(world.images.v2.digestRef));
    expect(second.failure).toBe('');
    expect(second.outputs).toMatchObject({ status: 'deployed', revision: '2' });
    const { names, pods } = await readyEndpointPods();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const pod = pods.get(name);
      expect(pod, `endpoint ${name} is a pod that no longer exists`).toBeDefined();
      expect(pod?.metadata.deletionTimestamp, `endpoint ${name} is shutting down`).toBeUndefined();
      expect(pod?.spec.containers[0]?.image).toBe(world.images.v2.digestRef);
    }
    // The controllers' 3 s lag was waited out, and said so.
    expect(second.log).toMatch(/Service echo: traffic on the new pods alone after \d+\.\ds/);
    expect(second.log).not.toContain('traffic not yet on the new pods');
  });
});
