import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runPackage } from '../../../actions/package/main.ts';
import { run as runPush } from '../../../actions/push/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { pushBusyboxImage, type PushedImage } from '../../support/images.ts';
import { savedModelFolder } from '../../support/model-files.ts';
import {
  kubectlJson,
  restrictedNamespace,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

/**
 * The image is the contract between package and deploy: without the inputs,
 * the runtime, model name and version come from the annotations package
 * wrote, the HTTP port and health paths from its model card, so a Triton or
 * TF Serving image gets its own port and probes; an input that says
 * otherwise is refused with both values. Namespaces enforce Pod Security
 * "restricted".
 */
let world: DeployWorld;
let triton: PushedImage;
/** A TF Serving model packaged and pushed by the actions: model name `resnet`, version 3. */
let tfserving: string;
let work: string;

/** Runs an action in-process, as the runner would; returns its outputs. */
async function action(
  run: () => Promise<boolean>,
  inputs: Record<string, string>,
): Promise<Record<string, string>> {
  const env = withActionEnv(inputs, { GITHUB_WORKSPACE: work });
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await run()).toBe(true);
    return env.outputs();
  } finally {
    spy.mockRestore();
    env.restore();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'md-image-contract-'));
  world = await startWorld();
  triton = await pushBusyboxImage(world.registry, 'models/resnet', '7', {
    cmd: ['httpd', '-f', '-p', '8000', '-h', '/'],
    annotations: {
      'org.opencontainers.image.version': '7',
      'dev.model-deploy.model.name': 'resnet',
      'dev.model-deploy.runtime': 'triton',
    },
  });
  const base = await pushBusyboxImage(world.registry, 'base/busybox', '1');
  const packaged = await action(runPackage, {
    model: savedModelFolder(join(work, 'resnet')),
    name: 'resnet',
    version: '3',
    runtime: 'tfserving',
    'base-image': base.ref,
    'insecure-registries': world.registry.host,
    output: join(work, 'layout'),
  });
  const pushed = await action(runPush, {
    layout: packaged.layout!,
    destinations: `${world.registry.host}/models/tf-resnet`,
    tags: '3',
    'insecure-registries': world.registry.host,
  });
  tfserving = `${world.registry.host}/models/tf-resnet@${pushed.digest}`;
}, 180_000);
afterAll(async () => {
  await world?.stop();
  rmSync(work, { recursive: true, force: true });
});

const cluster = () => `kubeconfig:${world.cluster.kubeconfigPath}`;

async function deployIn(namespace: string, inputs: Record<string, string>) {
  await restrictedNamespace(world.cluster.kubeconfigPath, namespace);
  return runDeploy({ cluster: cluster(), namespace, timeout: '30s', ...inputs });
}

async function container(namespace: string, name: string) {
  const deployment = await kubectlJson(world.cluster.kubeconfigPath, [
    '-n',
    namespace,
    'get',
    'deployment',
    name,
  ]);
  return { deployment, container: deployment.spec.template.spec.containers[0] };
}

describe('deploy takes what the image records when the inputs do not', () => {
  it("uses the runtime and version package recorded: Triton's port and health paths", async () => {
    const result = await deployIn('from-image', { name: 'resnet', image: triton.digestRef });
    expect(result.failure).toBe('');
    expect(result.log).toContain('runtime: triton, as package recorded it in the image');
    const { deployment, container: c } = await container('from-image', 'resnet');
    expect(c.ports.map((p: { containerPort: number }) => p.containerPort)).toContain(8000);
    expect(c.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(deployment.spec.template.metadata.annotations['model-deploy.io/model-version']).toBe(
      '7',
    );
  });

  it('a packaged model: port, health paths and the served model name from its model card, whatever the release is called', async () => {
    const result = await deployIn('card', { name: 'serving', image: tfserving });
    expect(result.failure).toBe('');
    expect(result.log).toContain("port: 8501, from the image's model card");
    expect(result.log).toContain('model name: resnet, as package recorded it in the image');
    const { deployment, container: c } = await container('card', 'serving');
    expect(c.ports[0].containerPort).toBe(8501);
    // TF Serving reports per model: the probe asks for the model the image serves, not the release.
    expect(c.readinessProbe.httpGet.path).toBe('/v1/models/resnet');
    expect(c.livenessProbe.httpGet.path).toBe('/v1/models/resnet');
    expect(deployment.spec.template.metadata.annotations['model-deploy.io/model-version']).toBe(
      '3',
    );
  });

  it.each([
    [
      'runtime',
      { runtime: 'custom' },
      "input 'runtime' is 'custom', but",
      'says it was packaged for tfserving',
    ],
    ['port', { port: '9000' }, "input 'port' is '9000', but", 'answers HTTP on port 8501'],
    [
      'health-path',
      { 'health-path': '/healthz' },
      "input 'health-path' is '/healthz', but",
      'reports ready at /v1/models/resnet',
    ],
    [
      'model',
      { model: 'resnet50' },
      "input 'model' is 'resnet50', but",
      "serves the model 'resnet'",
    ],
    [
      'model-version',
      { 'model-version': '4' },
      "input 'model-version' is '4', but",
      "holds version '3' of the model",
    ],
  ])(
    'an input %s that contradicts the image is refused with both values, before anything is applied',
    async (input, given, first, second) => {
      const namespace = `contradicts-${input}`;
      const result = await deployIn(namespace, { name: 'serving', image: tfserving, ...given });
      expect(result.ok).toBe(false);
      expect(result.failure).toContain(first);
      expect(result.failure).toContain(second);
      expect(
        (await kubectlJson(world.cluster.kubeconfigPath, ['-n', namespace, 'get', 'deployments']))
          .items,
      ).toEqual([]);
    },
  );

  it('an image package did not build runs as custom, and says so', async () => {
    const result = await deployIn('plain', {
      name: 'echo',
      image: world.images.v1.digestRef,
      'health-path': '/',
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
    expect(result.failure).toContain(`could not read ${missing} from its registry`);
    expect(result.failure).toContain('the registry has no manifest');
    expect(result.outputs.status).toBe('failed');
    const namespaces = await kubectlJson(world.cluster.kubeconfigPath, ['get', 'namespaces']);
    expect(
      namespaces.items.map((n: { metadata: { name: string } }) => n.metadata.name),
    ).not.toContain('missing');
  });
});
