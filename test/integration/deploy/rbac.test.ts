import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { run as runSmokeTestAction } from '../../../actions/smoke-test/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { ensureHelm, helm } from '../../support/helm.ts';
import {
  writeKubeconfigFile,
  type KubeCluster,
  type RbacRule,
} from '../../support/kube/cluster.ts';
import { startModelServer, type ModelServer } from '../../support/model-server-fixture.ts';
import { CASES } from '../../support/smoke-cases.ts';
import {
  kubectlJson,
  kubectlMaybe,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

/**
 * RBAC proven (issue 15, point 6): the permissions README.md documents are
 * the file docs/rbac/deployer-role.yaml, applied here as it is to a
 * ServiceAccount of a real kube-apiserver (RBAC authorization), and every
 * feature of deploy, and smoke-test's service proxy, runs with a token bound
 * to nothing else. With one verb taken out, deploy fails naming the verb, the
 * resource with its API group and the namespace, and the rule to grant.
 */
const ROLE_FILE = fileURLToPath(new URL('../../../docs/rbac/deployer-role.yaml', import.meta.url));
const roleText = readFileSync(ROLE_FILE, 'utf8');
const roles = parseAllDocuments(roleText).map((d) => d.toJS()) as Array<{
  kind: string;
  metadata: { name: string };
  rules: RbacRule[];
}>;
const deployerRole = roles.find((r) => r.metadata.name === 'model-deploy')!;

let world: DeployWorld;
let good: ModelServer;
let helmPath: string;
beforeAll(async () => {
  [world, good, helmPath] = await Promise.all([
    startWorld({ crds: ['gateway-api', 'istio', 'emissary'] }),
    startModelServer({ protocol: 'v2', model: 'iris', version: '2' }),
    ensureHelm(),
  ]);
  // Exactly the file README.md shows, applied as it is.
  await cluster().apply(roleText);
  // Istio's ingress gateway, where a VirtualService attaches by default: plain http.
  await cluster().apply(`
apiVersion: v1
kind: Namespace
metadata: { name: istio-system }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ingressgateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ['*/*.example.com']
`);
  mkdirSync(join(world.workspace, 'charts'), { recursive: true });
  await helm(['create', join(world.workspace, 'charts', 'server')]);
}, 240_000);
afterAll(async () => {
  await good?.stop();
  await world?.stop();
});

/** startWorld starts the upstream control plane: its admin helpers apply the roles. */
const cluster = () => world.cluster as KubeCluster;

const kubeconfigDir = mkdtempSync(join(tmpdir(), 'md-rbac-'));

/**
 * A ServiceAccount `deployer` in `namespace` whose only rights are the
 * ClusterRole `role`, bound by a RoleBinding there (or cluster-wide), and a
 * kubeconfig with its token from the TokenRequest API.
 */
async function deployerKubeconfig(
  namespace: string,
  bindings: Array<{ clusterRole: string; clusterWide?: boolean }>,
  /** Bind model-deploy-gateways where the Gateways are (the namespace and istio-system). */
  readGateways = true,
): Promise<string> {
  const docs: unknown[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace } },
    // The Gateway the release's HTTPRoute attaches to (`gateway` in its namespace), TLS for
    // the test's hosts, and the optional right to read it and the Istio ingress gateway.
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gateway', namespace },
      spec: {
        gatewayClassName: 'cloud',
        listeners: [
          {
            name: 'https',
            protocol: 'HTTPS',
            port: 443,
            hostname: '*.example.com',
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'example-tls' }] },
          },
        ],
      },
    },
    ...(readGateways ? [namespace, 'istio-system'] : []).map((where) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${namespace}-model-deploy-gateways`, namespace: where },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'model-deploy-gateways',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace }],
    })),
  ];
  for (const b of bindings) {
    docs.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: b.clusterWide ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: {
        name: b.clusterWide ? `${namespace}-${b.clusterRole}` : b.clusterRole,
        ...(b.clusterWide ? {} : { namespace }),
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace }],
    });
  }
  await cluster().apply(docs.map((d) => stringify(d)).join('---\n'));
  const request: { status: { token: string } } = await cluster().api.send(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/deployer/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    },
  );
  const path = join(kubeconfigDir, `${namespace}.kubeconfig`);
  writeKubeconfigFile(
    path,
    { server: world.cluster.server, caPem: world.cluster.caPem, token: request.status.token },
    `system:serviceaccount:${namespace}:deployer`,
    namespace,
  );
  return path;
}

/** The documented rules with one verb of one resource taken out, as a ClusterRole of its own. */
async function roleWithout(verb: string, group: string, resource: string): Promise<string> {
  let removed = false;
  const rules = deployerRole.rules.map((rule) => {
    if (!rule.apiGroups.includes(group) || !rule.resources.includes(resource)) return rule;
    if (!rule.verbs.includes(verb)) return rule;
    removed = true;
    const others = rule.resources.filter((r) => r !== resource);
    const left = rule.verbs.filter((v) => v !== verb);
    return [
      ...(others.length ? [{ ...rule, resources: others }] : []),
      ...(left.length ? [{ ...rule, resources: [resource], verbs: left }] : []),
    ];
  });
  // The table must take out a verb the documented role has, or it proves nothing.
  if (!removed) throw new Error(`the documented role has no ${verb} on ${group}/${resource}`);
  const name = `model-deploy-without-${verb}-${resource.replace('/', '-')}-${group.replace(/\./g, '-') || 'core'}`;
  await cluster().apply(
    stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: rules.flat(),
    }),
  );
  return name;
}

const v2 = CASES[0]!;
const analysis = {
  protocol: 'v2',
  model: 'iris',
  request: JSON.stringify(v2.request),
  expect: JSON.stringify({ outputs: v2.expect.outputs }),
  'analysis-requests': '5',
};
const base = (kubeconfig: string, namespace: string, name = 'iris') => ({
  cluster: `kubeconfig:${kubeconfig}`,
  namespace,
  name,
  runtime: 'custom',
  port: '8080',
  'health-path': '/',
  // kwok pods are ready at once; a start budget inside the timeout keeps the log free of budget warnings.
  'start-timeout': '30s',
  timeout: '60s',
});
const gateway = { expose: 'gateway', host: 'iris.example.com' };
const helmEnv = () => ({ GITHUB_WORKSPACE: world.workspace, MODEL_DEPLOY_HELM: helmPath });

/** The release's Lease is gone after a run: the lock was released, not left to lapse. */
async function expectUnlocked(namespace: string, release: string) {
  expect(
    await kubectlMaybe(world.cluster.kubeconfigPath, [
      '-n',
      namespace,
      'get',
      'lease',
      `model-deploy.${release}`,
    ]),
  ).toBeUndefined();
}

/** A run that needed nothing the role lacks: no failure, no warning of a refusal. */
function expectClean(result: { failure: string; log: string }) {
  expect(result.failure).toBe('');
  // This cluster runs no metrics-server: deploy rightly warns that an autoscaler cannot read CPU use.
  const log = result.log
    .split('\n')
    .filter((line) => !line.includes('does not serve the resource metrics API'))
    .join('\n');
  expect(log).not.toMatch(/forbidden|warning:/i);
}

let smokeEnv: ReturnType<typeof withActionEnv> | undefined;
afterEach(() => {
  smokeEnv?.restore();
  smokeEnv = undefined;
  vi.restoreAllMocks();
});

async function runSmoke(inputs: Record<string, string>): Promise<{ ok: boolean; log: string }> {
  smokeEnv = withActionEnv(inputs);
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  const ok = await runSmokeTestAction();
  vi.restoreAllMocks();
  return { ok, log: chunks.join('') };
}

describe('every feature with a token bound only to the documented role', () => {
  const ns = 'rbac';
  let kc: string;
  beforeAll(async () => {
    kc = await deployerKubeconfig(ns, [{ clusterRole: 'model-deploy' }]);
    // The pods are simulated: each Service's traffic goes to the model server fixture.
    for (const service of [
      'iris',
      'iris-canary',
      'istio',
      'istio-canary',
      'amb',
      'amb-canary',
      'bg',
      'bg-preview',
    ]) {
      await world.cluster.registerServiceBackend(ns, service, 80, good.url);
    }
  });

  it('the token has no rights beyond the role', async () => {
    const denied = await kubectlJson(kc, ['-n', 'default', 'get', 'pods']).catch(
      (err: { stderr?: string }) => err.stderr ?? String(err),
    );
    expect(denied).toContain(
      'User "system:serviceaccount:rbac:deployer" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  it('a rolling deploy behind a Gateway API route', async () => {
    const result = await runDeploy({
      ...base(kc, ns),
      ...gateway,
      image: world.images.v1.digestRef,
    });
    expectClean(result);
    // model-deploy-gateways let deploy read the Gateway: its listener terminates TLS.
    expect(result.outputs).toMatchObject({
      status: 'deployed',
      revision: '1',
      url: 'https://iris.example.com',
    });
    await expectUnlocked(ns, 'iris');
  });

  it('smoke-test through the service proxy', async () => {
    const { ok, log } = await runSmoke({
      cluster: `kubeconfig:${kc}`,
      service: `${ns}/iris:80`,
      protocol: 'v2',
      model: 'iris',
      request: JSON.stringify(v2.request),
      expect: JSON.stringify({ outputs: v2.expect.outputs }),
      requests: '10',
      'wait-ready': '30s',
    });
    expect(log).not.toContain('::error::');
    expect(ok).toBe(true);
    expect(smokeEnv!.outputs().passed).toBe('true');
  });

  it('a canary over the Gateway API, analysed through the service proxy', async () => {
    const before = good.inferences();
    const result = await runDeploy({
      ...base(kc, ns),
      ...gateway,
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'canary',
      'canary-steps': '50%:1s, 100%',
    });
    expectClean(result);
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '2', promoted: 'true' });
    expect(good.inferences()).toBeGreaterThan(before);
    await expectUnlocked(ns, 'iris');
  }, 120_000);

  it('rollback-to the previous revision', async () => {
    const result = await runDeploy({ ...base(kc, ns), ...gateway, 'rollback-to': 'previous' });
    expectClean(result);
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '3' });
    const live = await kubectlJson(world.cluster.kubeconfigPath, [
      '-n',
      ns,
      'get',
      'deployment',
      'iris',
    ]);
    expect(live.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
  });

  it('a dry run: the diff, and nothing changed', async () => {
    const result = await runDeploy({
      ...base(kc, ns),
      ...gateway,
      image: world.images.v2.digestRef,
      replicas: '2',
      'dry-run': 'true',
    });
    expectClean(result);
    expect(result.outputs.status).toBe('dry-run');
    expect(result.summary).toContain('| Deployment/iris | update |');
    expect(result.summary).toContain('| PodDisruptionBudget/iris | create |');
  });

  it('a canary over Istio (DestinationRule subset, VirtualService weights)', async () => {
    const istio = { ...base(kc, ns, 'istio'), expose: 'istio', host: 'istio.example.com' };
    expectClean(await runDeploy({ ...istio, image: world.images.v1.digestRef }));
    const result = await runDeploy({
      ...istio,
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'canary',
      'canary-steps': '50%:1s, 100%',
    });
    expectClean(result);
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '2', promoted: 'true' });
  }, 120_000);

  it('a canary over Ambassador (weighted Mappings, REST and gRPC)', async () => {
    // MLServer serves gRPC too: the release has a grpc Mapping, and the canary copies both.
    const amb = {
      ...base(kc, ns, 'amb'),
      runtime: 'mlserver',
      expose: 'ambassador',
      host: 'amb.example.com',
    };
    expectClean(await runDeploy({ ...amb, image: world.images.v1.digestRef }));
    const result = await runDeploy({
      ...amb,
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'canary',
      'canary-steps': '50%:1s, 100%',
    });
    expectClean(result);
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '2', promoted: 'true' });
    expect(result.log).toContain('Mapping/amb-grpc-canary');
  }, 120_000);

  it('blue-green', async () => {
    const bg = base(kc, ns, 'bg');
    expectClean(await runDeploy({ ...bg, image: world.images.v1.digestRef }));
    const result = await runDeploy({
      ...bg,
      ...analysis,
      image: world.images.v2.digestRef,
      strategy: 'blue-green',
      'scale-down-delay': '1s',
    });
    expectClean(result);
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '2', promoted: 'true' });
  }, 120_000);

  it('a helm chart', async () => {
    const result = await runDeploy(
      {
        cluster: `kubeconfig:${kc}`,
        namespace: ns,
        name: 'server',
        image: world.images.v1.digestRef,
        chart: 'charts/server',
        timeout: '60s',
      },
      helmEnv(),
    );
    expectClean(result);
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '1' });
  });

  it('prune: the autoscaler and the disruption budget go when the render drops them; a load balancer address is read', async () => {
    const lb = { ...base(kc, ns, 'scaled'), expose: 'load-balancer' };
    const scaled = await runDeploy({
      ...lb,
      image: world.images.v1.digestRef,
      autoscaling: '{min: 2, max: 3, target-cpu: 80}',
      resources: '{cpu: 100m, memory: 64Mi}',
    });
    expectClean(scaled);
    expect(scaled.outputs.url).toMatch(/^http:\/\/198\.19\./);
    const plain = await runDeploy({ ...lb, image: world.images.v2.digestRef });
    expectClean(plain);
    expect(plain.summary).toContain(
      'Pruned: HorizontalPodAutoscaler/scaled, PodDisruptionBudget/scaled',
    );
  });

  it('a namespace deploy creates: model-deploy-namespaces and model-deploy bound cluster-wide', async () => {
    const wide = await deployerKubeconfig('rbac-wide', [
      { clusterRole: 'model-deploy', clusterWide: true },
      { clusterRole: 'model-deploy-namespaces', clusterWide: true },
    ]);
    const result = await runDeploy({
      ...base(wide, 'rbac-created'),
      image: world.images.v1.digestRef,
    });
    expectClean(result);
    expect(result.log).toContain('created namespace rbac-created');
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '1' });
  });
});

interface DeniedCase {
  verb: string;
  group: string;
  resource: string;
  /** Runs the feature that needs it; resolves to the run that fails. */
  feature: 'deploy' | 'gateway' | 'canary' | 'istio-canary' | 'prune' | 'smoke-test';
  /** What the failure message starts with (after `model-deploy/<action> failed: `). */
  what: string;
}

const DENIED: DeniedCase[] = [
  {
    verb: 'patch',
    group: 'apps',
    resource: 'deployments',
    feature: 'deploy',
    what: 'applying Deployment/iris',
  },
  {
    verb: 'create',
    group: 'apps',
    resource: 'deployments',
    feature: 'deploy',
    what: 'applying Deployment/iris',
  },
  {
    verb: 'create',
    group: '',
    resource: 'serviceaccounts',
    feature: 'deploy',
    what: 'applying ServiceAccount/iris',
  },
  {
    verb: 'patch',
    group: '',
    resource: 'services',
    feature: 'deploy',
    what: 'applying Service/iris',
  },
  {
    verb: 'list',
    group: '',
    resource: 'secrets',
    feature: 'deploy',
    what: 'reading the release history of iris',
  },
  {
    verb: 'create',
    group: '',
    resource: 'secrets',
    feature: 'deploy',
    what: 'writing the release history of iris',
  },
  {
    verb: 'update',
    group: '',
    resource: 'secrets',
    feature: 'deploy',
    what: 'updating the release history of iris',
  },
  {
    verb: 'create',
    group: 'coordination.k8s.io',
    resource: 'leases',
    feature: 'deploy',
    what: 'taking the deploy lock model-deploy.iris',
  },
  {
    verb: 'list',
    group: '',
    resource: 'pods',
    feature: 'deploy',
    what: 'watching the rollout of iris',
  },
  {
    verb: 'list',
    group: 'apps',
    resource: 'replicasets',
    feature: 'deploy',
    what: 'watching the rollout of iris',
  },
  { verb: 'get', group: '', resource: 'namespaces', feature: 'deploy', what: 'reading namespace' },
  {
    verb: 'list',
    group: 'gateway.networking.k8s.io',
    resource: 'httproutes',
    feature: 'gateway',
    what: 'listing HTTPRoute objects of iris',
  },
  {
    verb: 'create',
    group: '',
    resource: 'configmaps',
    feature: 'canary',
    what: 'writing the rollout state model-deploy.iris.rollout',
  },
  {
    verb: 'create',
    group: 'networking.istio.io',
    resource: 'destinationrules',
    feature: 'istio-canary',
    what: 'applying DestinationRule/iris-canary',
  },
  {
    verb: 'create',
    group: '',
    resource: 'services/proxy',
    feature: 'canary',
    what: "the canary of iris analyses the new version through the API server's service proxy",
  },
  {
    verb: 'create',
    group: '',
    resource: 'services/proxy',
    feature: 'smoke-test',
    what: "POST /v2/models/iris/infer through the API server's service proxy",
  },

  {
    verb: 'delete',
    group: 'autoscaling',
    resource: 'horizontalpodautoscalers',
    feature: 'prune',
    what: 'pruning HorizontalPodAutoscaler/iris',
  },
  {
    verb: 'get',
    group: '',
    resource: 'services/proxy',
    feature: 'smoke-test',
    what: "GET /v2/health/ready through the API server's service proxy",
  },
];

describe('one verb taken out of the role: the failure names it and what to grant', () => {
  let index = 0;
  it.each(DENIED)(
    'without $verb on $resource ($group) → $what',
    async ({ verb, group, resource, feature, what }) => {
      const ns = `rbac-denied-${index++}`;
      const role = await roleWithout(verb, group, resource);
      const kc = await deployerKubeconfig(ns, [{ clusterRole: role }]);
      for (const service of ['iris', 'iris-canary'])
        await world.cluster.registerServiceBackend(ns, service, 80, good.url);
      const inputs = {
        ...base(kc, ns),
        ...(feature === 'gateway' || feature === 'canary' ? gateway : {}),
        ...(feature === 'istio-canary' ? { expose: 'istio', host: 'iris.example.com' } : {}),
      };
      let failure: string;
      if (feature === 'smoke-test') {
        expectClean(await runDeploy({ ...inputs, image: world.images.v1.digestRef }));
        const smoke = await runSmoke({
          cluster: `kubeconfig:${kc}`,
          service: `${ns}/iris:80`,
          protocol: 'v2',
          model: 'iris',
          request: JSON.stringify(v2.request),
          'wait-ready': '30s',
        });
        expect(smoke.ok).toBe(false);
        failure = /::error::(.*)/.exec(smoke.log)?.[1]?.replace(/%0A/g, '\n') ?? '';
      } else if (feature === 'canary' || feature === 'istio-canary' || feature === 'prune') {
        const first = await runDeploy({
          ...inputs,
          image: world.images.v1.digestRef,
          ...(feature === 'prune'
            ? { autoscaling: '{min: 2, max: 3, target-cpu: 80}', resources: '{cpu: 100m}' }
            : {}),
        });
        expectClean(first);
        const next = await runDeploy({
          ...inputs,
          image: world.images.v2.digestRef,
          ...(feature === 'prune'
            ? {}
            : { ...analysis, strategy: 'canary', 'canary-steps': '50%:1s, 100%' }),
        });
        expect(next.ok).toBe(false);
        failure = next.failure;
        if (resource === 'services/proxy') {
          // Asked before the new version ran: nothing of the canary was applied.
          expect(
            await kubectlMaybe(world.cluster.kubeconfigPath, [
              '-n',
              ns,
              'get',
              'deployment',
              'iris-canary',
            ]),
          ).toBeUndefined();
        }
      } else {
        const result = await runDeploy({ ...inputs, image: world.images.v1.digestRef });
        expect(result.ok).toBe(false);
        failure = result.failure;
      }
      const user = `system:serviceaccount:${ns}:deployer`;
      const inGroup = group === '' ? 'in the core API group' : `in API group "${group}"`;
      const action = feature === 'smoke-test' ? 'smoke-test' : 'deploy';
      expect(failure).toContain(
        `model-deploy/${action} failed: ${what}${what === 'reading namespace' ? ` ${ns}` : ''}: forbidden by the cluster: ${user} may not ${verb} ${resource} ${inGroup} in namespace ${ns}`,
      );
      expect(failure).toContain(
        `how to fix: grant verb ${verb} on ${resource} ${inGroup}: add the rule {apiGroups: ["${group}"], resources: ["${resource}"], verbs: ["${verb}"]}`,
      );
      expect(failure).toContain('docs/rbac/deployer-role.yaml');
    },
    120_000,
  );
});

describe('a refusal that does not fail the deploy', () => {
  it('without delete on leases: deployed, with a warning that names the permission and the wait it causes', async () => {
    const ns = 'rbac-lease';
    const kc = await deployerKubeconfig(ns, [
      { clusterRole: await roleWithout('delete', 'coordination.k8s.io', 'leases') },
    ]);
    const result = await runDeploy({ ...base(kc, ns), image: world.images.v1.digestRef });
    expect(result.failure).toBe('');
    expect(result.outputs.status).toBe('deployed');
    expect(result.log).toContain(
      `warning: releasing the deploy lock model-deploy.iris: forbidden by the cluster: system:serviceaccount:${ns}:deployer may not delete leases in API group "coordination.k8s.io" in namespace ${ns}`,
    );
    expect(result.log).toContain('the next deploy of iris waits until it lapses (60s)');
  });

  it('without model-deploy-gateways: deployed, url http, and a warning naming the right to grant', async () => {
    const ns = 'rbac-no-gateways';
    const kc = await deployerKubeconfig(ns, [{ clusterRole: 'model-deploy' }], false);
    const result = await runDeploy({
      ...base(kc, ns),
      ...gateway,
      image: world.images.v1.digestRef,
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({ status: 'deployed', url: 'http://iris.example.com' });
    expect(result.log).toContain(
      `warning: url says http: Gateway ${ns}/gateway could not be read to tell whether it terminates TLS (forbidden); grant get on gateways.gateway.networking.k8s.io in namespace ${ns} to the deploying identity to have it told`,
    );
  });
});
