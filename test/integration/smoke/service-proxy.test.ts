import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../actions/smoke-test/main.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { READY_AFTER } from '../../support/kube/kwok.ts';
import {
  SAMPLES,
  classify,
  startModelServer,
  type ModelServer,
} from '../../support/model-server-fixture.ts';

/**
 * The smoke test reaching an in-cluster Service through the API server's
 * service proxy of an upstream kube-apiserver (kwok pods; the model server
 * fixture is the backend behind the Service, relayed from the pod's IP),
 * authenticated from a kubeconfig exactly as deploy connects.
 */
let cluster: KubeCluster;
let server: ModelServer;
let env: ActionEnv | undefined;

async function deployIris(namespace: string, readyAfter: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const core1 = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  await core1.createNamespace({ body: { metadata: { name: namespace } } });
  const labels = { app: 'iris' };
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'iris', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { [READY_AFTER]: readyAfter } },
          spec: {
            containers: [
              {
                name: 'server',
                image: 'registry.local/models/iris:1',
                ports: [{ name: 'http', containerPort: 8000 }],
              },
            ],
          },
        },
      },
    },
  });
  await core1.createNamespacedService({
    namespace,
    body: {
      metadata: { name: 'iris' },
      spec: { selector: labels, ports: [{ name: 'http', port: 8000, targetPort: 'http' }] },
    },
  });
}

beforeAll(async () => {
  cluster = await startCluster({ pods: 'simulated' });
  server = await startModelServer({ protocol: 'v2' });
});
afterAll(async () => {
  await server?.stop();
  await cluster?.stop();
});
afterEach(() => {
  env?.restore();
  env = undefined;
  vi.restoreAllMocks();
});

async function runWith(
  inputs: Record<string, string>,
  onLine?: (chunk: string) => void,
): Promise<{ ok: boolean; log: string }> {
  env = withActionEnv(inputs);
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    onLine?.(String(chunk));
    return true;
  });
  const ok = await run();
  vi.restoreAllMocks();
  return { ok, log: chunks.join('') };
}

describe('smoke-test through the API server service proxy', () => {
  it('waits for the rollout, then checks the model behind the Service', async () => {
    // The pod stays unready until the smoke test has seen it so (its first
    // probe answered 503); only then is it let become ready. An event, not a
    // delay: a busy machine cannot make the first probe come too late.
    await deployIris('models', 'never');
    await cluster.registerServiceBackend('models', 'iris', 8000, server.url);
    let released: Promise<string> | undefined;
    const release = () =>
      cluster.kubectl([
        '-n',
        'models',
        'annotate',
        'pods',
        '-l',
        'app=iris',
        '--overwrite',
        `${READY_AFTER}=0s`,
      ]);
    const { ok, log } = await runWith(
      {
        service: 'models/iris:8000',
        cluster: `kubeconfig:${cluster.kubeconfigPath}`,
        model: 'iris',
        'model-version': '1',
        request: JSON.stringify({
          inputs: [
            { name: 'input', shape: [1, 4], datatype: 'FP32', data: [...SAMPLES.virginica] },
          ],
        }),
        expect: JSON.stringify({ outputs: { probabilities: classify(SAMPLES.virginica) } }),
        requests: '20',
        'wait-ready': '5m',
      },
      (line) => {
        if (released === undefined && /not ready yet \(probe 1: /.test(line)) released = release();
      },
    );
    expect(released, 'the first probe found the pod unready').toBeDefined();
    await released;
    expect(log).not.toContain('::error::');
    expect(ok).toBe(true);
    // The pod was not ready at first: the proxy answered 503 until it was.
    expect(log).toMatch(/not ready yet \(probe 1: GET \/v2\/health\/ready answered 503\)/);
    expect(log).toContain('Smoke test service models/iris:8000 via kubeconfig:');
    // The cluster's bearer token authenticated the proxy and was masked.
    expect(log).toContain(`::add-mask::${cluster.token}`);
    expect(env!.outputs().passed).toBe('true');
    expect(server.inferences()).toBeGreaterThanOrEqual(21);
  });

  it('names the service when it does not exist', async () => {
    const { ok, log } = await runWith({
      service: 'models/missing:8000',
      cluster: `kubeconfig:${cluster.kubeconfigPath}`,
      model: 'iris',
      'wait-ready': '1s',
    });
    expect(ok).toBe(false);
    expect(log).toMatch(
      /not ready within wait-ready: not ready after 1s \(\d+ probes\); last answer: GET \/v2\/health\/ready answered 404/,
    );
  });

  it('rejects a malformed service reference', async () => {
    const { ok, log } = await runWith({ service: 'models/iris', model: 'iris' });
    expect(ok).toBe(false);
    expect(log).toContain(
      "input 'service' must be <namespace>/<name>:<port>, not 'models/iris' (for example: models/resnet50:8000)",
    );
  });
});
