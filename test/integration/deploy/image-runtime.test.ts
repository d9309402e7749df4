import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { kubectlJson, runDeploy, startWorld, type DeployWorld } from './fixture.ts';

/**
 * deploy without a runtime input: the runtime (and the model version) come
 * from the annotations package wrote into the image, so a Triton image gets
 * Triton's port and probes instead of the custom runtime's.
 */
let world: DeployWorld;
let triton: PushedImage;
beforeAll(async () => {
  world = await startWorld();
  triton = await pushBusyboxImage(world.registry, 'models/resnet', '7', {
    cmd: ['httpd', '-f', '-p', '8000', '-h', '/'],
    annotations: {
      'org.opencontainers.image.version': '7',
      'dev.model-deploy.model.name': 'resnet',
      'dev.model-deploy.runtime': 'triton',
    },
  });
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const cluster = () => `kubeconfig:${world.cluster.kubeconfigPath}`;

describe('deploy takes what the image records when the inputs do not', () => {
  it("uses the runtime and version package recorded: Triton's port and health paths", async () => {
    const result = await runDeploy({
      cluster: cluster(),
      namespace: 'from-image',
      name: 'resnet',
      image: triton.digestRef,
      timeout: '60s',
    });
    expect(result.failure).toBe('');
    expect(result.log).toContain('runtime: triton, as package recorded it in the image');
    const deployment = await kubectlJson(world.cluster.kubeconfigPath, [
      '-n',
      'from-image',
      'get',
      'deployment',
      'resnet',
    ]);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports.map((p: { containerPort: number }) => p.containerPort)).toContain(8000);
    expect(container.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(deployment.spec.template.metadata.annotations['model-deploy.io/model-version']).toBe(
      '7',
    );
  });

  it('an input runtime wins over the image, and the image is not read for it', async () => {
    const result = await runDeploy({
      cluster: cluster(),
      namespace: 'given',
      name: 'resnet',
      image: triton.digestRef,
      runtime: 'custom',
      'health-path': '/',
      timeout: '60s',
    });
    expect(result.failure).toBe('');
    expect(result.log).not.toContain('as package recorded it');
    const deployment = await kubectlJson(world.cluster.kubeconfigPath, [
      '-n',
      'given',
      'get',
      'deployment',
      'resnet',
    ]);
    expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(8080);
  });

  it('an image package did not build runs as custom, and says so', async () => {
    const result = await runDeploy({
      cluster: cluster(),
      namespace: 'plain',
      name: 'echo',
      image: world.images.v1.digestRef,
      'health-path': '/',
      timeout: '60s',
    });
    expect(result.failure).toBe('');
    expect(result.log).toContain('runtime: custom (the image has no runtime recorded');
  });

  it('an image its registry does not have fails before anything is applied, naming the image', async () => {
    const missing = `${world.registry.host}/models/resnet@sha256:${'0'.repeat(64)}`;
    const result = await runDeploy({
      cluster: cluster(),
      namespace: 'missing',
      name: 'resnet',
      image: missing,
      timeout: '60s',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(`could not read the runtime of ${missing}`);
    expect(result.failure).toContain('the registry has no manifest');
    expect(result.outputs.status).toBe('failed');
    const namespaces = await kubectlJson(world.cluster.kubeconfigPath, ['get', 'namespaces']);
    expect(
      namespaces.items.map((n: { metadata: { name: string } }) => n.metadata.name),
    ).not.toContain('missing');
  });
});
