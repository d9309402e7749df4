import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { kubectlJson, kubectlRaw, runDeploy } from '../../support/deploy-fixture.ts';

/** Real pods: a kubelet runs every container (containerd, runc), so the crash is a real process exiting. */
let registry: LocalRegistry;
let cluster: KubeCluster;
let good: PushedImage;
let crashing: PushedImage;

beforeAll(async () => {
  registry = await startRegistry();
  good = await pushBusyboxImage(registry, 'models/server', 'good', {
    cmd: [
      'sh',
      '-c',
      'mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www',
    ],
    exposedPorts: ['8080/tcp'],
  });
  crashing = await pushBusyboxImage(registry, 'models/server', 'crashing', {
    cmd: [
      'sh',
      '-c',
      'echo "loading model: /models/resnet50/1/model.onnx: no such file" >&2; exit 3',
    ],
    exposedPorts: ['8080/tcp'],
  });
  cluster = await startCluster({ pods: 'real', registryHosts: [registry.host] });
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await registry?.stop();
});

describe('a crashing model server (real pods)', () => {
  it('fails with CrashLoopBackOff, its exit code and log, and the previous revision keeps serving', async () => {
    const inputs = {
      cluster: `kubeconfig:${cluster.kubeconfigPath}`,
      namespace: 'real',
      name: 'server',
      runtime: 'custom',
      'health-path': '/',
      timeout: '90s',
    };
    const first = await runDeploy({ ...inputs, image: good.digestRef });
    expect(first.failure).toBe('');
    expect(first.outputs).toMatchObject({ status: 'deployed', revision: '1' });

    const result = await runDeploy({ ...inputs, image: crashing.digestRef });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain('rollout of server failed: CrashLoopBackOff');
    expect(result.failure).toContain('revision 1 was restored and is serving');
    expect(result.summary).toContain('exit code 3');
    expect(result.summary).toContain('model.onnx: no such file');
    expect(result.outputs).toMatchObject({ status: 'rolled-back', revision: '1' });

    const deployment = await kubectlJson(cluster.kubeconfigPath, [
      '-n',
      'real',
      'get',
      'deployment',
      'server',
    ]);
    expect(deployment.spec.template.spec.containers[0].image).toBe(good.digestRef);
    expect(deployment.status.availableReplicas).toBe(1);
    // The restored server answers through the API server's service proxy.
    expect(
      (
        await kubectlRaw(
          cluster.kubeconfigPath,
          '/api/v1/namespaces/real/services/server:80/proxy/',
        )
      ).trim(),
    ).toBe('ok');
  });
});
