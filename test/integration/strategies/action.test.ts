import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, runDeploy } from '../../support/deploy-fixture.ts';
import { CASES } from '../../support/smoke-cases.ts';
import {
  history,
  startStrategyWorld,
  type StrategyWorld,
} from '../../support/strategies-fixture.ts';

const execFileAsync = promisify(execFile);

let world: StrategyWorld;
let bare: StrategyWorld;
beforeAll(async () => {
  [world, bare] = await Promise.all([
    startStrategyWorld({ crds: ['gateway-api'] }),
    // No router CRDs installed: the cluster does not serve their API groups.
    startStrategyWorld({ crds: [] }),
  ]);
}, 180_000);
afterAll(async () => {
  await Promise.all([world?.stop(), bare?.stop()]);
});

const v2 = CASES[0]!;
const base = (w: StrategyWorld, namespace: string) => ({
  cluster: `kubeconfig:${w.cluster.kubeconfigPath}`,
  namespace,
  name: 'iris',
  runtime: 'custom',
  port: '8080',
  'health-path': '/',
  timeout: '60s',
  expose: 'gateway',
  host: 'iris.example.com',
});
const analysis = {
  protocol: 'v2',
  request: JSON.stringify(v2.request),
  expect: JSON.stringify(v2.expect),
  'analysis-requests': '5',
};

