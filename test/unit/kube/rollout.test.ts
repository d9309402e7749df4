import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { watchRollout, type RolloutOutcome } from '../../../shared/kube/rollout.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';

/**
 * Rollouts of real Deployments: the upstream deployment and ReplicaSet
 * controllers and scheduler, with kwok pods whose annotations choose the story.
 */
let cluster: KubeCluster;
let client: KubeClient;
const ns = 'rollout';

beforeAll(async () => {
  cluster = await startCluster({ pods: 'simulated' });
  client = new KubeClient(
    await connectCluster(parseClusterSpec(`kubeconfig:${cluster.kubeconfigPath}`), {
      logger: silentLogger,
    }),
  );
  await cluster.kubectl(['create', 'namespace', ns]);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

interface DeploymentShape {
  replicas?: number;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  progressDeadlineSeconds?: number;
}

async function deploy(name: string, shape: DeploymentShape = {}): Promise<void> {
  await cluster.apply(
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        replicas: shape.replicas ?? 1,
        ...(shape.progressDeadlineSeconds
          ? { progressDeadlineSeconds: shape.progressDeadlineSeconds }
          : {}),
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name }, annotations: shape.annotations ?? {} },
          spec: {
            ...(shape.nodeSelector ? { nodeSelector: shape.nodeSelector } : {}),
            containers: [{ name: 'server', image: 'registry.local/models/iris:v1' }],
          },
        },
      },
    }),
  );
}

/** Waits (without a race: for the state itself) until `check` holds for the app's pods or deployment. */
async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean) {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (check(value)) return value;
    await delay(200);
  }
  throw new Error(`gave up waiting for ${what}`);
}

const podsOf = async (app: string) =>
  (await cluster.kubectlJson(['-n', ns, 'get', 'pods', '-l', `app=${app}`, '-o', 'json']))
    .items as Array<{
    metadata: { name: string };
    status?: {
      conditions?: Array<{ type: string; status: string; reason?: string }>;
      containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }>;
    };
  }>;

const recorder = () => {
  const info: string[] = [];
  const logger: Logger = { ...silentLogger, info: (m) => info.push(m) };
  return { logger, info };
};

const failed = (outcome: RolloutOutcome) => {
  if (outcome.ok) throw new Error(`expected a failed rollout, got: ${outcome.message}`);
  return outcome;
};

