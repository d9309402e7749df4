import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlJson,
  kubectlMaybe,
  runDeploy,
  startWorld,
  type DeployWorld,
} from '../../support/deploy-fixture.ts';

let world: DeployWorld;
beforeAll(async () => {
  world = await startWorld();
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

const base = () => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace: 'models',
  name: 'echo',
  runtime: 'custom',
  'health-path': '/',
  timeout: '60s',
});

describe('deploy to the cluster', () => {
  it('first deploy creates revision 1 with every object labelled and recorded', async () => {
    const result = await runDeploy({
      ...base(),
      image: world.images.v1.digestRef,
      resources: '{cpu: 100m, memory: 64Mi}',
    });
    expect(result.failure).toBe('');
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({
      status: 'deployed',
      revision: '1',
      'previous-revision': '',
    });
    expect(result.outputs.url).toBe('http://echo.models.svc.cluster.local');
    const kc = world.cluster.kubeconfigPath;
    const deployment = await kubectlJson(kc, [
      '-n',
      'models',
      'get',
      'deployment',
      'echo',
      '--show-managed-fields',
    ]);
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'model-deploy',
      'model-deploy.io/release': 'echo',
    });
    expect(deployment.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(deployment.status.availableReplicas).toBe(1);
    expect(
      deployment.metadata.managedFields.some(
        (f: { manager: string; operation: string }) =>
          f.manager === 'model-deploy' && f.operation === 'Apply',
      ),
    ).toBe(true);
    const service = await kubectlJson(kc, ['-n', 'models', 'get', 'service', 'echo']);
    expect(service.metadata.labels['model-deploy.io/release']).toBe('echo');
    const history = await kubectlJson(kc, [
      '-n',
      'models',
      'get',
      'secrets',
      '-l',
      'model-deploy.io/history-of=echo',
    ]);
    expect(history.items).toHaveLength(1);
    expect(history.items[0].metadata.annotations).toMatchObject({
      'model-deploy.io/result': 'deployed',
      'model-deploy.io/image-digest': world.images.v1.digest,
    });
    expect(result.summary).toContain('| revision | 1 |');
    expect(result.summary).toContain('| namespace | models |');
    expect(result.summary).toContain('rollout time');
  });
});

