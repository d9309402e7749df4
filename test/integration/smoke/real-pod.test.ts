import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runPackage } from '../../../actions/package/main.ts';
import { run as runPush } from '../../../actions/push/main.ts';
import { run as runSmokeTest } from '../../../actions/smoke-test/main.ts';
import { withActionEnv, type ActionEnv } from '../../support/actions-env.ts';
import { pushBusyboxImage } from '../../support/images.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { classify, SAMPLES } from '../../support/model-server-fixture.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

/**
 * The whole way a user goes: package a model (weights + a tiny CGI server
 * computing the same linear classifier with busybox awk) onto a busybox base,
 * push it to the local registry, run it as a real pod (kubelet, containerd)
 * in an upstream Kubernetes cluster, and smoke-test it through the API server's service
 * proxy, validated against the OpenAPI document package wrote.
 */
const WEIGHTS = [
  [0.4, 1.4, -2.2, -1.0, 0.3],
  [0.5, -0.35, 0.2, -0.9, 1.8],
  [-0.9, -0.65, 1.8, 2.0, -2.1],
];

const SERVE = `set -e
mkdir -p /tmp/www/cgi-bin
cp "$MODEL_PATH/predict.sh" /tmp/www/cgi-bin/predict
busybox chmod 755 /tmp/www/cgi-bin/predict
echo ok > /tmp/www/health
exec httpd -f -p 8080 -h /tmp/www
`;

// One row of four features in, softmax of W·x + b out, the weights read from the model file.
const PREDICT = `#!/bin/sh
body=$(busybox head -c "\${CONTENT_LENGTH:-0}")
printf 'Content-Type: application/json\\r\\n\\r\\n'
# Debian's busybox awk has no math library: exp() by halving, a Taylor series, then squaring back.
busybox awk -v body="$body" -v weights="$MODEL_PATH/weights.txt" '
function expo(x,   k, term, sum, i) {
  k = 0; while (x < -0.5 || x > 0.5) { x /= 2; k++ }
  term = 1; sum = 1; for (i = 1; i < 20; i++) { term *= x / i; sum += term }
  while (k-- > 0) sum *= sum
  return sum
}
BEGIN {
  n = 0; s = body
  while (match(s, /-?[0-9]+(\\.[0-9]+)?/)) { x[n++] = substr(s, RSTART, RLENGTH) + 0; s = substr(s, RSTART + RLENGTH) }
  k = 0
  while ((getline line < weights) > 0) { split(line, w, " "); l[k] = w[5]; for (i = 1; i <= 4; i++) l[k] += w[i] * x[i - 1]; k++ }
  m = l[0]; for (i = 1; i < k; i++) if (l[i] > m) m = l[i]
  t = 0; for (i = 0; i < k; i++) { e[i] = expo(l[i] - m); t += e[i] }
  printf "{\\"probabilities\\": ["
  for (i = 0; i < k; i++) printf "%s%.9f", (i ? ", " : ""), e[i] / t
  print "]}"
}'
`;

let registry: LocalRegistry;
let cluster: KubeCluster;
let work: string;
let env: ActionEnv | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'md-smoke-real-'));
  registry = await startRegistry();
  cluster = await startCluster({ pods: 'real', registryHosts: [registry.host] });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

afterEach(() => {
  env?.restore();
  env = undefined;
  vi.restoreAllMocks();
});

async function action(
  run: () => Promise<boolean>,
  inputs: Record<string, string>,
): Promise<{ ok: boolean; log: string; outputs: Record<string, string> }> {
  env = withActionEnv(inputs, { GITHUB_WORKSPACE: work });
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  const ok = await run();
  vi.restoreAllMocks();
  const outputs = env.outputs();
  env.restore();
  env = undefined;
  return { ok, log: chunks.join(''), outputs };
}

describe('a packaged model in a real pod, smoke-tested through the service proxy', () => {
  it('packages, pushes, runs and passes; a wrong expectation fails', async () => {
    const base = await pushBusyboxImage(registry, 'base/busybox', '1');
    const model = join(work, 'iris');
    mkdirSync(model, { recursive: true });
    writeFileSync(
      join(model, 'weights.txt'),
      WEIGHTS.map((row) => row.join(' ')).join('\n') + '\n',
    );
    writeFileSync(join(model, 'predict.sh'), PREDICT);
    writeFileSync(join(model, 'serve.sh'), SERVE);

    const packaged = await action(runPackage, {
      model,
      name: 'iris',
      version: '1',
      runtime: 'custom',
      'base-image': base.ref,
      cmd: '["sh", "/models/iris/1/serve.sh"]',
      'insecure-registries': registry.host,
      output: join(work, 'layout'),
    });
    expect(packaged.log).not.toContain('::error::');
    const pushed = await action(runPush, {
      layout: packaged.outputs.layout!,
      destinations: `${registry.host}/models/iris`,
      tags: '1',
      'insecure-registries': registry.host,
    });
    expect(pushed.log).not.toContain('::error::');
    const image = `${registry.host}/models/iris@${pushed.outputs.digest}`;

    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: 'models' } } });
    const labels = { app: 'iris' };
    await apps.createNamespacedDeployment({
      namespace: 'models',
      body: {
        metadata: { name: 'iris', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'server',
                  image,
                  ports: [{ name: 'http', containerPort: 8080 }],
                  readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 1 },
                },
              ],
            },
          },
        },
      },
    });
    await core.createNamespacedService({
      namespace: 'models',
      body: {
        metadata: { name: 'iris' },
        spec: { selector: labels, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
      },
    });

    const inputs = {
      service: 'models/iris:http',
      cluster: `kubeconfig:${cluster.kubeconfigPath}`,
      protocol: 'http',
      method: 'POST',
      path: '/cgi-bin/predict',
      'ready-path': '/health',
      request: JSON.stringify({ features: [...SAMPLES.virginica] }),
      openapi: packaged.outputs.openapi!,
      requests: '20',
      concurrency: '2',
      warmup: '2',
      'wait-ready': '120s',
    };
    const good = await action(runSmokeTest, {
      ...inputs,
      expect: JSON.stringify({
        outputs: { probabilities: classify(SAMPLES.virginica) },
        'top-k': { label: 2 },
      }),
    });
    expect(good.log).not.toContain('::error::');
    expect(good.ok).toBe(true);
    expect(good.outputs.passed).toBe('true');
    expect(good.log).toMatch(/\d+ responses match the OpenAPI document/);
    expect(Number(good.outputs['p95-ms'])).toBeGreaterThan(0);

    const wrong = await action(runSmokeTest, {
      ...inputs,
      requests: '0',
      expect: JSON.stringify({ outputs: { probabilities: classify(SAMPLES.setosa) } }),
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.log).toMatch(
      /failed: service models\/iris:http via .*: wrong answer: output 'probabilities' index 0: expected 0\.6758\d+, got /,
    );
  }, 300_000);
});
