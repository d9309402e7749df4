import { connectCluster, parseClusterSpec } from '../../shared/clouds/cluster-access.ts';
import type { Logger } from '../../shared/common/logger.ts';
import type { AnalysisSpec } from '../../shared/kube/strategies/analysis.ts';
import { KubeClient } from '../../shared/kube/client.ts';
import { renderServing, type ExposeMode } from '../../shared/kube/manifests.ts';
import type { KubeObject } from '../../shared/kube/objects.ts';
import { cloudProfile } from '../../shared/kube/profiles.ts';
import { runRelease } from '../../shared/kube/release.ts';
import { runtimeServing } from '../../shared/model/runtimes/serving.ts';
import type { StrategyRequest } from '../../shared/kube/strategies/index.ts';
import { parseExpectations } from '../../shared/smoke/expectations.ts';
import { startModelServer, type ModelServer } from './model-server-fixture.ts';
import { startPrometheusDouble, type PrometheusDouble } from './prometheus-double.ts';
import { CASES } from './smoke-cases.ts';
import type { CrdSet } from './kube/cluster.ts';
import { kubectlJson, startWorld, type DeployWorld, type KubeJson } from './deploy-fixture.ts';

/**
 * The strategies on an upstream control plane (test/support/kube): a
 * registry with two images, kwok pods whose Services the service proxy sends
 * to local model servers (a good one and one that answers wrongly), the
 * router CRDs a test needs, and a Prometheus API test double.
 *
 * The backends are per pod (registerServiceBackend relays a pod IP): the
 * canary's (or preview's) pods carry their own labels, so registering its
 * Service gives them their own backend, apart from the stable pods'.
 */
export interface StrategyWorld extends DeployWorld {
  good: ModelServer;
  wrong: ModelServer;
  prometheus: PrometheusDouble;
  client: KubeClient;
  kubectl(namespace: string, args: string[]): Promise<KubeJson>;
}

export async function startStrategyWorld(options: {
  pods?: 'simulated' | 'real';
  /** The routers' CRDs to install (each set costs seconds of API server work). */
  crds: CrdSet[];
}): Promise<StrategyWorld> {
  const world = await startWorld({
    ...(options.pods ? { pods: options.pods } : {}),
    crds: options.crds,
  });
  const v2 = CASES[0]!;
  const good = await startModelServer({ protocol: 'v2', model: v2.model, version: '2' });
  const wrong = await startModelServer({ protocol: 'v2', model: v2.model, mode: 'wrong-answer' });
  const prometheus = await startPrometheusDouble();
  const connection = await connectCluster(
    parseClusterSpec(`kubeconfig:${world.cluster.kubeconfigPath}`),
    { logger: quietLogger() },
  );
  return {
    ...world,
    good,
    wrong,
    prometheus,
    client: new KubeClient(connection),
    kubectl: (namespace, args) =>
      kubectlJson(world.cluster.kubeconfigPath, ['-n', namespace, ...args]),
    async stop() {
      await good.stop();
      await wrong.stop();
      await prometheus.stop();
      await world.stop();
    },
  };
}

export function quietLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (prefix: string) => (m: string) => void lines.push(`${prefix}${m}`);
  return {
    lines,
    info: keep(''),
    debug: () => {},
    warning: keep('warning: '),
    error: keep('error: '),
    secret: () => {},
  };
}

export function render(
  name: string,
  namespace: string,
  image: string,
  expose: ExposeMode,
  replicas = 2,
): KubeObject[] {
  return renderServing({
    name,
    namespace,
    image,
    runtime: {
      ...runtimeServing('custom', name),
      port: 8080,
      readinessPath: '/',
      livenessPath: '/',
    },
    replicas,
    resources: {},
    env: {},
    expose: { mode: expose, host: `${name}.example.com` },
    profile: cloudProfile('none'),
    progressDeadlineSeconds: 60,
  });
}

/** The smoke checks of the iris v2 case: readiness, metadata, one checked inference and a short load. */
export function analysis(prometheus?: AnalysisSpec['prometheus']): AnalysisSpec {
  const v2 = CASES[0]!;
  return {
    smoke: {
      protocol: 'v2',
      http: { method: 'POST', path: '/', readyPath: undefined },
      target: { model: v2.model, version: undefined },
      request: v2.request,
      expect: parseExpectations(v2.expect),
      openapi: undefined,
      requests: 10,
      concurrency: 2,
      warmup: 0,
      waitReadyMs: 20_000,
      timeoutMs: 10_000,
      slo: { p95Ms: undefined, errorRate: 0 },
    },
    ...(prometheus ? { prometheus } : {}),
  };
}

export async function deployStable(
  world: StrategyWorld,
  name: string,
  namespace: string,
  expose: ExposeMode,
  replicas = 2,
): Promise<void> {
  const outcome = await runRelease(world.client, {
    release: name,
    namespace,
    objects: render(name, namespace, world.images.v1.digestRef, expose, replicas),
    image: world.images.v1.digestRef,
    timeoutMs: 60_000,
    rollbackOnFailure: true,
    prune: true,
    dryRun: false,
    historyLimit: 10,
    holder: 'stable deploy',
    logger: quietLogger(),
    pollMs: 100,
  });
  if (outcome.status !== 'deployed') throw new Error(`stable deploy: ${outcome.status}`);
}

export function strategyRequest(
  world: StrategyWorld,
  overrides: Partial<StrategyRequest> & {
    release: string;
    namespace: string;
    expose: ExposeMode;
    replicas?: number;
  },
): StrategyRequest {
  const { expose, replicas, ...rest } = overrides;
  return {
    strategy: 'canary',
    steps: [
      { weight: 10, holdMs: 300 },
      { weight: 50, holdMs: 300 },
      { weight: 100, holdMs: 0 },
    ],
    router: expose === 'gateway' ? 'gateway' : expose === 'istio' ? 'istio' : 'replicas',
    analysis: analysis(),
    analysisIntervalMs: 200,
    scaleDownDelayMs: 500,
    objects: render(
      overrides.release,
      overrides.namespace,
      world.images.v2.digestRef,
      expose,
      replicas,
    ),
    image: world.images.v2.digestRef,
    imageDigest: world.images.v2.digest,
    timeoutMs: 60_000,
    rollbackOnFailure: true,
    prune: true,
    historyLimit: 10,
    holder: 'canary test run',
    logger: quietLogger(),
    pollMs: 100,
    hopelessAfterMs: 1500,
    ...rest,
  };
}

/** `{revision: result}` of a release's history, read with kubectl. */
export async function history(world: StrategyWorld, namespace: string, release: string) {
  const secrets = await world.kubectl(namespace, [
    'get',
    'secrets',
    '-l',
    `model-deploy.io/history-of=${release}`,
  ]);
  return Object.fromEntries(
    secrets.items.map((s: KubeJson) => [
      s.metadata.labels['model-deploy.io/revision'],
      s.metadata.annotations['model-deploy.io/result'],
    ]),
  );
}