/** A removed (-) or added (+) line of the unified diff, at any YAML indentation. */
const diffLine = (sign: '-' | '+', text: string) =>
  new RegExp(`^\\${sign}[ -]*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');

describe('updates, no-ops, prune, dry-run and rollback-to', () => {
  const kc = () => world.cluster.kubeconfigPath;
  const history = async () =>
    (
      await kubectlJson(kc(), [
        '-n',
        'models',
        'get',
        'secrets',
        '-l',
        'model-deploy.io/history-of=echo',
      ])
    ).items as Array<{
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    }>;
  const resultOf = async (revision: number) =>
    (await history()).find(
      (s) => s.metadata.labels['model-deploy.io/revision'] === String(revision),
    )?.metadata.annotations['model-deploy.io/result'];
  const image = async () =>
    (await kubectlJson(kc(), ['-n', 'models', 'get', 'deployment', 'echo'])).spec.template.spec
      .containers[0].image as string;

  it('an update makes revision 2 and supersedes revision 1', async () => {
    const result = await runDeploy({
      ...base(),
      image: world.images.v2.digestRef,
      resources: '{cpu: 100m, memory: 64Mi}',
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      status: 'deployed',
      revision: '2',
      'previous-revision': '1',
    });
    expect(await image()).toBe(world.images.v2.digestRef);
    expect(await resultOf(1)).toBe('superseded');
    expect(await resultOf(2)).toBe('deployed');
  });

  it('an unchanged re-deploy applies nothing and makes no revision', async () => {
    const before = await kubectlJson(kc(), ['-n', 'models', 'get', 'deployment', 'echo']);
    const result = await runDeploy({
      ...base(),
      image: world.images.v2.digestRef,
      resources: '{cpu: 100m, memory: 64Mi}',
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      status: 'unchanged',
      revision: '2',
      'previous-revision': '2',
    });
    const after = await kubectlJson(kc(), ['-n', 'models', 'get', 'deployment', 'echo']);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(await history()).toHaveLength(2);
    expect(result.log).toContain('unchanged since revision 2');
  });

  it('prunes objects the new render no longer has', async () => {
    const scaled = await runDeploy({
      ...base(),
      image: world.images.v2.digestRef,
      resources: '{cpu: 100m, memory: 64Mi}',
      autoscaling: '{min: 2, max: 3, target-cpu: 80}',
    });
    expect(scaled.failure).toBe('');
    expect(scaled.outputs.revision).toBe('3');
    expect(await kubectlMaybe(kc(), ['-n', 'models', 'get', 'hpa', 'echo'])).toMatchObject({
      spec: { minReplicas: 2, maxReplicas: 3 },
    });
    expect(await kubectlMaybe(kc(), ['-n', 'models', 'get', 'pdb', 'echo'])).toBeDefined();
    const plain = await runDeploy({
      ...base(),
      image: world.images.v2.digestRef,
      resources: '{cpu: 100m, memory: 64Mi}',
    });
    expect(plain.failure).toBe('');
    expect(plain.outputs.revision).toBe('4');
    expect(plain.summary).toContain(
      'Pruned: HorizontalPodAutoscaler/echo, PodDisruptionBudget/echo',
    );
    expect(await kubectlMaybe(kc(), ['-n', 'models', 'get', 'hpa', 'echo'])).toBeUndefined();
    expect(await kubectlMaybe(kc(), ['-n', 'models', 'get', 'pdb', 'echo'])).toBeUndefined();
    expect(await kubectlMaybe(kc(), ['-n', 'models', 'get', 'deployment', 'echo'])).toBeDefined();
  });

  it('dry-run shows the diff and changes nothing', async () => {
    const before = await kubectlJson(kc(), ['-n', 'models', 'get', 'deployment', 'echo']);
    const result = await runDeploy({
      ...base(),
      image: world.images.v1.digestRef,
      resources: '{cpu: 100m, memory: 64Mi}',
      replicas: '2',
      'dry-run': 'true',
    });
    expect(result.failure).toBe('');
    expect(result.outputs.status).toBe('dry-run');
    expect(result.summary).toContain('| Deployment/echo | update |');
    expect(result.summary).toContain('| Service/echo | unchanged |');
    expect(result.summary).toMatch(diffLine('-', `image: ${world.images.v2.digestRef}`));
    expect(result.summary).toMatch(diffLine('+', `image: ${world.images.v1.digestRef}`));
    expect(result.summary).toMatch(/-\s+replicas: 1\n\+\s+replicas: 2/);
    const after = await kubectlJson(kc(), ['-n', 'models', 'get', 'deployment', 'echo']);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(await history()).toHaveLength(4);
  });

  it('dry-run into a namespace that does not exist yet lists everything as new and creates nothing', async () => {
    const result = await runDeploy({
      ...base(),
      namespace: 'fresh',
      image: world.images.v1.digestRef,
      'dry-run': 'true',
    });
    expect(result.failure).toBe('');
    expect(result.outputs.status).toBe('dry-run');
    expect(result.summary).toContain('| Deployment/echo | create |');
    expect(result.summary).toMatch(diffLine('+', `image: ${world.images.v1.digestRef}`));
    expect(await kubectlMaybe(kc(), ['get', 'namespace', 'fresh'])).toBeUndefined();
  });

  it('rollback-to a revision number restores exactly its manifests as a new revision', async () => {
    const result = await runDeploy({
      ...base(),
      image: world.images.v2.digestRef,
      'rollback-to': '1',
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({
      status: 'deployed',
      revision: '5',
      'previous-revision': '4',
    });
    expect(await image()).toBe(world.images.v1.digestRef);
    const restored = (await history()).find(
      (s) => s.metadata.labels['model-deploy.io/revision'] === '5',
    );
    expect(restored?.metadata.annotations['model-deploy.io/source']).toBe('rollback to 1');
  });

  it('rollback-to an image digest finds the revision that ran it, with no image input', async () => {
    const result = await runDeploy({
      ...base(),
      'rollback-to': world.images.v2.digest,
    });
    expect(result.failure).toBe('');
    expect(result.outputs).toMatchObject({ status: 'deployed', revision: '6' });
    expect(await image()).toBe(world.images.v2.digestRef);
    const unknown = await runDeploy({
      ...base(),
      image: world.images.v1.digestRef,
      'rollback-to': `sha256:${'0'.repeat(64)}`,
    });
    expect(unknown.ok).toBe(false);
    expect(unknown.failure).toContain(
      `cannot roll echo back to sha256:${'0'.repeat(64)}: no successful revision ran the image`,
    );
  });
});

describe('history limit', () => {
  it('keeps only the newest revisions, and always the serving one', async () => {
    const kc = world.cluster.kubeconfigPath;
    const result = await runDeploy({
      ...base(),
      image: world.images.v1.digestRef,
      replicas: '2',
      'history-limit': '3',
    });
    expect(result.failure).toBe('');
    expect(result.outputs.revision).toBe('7');
    const secrets = await kubectlJson(kc, [
      '-n',
      'models',
      'get',
      'secrets',
      '-l',
      'model-deploy.io/history-of=echo',
    ]);
    const revisions = secrets.items.map((s: { metadata: { labels: Record<string, string> } }) =>
      Number(s.metadata.labels['model-deploy.io/revision']),
    );
    expect(revisions.sort((a: number, b: number) => a - b)).toEqual([5, 6, 7]);
  });
});