describe('deploy with strategy: canary', () => {
  it('promotes through the action: outputs, job summary with each step, history', async () => {
    const ns = 'action-canary';
    const first = await runDeploy({ ...base(world, ns), image: world.images.v1.digestRef });
    expect(first.failure).toBe('');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.good.url);
    // The stable pods answer wrongly: the analysis passes only if it asked the canary's.
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.wrong.url);
    const result = await runDeploy({
      ...base(world, ns),
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'canary',
      'canary-steps': '20%:1s, 100%',
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      status: 'deployed',
      revision: '2',
      'previous-revision': '1',
      promoted: 'true',
      step: '2',
    });
    expect(result.summary).toContain('### Canary: promoted');
    expect(result.summary).toMatch(
      /\| 1 \| 20% \| \d+ runs?, p95 [\d.]+ ms, errors 0\.00% \| ✅ passed \|/,
    );
    expect(result.summary).toMatch(/\| 2 \| 100% \| .* \| ✅ passed \|/);
    expect(result.log).toContain('step 1/2: 20% of traffic to');
    expect(await history(world, ns, 'iris')).toEqual({ '1': 'superseded', '2': 'deployed' });
    // Rollback works across strategies: the canary's revision is a release like any other.
    const back = await runDeploy({
      ...base(world, ns),
      image: world.images.v2.digestRef,
      'rollback-to': 'previous',
    });
    expect(back.failure).toBe('');
    expect(back.outputs).toMatchObject({ status: 'deployed', revision: '3' });
    const live = await world.kubectl(ns, ['get', 'deployment', 'iris']);
    expect(live.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
  }, 120_000);

  it('fails the job with the analysis result when the canary answers wrongly', async () => {
    const ns = 'action-wrong';
    expect(
      (await runDeploy({ ...base(world, ns), image: world.images.v1.digestRef })).failure,
    ).toBe('');
    await world.cluster.registerServiceBackend(ns, 'iris-canary', 80, world.wrong.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const result = await runDeploy({
      ...base(world, ns),
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'canary',
      'canary-steps': '10%:1s, 100%',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(
      /model-deploy\/deploy failed: rollout of iris failed: AnalysisFailed: analysis failed: wrong answer: .*; revision 1 was restored and is serving/,
    );
    expect(result.outputs).toMatchObject({
      status: 'rolled-back',
      revision: '1',
      promoted: 'false',
      step: '1',
    });
    expect(result.summary).toContain('### Canary: withdrawn at step 1');
    expect(result.summary).toMatch(/\| 1 \| 10% \| .* \| ❌ wrong answer: /);
  }, 120_000);
});

describe('deploy with strategy: blue-green', () => {
  it('switches and promotes through the action, with the preview and the switched checks in the summary', async () => {
    const ns = 'action-bg';
    const plain = { ...base(world, ns), expose: 'cluster-ip', host: '' };
    expect((await runDeploy({ ...plain, image: world.images.v1.digestRef })).failure).toBe('');
    await world.cluster.registerServiceBackend(ns, 'iris-preview', 80, world.good.url);
    await world.cluster.registerServiceBackend(ns, 'iris', 80, world.good.url);
    const result = await runDeploy({
      ...plain,
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'blue-green',
      'scale-down-delay': '1s',
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      status: 'deployed',
      revision: '2',
      promoted: 'true',
      step: '2',
    });
    expect(result.summary).toContain('### Blue-green: promoted');
    expect(result.summary).toMatch(/\| 1 \(preview\) \| 0% \| .* \| ✅ passed \|/);
    expect(result.summary).toMatch(/\| 2 \(switched\) \| 100% \| .* \| ✅ passed \|/);
    expect(result.log).toContain(
      'the previous version stays up for 1.0s for an instant switch back',
    );
  }, 120_000);
});

describe('bad strategy inputs and a cluster without the router', () => {
  it.each([
    [{ 'canary-steps': '10%-2m, 100%' }, "input 'canary-steps' has '10%-2m', which is not a step"],
    [
      { 'canary-steps': '50%:1m, 10%:1m, 100%' },
      "input 'canary-steps' has 10% after 50%; the weights must increase",
    ],
    [
      { 'canary-steps': '10%:1m, 50%:1m' },
      "input 'canary-steps' ends at 50%; the last step must be 100%",
    ],
    [{ 'traffic-router': 'linkerd' }, "input 'traffic-router'"],
    [
      { 'traffic-router': 'istio' },
      "input 'traffic-router' is istio, which moves the weights of the release's own VirtualService; expose is gateway",
    ],
  ])('%j fails before touching the cluster', async (given, message) => {
    const ns = 'bad-inputs';
    const result = await runDeploy({
      ...base(world, ns),
      image: world.images.v2.digestRef,
      strategy: 'canary',
      ...given,
    });
    expect(result.ok).toBe(false);
    // Workflow commands carry '%' as %25.
    expect(result.failure.replace(/%25/g, '%')).toContain(message);
    expect(result.outputs.status).toBe('failed');
    const namespaces = await world.kubectl('default', ['get', 'namespaces']);
    expect(
      namespaces.items.map((n: { metadata: { name: string } }) => n.metadata.name),
    ).not.toContain(ns);
  });

  it.each([
    ['gateway', 'the Gateway API (gateway.networking.k8s.io)', 'httproutes'],
    ['istio', 'Istio (networking.istio.io)', 'virtualservices'],
  ])(
    'traffic-router %s on a cluster without its CRDs names what is missing',
    async (router, what, resource) => {
      // The real kubectl sees the same cluster: no such resource type.
      await expect(
        execFileAsync(KUBECTL, ['--kubeconfig', bare.cluster.kubeconfigPath, 'get', resource]),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining(`the server doesn't have a resource type "${resource}"`),
      });
      const ns = `no-${router}`;
      const result = await runDeploy({
        ...base(bare, ns),
        expose: router,
        image: bare.images.v2.digestRef,
        strategy: 'canary',
        'canary-steps': '10%:1s, 100%',
      });
      expect(result.ok).toBe(false);
      expect(result.failure).toContain(`traffic-router ${router} needs ${what}, and the cluster`);
      expect(result.failure).toContain('its CRDs are not installed');
      expect(result.failure).toMatch(/traffic-router: replicas/);
      expect(result.outputs).toMatchObject({ status: 'failed', promoted: 'false', step: '0' });
      const deployments = await bare.kubectl(ns, ['get', 'deployments']);
      expect(deployments.items).toEqual([]);
    },
  );
});