describe('watchRollout', () => {
  it('reports a rollout done when every replica is available', async () => {
    await deploy('healthy', { replicas: 2 });
    const { logger, info } = recorder();
    const outcome = await watchRollout(client, {
      namespace: ns,
      deployment: 'healthy',
      timeoutMs: 60_000,
      logger,
    });
    expect(outcome).toMatchObject({
      ok: true,
      message: '2 of 2 replicas available',
      readyReplicas: 2,
    });
    expect(info.at(-1)).toBe('rollout of healthy complete: 2 of 2 replicas available');
    // Progress lines, if any, name the deployment and the elapsed seconds.
    for (const line of info.slice(0, -1)) expect(line).toMatch(/^\[\d+s\] healthy: /);
  });

  it('fails at once on a pod that cannot recover, naming the pod and its last exit', async () => {
    await deploy('crash', { annotations: { 'stage.model-deploy.test/crash-loop': '3' } });
    const outcome = failed(
      await watchRollout(client, {
        namespace: ns,
        deployment: 'crash',
        timeoutMs: 60_000,
        hopelessAfterMs: 0,
        logger: silentLogger,
      }),
    );
    expect(outcome.reason).toBe('CrashLoopBackOff');
    expect(outcome.message).toBe('pods of crash are stuck in CrashLoopBackOff');
    const [pod] = await podsOf('crash');
    expect(outcome.diagnosis).toContain(pod?.metadata.name);
    expect(outcome.diagnosis).toContain('exit code 3');
  });

  it('gives the pods’ reason with a timeout when it waited the whole budget', async () => {
    // Already crash-looping, but not yet for long enough to call it hopeless.
    await until(
      'crash to be in CrashLoopBackOff',
      () => podsOf('crash'),
      (pods) =>
        pods.some((p) =>
          p.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff'),
        ),
    );
    const outcome = failed(
      await watchRollout(client, {
        namespace: ns,
        deployment: 'crash',
        timeoutMs: 1000,
        hopelessAfterMs: 3_600_000,
        logger: silentLogger,
      }),
    );
    // Whichever phase of the loop the pod is in when time is up (backing off, or
    // restarted after its last exit), the pods' reason is told, not a bare timeout.
    expect(outcome.reason).toMatch(/^Timeout \((CrashLoopBackOff|Error)\)$/);
    expect(outcome.diagnosis).toContain('exit code 3');
    expect(outcome.message).toBe('rollout of crash did not finish within 1s');
  });

  it('times out on pods that run but never become ready, printing progress', async () => {
    await deploy('never-ready', {
      annotations: { 'stage.model-deploy.test/ready-after': 'never' },
    });
    const { logger, info } = recorder();
    const outcome = failed(
      await watchRollout(client, {
        namespace: ns,
        deployment: 'never-ready',
        timeoutMs: 2000,
        logger,
      }),
    );
    expect(outcome.reason).toBe('Timeout');
    expect(outcome.message).toBe('rollout of never-ready did not finish within 2s');
    expect(info.length).toBeGreaterThan(0);
    expect(info[0]).toMatch(/^\[0s\] never-ready: /);
    // A line is printed only when it changes.
    expect(new Set(info.map((l) => l.replace(/^\[\d+s\] /, ''))).size).toBe(info.length);
  });

  it('explains an unschedulable pod in the diagnosis', async () => {
    await deploy('nowhere', { nodeSelector: { 'model-deploy.test/pool': 'none-such' } });
    await until(
      'nowhere to be unschedulable',
      () => podsOf('nowhere'),
      (pods) =>
        pods.some((p) =>
          p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'),
        ),
    );
    const outcome = failed(
      await watchRollout(client, {
        namespace: ns,
        deployment: 'nowhere',
        timeoutMs: 500,
        logger: silentLogger,
      }),
    );
    expect(outcome.reason).toBe('Timeout (Unschedulable)');
    expect(outcome.diagnosis).toMatch(/node\(s\) didn't match Pod's node affinity\/selector/);
  });

  it('fails on an exceeded progress deadline, unless that condition is left from before', async () => {
    await deploy('deadline', {
      progressDeadlineSeconds: 1,
      annotations: { 'stage.model-deploy.test/ready-after': 'never' },
    });
    const progressing = await until(
      'deadline to exceed its progress deadline',
      async () =>
        (
          (await cluster.kubectlJson(['-n', ns, 'get', 'deployment', 'deadline', '-o', 'json']))
            .status?.conditions as
            Array<{ type: string; reason?: string; lastUpdateTime?: string }> | undefined
        )?.find((c) => c.type === 'Progressing'),
      (c) => c?.reason === 'ProgressDeadlineExceeded',
    );
    const outcome = failed(
      await watchRollout(client, {
        namespace: ns,
        deployment: 'deadline',
        timeoutMs: 60_000,
        logger: silentLogger,
      }),
    );
    expect(outcome.reason).toBe('ProgressDeadlineExceeded');
    expect(outcome.message).toBe('deployment "deadline" exceeded its progress deadline');

    const stale = failed(
      await watchRollout(client, {
        namespace: ns,
        deployment: 'deadline',
        timeoutMs: 500,
        staleDeadline: progressing?.lastUpdateTime as string,
        logger: silentLogger,
      }),
    );
    expect(stale.reason).toBe('Timeout');
  });

  it('names the deployment and the cluster when it cannot watch', async () => {
    await expect(
      watchRollout(client, {
        namespace: ns,
        deployment: 'missing',
        timeoutMs: 1000,
        logger: silentLogger,
      }),
    ).rejects.toThrow(/^watching the rollout of missing: HTTP 404 from kubeconfig:.*not found/);
  });
});
