import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlJson,
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

const base = (name: string) => ({
  cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
  namespace: 'failures',
  name,
  runtime: 'custom',
  'health-path': '/',
  timeout: '60s',
});

const kc = () => world.cluster.kubeconfigPath;
const deployment = (name: string) =>
  kubectlJson(kc(), ['-n', 'failures', 'get', 'deployment', name]);
const results = async (name: string) =>
  Object.fromEntries(
    (
      await kubectlJson(kc(), [
        '-n',
        'failures',
        'get',
        'secrets',
        '-l',
        `model-deploy.io/history-of=${name}`,
      ])
    ).items.map(
      (s: {
        metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      }) => [
        s.metadata.labels['model-deploy.io/revision'],
        s.metadata.annotations['model-deploy.io/result'],
      ],
    ),
  );

describe('failed rollouts', () => {
  it('a missing image fails with ImagePullBackOff, the previous revision is restored and serving', async () => {
    const first = await runDeploy({ ...base('pull'), image: world.images.v1.digestRef });
    expect(first.failure).toBe('');
    const missing = `${world.registry.host}/models/echo@sha256:${'0'.repeat(64)}`;
    const result = await runDeploy({ ...base('pull'), image: missing });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/rollout of pull failed: (ImagePullBackOff|ErrImagePull)/);
    expect(result.failure).toContain('revision 1 was restored and is serving');
    expect(result.outputs).toMatchObject({
      status: 'rolled-back',
      revision: '1',
      'previous-revision': '1',
    });
    expect(result.summary).toMatch(/### Rollout failed: (ImagePullBackOff|ErrImagePull)/);
    expect(result.summary).toContain('(container model)');
    // The summary names the image serving now, and the one that failed beside it.
    expect(result.summary).toContain(`| image | ${world.images.v1.digestRef} |`);
    expect(result.summary).toContain(`| attempted image | ${missing} |`);
    expect(result.log).toMatch(/::error title=rollout of pull failed/);
    const live = await deployment('pull');
    expect(live.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(live.status.availableReplicas).toBe(1);
    expect(live.status.updatedReplicas).toBe(1);
    expect(await results('pull')).toEqual({ '1': 'deployed', '2': 'rolled-back' });
    // The failed revision does not count as the last release: the same good image is unchanged.
    const again = await runDeploy({ ...base('pull'), image: world.images.v1.digestRef });
    expect(again.outputs).toMatchObject({ status: 'unchanged', revision: '1' });
  });

  it('a rollout that never becomes ready times out and is rolled back', async () => {
    expect((await runDeploy({ ...base('slow'), image: world.images.v1.digestRef })).failure).toBe(
      '',
    );
    const result = await runDeploy({
      ...base('slow'),
      image: world.images.v2.digestRef,
      timeout: '4s',
      'pod-annotations': 'stage.model-deploy.test/ready-after=never',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/rollout of slow failed: (Timeout|ProgressDeadlineExceeded)/);
    expect(result.outputs.status).toBe('rolled-back');
    const live = await deployment('slow');
    expect(live.spec.template.spec.containers[0].image).toBe(world.images.v1.digestRef);
    expect(
      live.spec.template.metadata.annotations?.['stage.model-deploy.test/ready-after'],
    ).toBeUndefined();
  });

  it('with rollback-on-failure false the failed revision stays and the job fails', async () => {
    expect((await runDeploy({ ...base('stay'), image: world.images.v1.digestRef })).failure).toBe(
      '',
    );
    const result = await runDeploy({
      ...base('stay'),
      image: world.images.v2.digestRef,
      'rollback-on-failure': 'false',
      'pod-annotations': 'stage.model-deploy.test/crash-loop=true',
    });
    expect(result.ok).toBe(false);
    expect(result.failure).toContain('rollout of stay failed: CrashLoopBackOff');
    expect(result.outputs).toMatchObject({ status: 'failed', revision: '1' });
    expect((await deployment('stay')).spec.template.spec.containers[0].image).toBe(
      world.images.v2.digestRef,
    );
    expect(await results('stay')).toEqual({ '1': 'deployed', '2': 'failed' });
    // The cluster runs the failed revision, so deploying the serving one again is a real change.
    const again = await runDeploy({ ...base('stay'), image: world.images.v1.digestRef });
    expect(again.failure).toBe('');
    expect(again.outputs).toMatchObject({
      status: 'deployed',
      revision: '3',
      'previous-revision': '1',
    });
    expect((await deployment('stay')).spec.template.spec.containers[0].image).toBe(
      world.images.v1.digestRef,
    );
  });
});
