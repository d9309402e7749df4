import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../support/fault-proxy.ts';
import { writeKubeconfigFile } from '../../support/kube/cluster.ts';
import {
  kubectlJson,
  runDeploy,
  startWorld,
  type DeployRun,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';
import { makeLoopbackCertificates } from '../../support/certificates.ts';

/**
 * The deploy action talking to the cluster API test double through the fault
 * proxy (TLS on both sides). Each scenario deploys v1 cleanly, then v2 with a
 * fault injected. A transient fault must not cost the release: v2 completes.
 * A lasting one must fail cleanly with v1 still the one deployed, and the
 * release history must never be left with a revision stuck as pending.
 */

let world: DeployWorld;
let proxy: FaultProxy;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  world = await startWorld();
  const certificates = await makeLoopbackCertificates();
  proxy = await startFaultProxy({
    upstream: world.cluster.server,
    upstreamCa: world.cluster.caPem,
    tls: { key: certificates.key, cert: certificates.cert },
  });
  dir = mkdtempSync(join(tmpdir(), 'md-reliability-deploy-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfigFile(
    kubeconfig,
    { server: proxy.url, token: world.cluster.token, caPem: certificates.ca },
    'admin',
  );
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await world?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const NAMESPACE = 'faults';
const deploymentPath = (name: string) =>
  new RegExp(`^/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${name}(\\?|$)`);

interface Outcome {
  /** The release's inputs without the image, to run it again. */
  inputs: Record<string, string>;
  run: DeployRun;
  /** The image the Deployment runs after the action ended. */
  image: string | undefined;
  /** revision → result, from the release history the action keeps in the cluster. */
  history: Record<string, string>;
}

let releases = 0;

/** Deploys v1 with no fault, then v2 with `rules` in place. */
async function deployV2Under(rules: (name: string) => FaultRule[]): Promise<Outcome> {
  const name = `faulty-${++releases}`;
  const inputs = {
    cluster: `kubeconfig:${kubeconfig}`,
    namespace: NAMESPACE,
    name,
    runtime: 'custom',
    'health-path': '/',
    timeout: '60s',
  };
  proxy.rules.clear();
  const first = await runDeploy({ ...inputs, image: world.images.v1.digestRef });
  expect(first.failure, 'the fault-free first deploy').toBe('');
  for (const rule of rules(name)) proxy.rules.add(rule);
  let run: DeployRun;
  try {
    run = await runDeploy({ ...inputs, image: world.images.v2.digestRef });
  } finally {
    expect(
      proxy.stats().rules.every((r) => r.fired > 0),
      'every injected fault fired',
    ).toBe(true);
    proxy.rules.clear();
  }
  // Read back directly from the cluster, not through the proxy.
  const direct = world.cluster.kubeconfigPath;
  const deployment = await kubectlJson(direct, ['-n', NAMESPACE, 'get', 'deployment', name]);
  const secrets = await kubectlJson(direct, [
    '-n',
    NAMESPACE,
    'get',
    'secrets',
    '-l',
    `model-deploy.io/history-of=${name}`,
  ]);
  const history: Record<string, string> = {};
  for (const item of secrets.items as Array<{
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  }>) {
    history[item.metadata.labels['model-deploy.io/revision']!] =
      item.metadata.annotations['model-deploy.io/result']!;
  }
  return { inputs, run, image: deployment.spec.template.spec.containers[0].image, history };
}

describe('deploy under faults between it and the cluster API', () => {
  it('deploys v1 then v2 through the proxy when nothing is injected', async () => {
    const outcome = await deployV2Under(() => []);
    expect(outcome.run.ok).toBe(true);
    expect(outcome.run.outputs).toMatchObject({ status: 'deployed', revision: '2' });
    expect(outcome.image).toBe(world.images.v2.digestRef);
    expect(outcome.history).toEqual({ 1: 'superseded', 2: 'deployed' });
  });

  const transient: Array<[string, (name: string) => FaultRule[]]> = [
    [
      'one 503 on the apply',
      (n) => [
        {
          method: 'PATCH',
          path: deploymentPath(n),
          times: 1,
          fault: { kind: 'status', status: 503 },
        },
      ],
    ],
    [
      'one 429 with Retry-After on the apply',
      (n) => [
        {
          method: 'PATCH',
          path: deploymentPath(n),
          times: 1,
          fault: { kind: 'rate-limit', retryAfter: '1' },
        },
      ],
    ],
    [
      'one connection closed on the apply',
      (n) => [{ method: 'PATCH', path: deploymentPath(n), times: 1, fault: { kind: 'close' } }],
    ],
    [
      'three 503 while watching the rollout',
      (n) => [
        {
          method: 'GET',
          path: deploymentPath(n),
          times: 3,
          fault: { kind: 'status', status: 503 },
        },
      ],
    ],
    [
      'a reset while listing the pods',
      (n) => [
        {
          method: 'GET',
          path: new RegExp(`/namespaces/${NAMESPACE}/pods\\?labelSelector=.*${n}`),
          times: 1,
          fault: { kind: 'reset-response', afterBytes: 10 },
        },
      ],
    ],
    [
      'a truncated read of the Deployment',
      (n) => [
        {
          method: 'GET',
          path: deploymentPath(n),
          times: 1,
          fault: { kind: 'truncate', bytes: 30 },
        },
      ],
    ],
    [
      'one 503 on writing the release history',
      (n) => [
        {
          method: 'PUT',
          path: new RegExp(`/secrets/model-deploy\\.${n}\\.v2$`),
          times: 1,
          fault: { kind: 'status', status: 503 },
        },
      ],
    ],
  ];

  it.each(transient)('completes v2 despite %s', async (_what, rules) => {
    const outcome = await deployV2Under(rules);
    expect(outcome.run.failure).toBe('');
    expect(outcome.run.outputs).toMatchObject({ status: 'deployed' });
    expect(outcome.image).toBe(world.images.v2.digestRef);
    expect(Object.values(outcome.history)).not.toContain('pending');
  });

  const lasting: Array<[string, (name: string) => FaultRule[], RegExp]> = [
    [
      'a lasting 500 from the apply',
      (n) => [{ method: 'PATCH', path: deploymentPath(n), fault: { kind: 'status', status: 500 } }],
      /HTTP 500/,
    ],
    [
      'credentials refused on the apply',
      (n) => [
        {
          method: 'PATCH',
          path: deploymentPath(n),
          fault: { kind: 'expire-token', challenge: 'Bearer realm="kubernetes"' },
        },
      ],
      /rejected the credentials \(401\)/,
    ],
  ];
  const lastingOutcomes = new Map<string, Promise<Outcome>>();
  const lastingOutcome = (what: string, rules: (name: string) => FaultRule[]) => {
    if (!lastingOutcomes.has(what)) lastingOutcomes.set(what, deployV2Under(rules));
    return lastingOutcomes.get(what)!;
  };

  it.each(lasting)(
    'fails on %s, naming the cause, with v1 still deployed',
    async (what, rules, cause) => {
      const outcome = await lastingOutcome(what, rules);
      expect(outcome.run.ok).toBe(false);
      expect(outcome.run.failure).toMatch(cause);
      expect(outcome.image).toBe(world.images.v1.digestRef);
      expect(outcome.history['1']).toBe('deployed');
    },
  );

  it.each(lasting)('leaves no revision recorded as pending after %s', async (what, rules) => {
    const outcome = await lastingOutcome(what, rules);
    expect(Object.values(outcome.history)).not.toContain('pending');
  });

  it('re-runs the release after the lasting 500 is gone: v2 deployed and recorded', async () => {
    const [what, rules] = lasting[0]!;
    const outcome = await lastingOutcome(what, rules);
    const again = await runDeploy({ ...outcome.inputs, image: world.images.v2.digestRef });
    expect(again.failure).toBe('');
    expect(again.outputs).toMatchObject({ status: 'deployed', 'previous-revision': '1' });
    const deployment = await kubectlJson(world.cluster.kubeconfigPath, [
      '-n',
      NAMESPACE,
      'get',
      'deployment',
      outcome.inputs.name!,
    ]);
    expect(deployment.spec.template.spec.containers[0].image).toBe(world.images.v2.digestRef);
  });
});
