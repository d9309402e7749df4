import { execFile } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, runDeploy, startWorld, type DeployWorld } from '../../support/deploy-fixture.ts';

/**
 * Someone who can write Secrets in the namespace plants a history record for
 * the release. deploy must not apply what it holds, and says so.
 */
let world: DeployWorld;
beforeAll(async () => {
  world = await startWorld();
}, 120_000);
afterAll(async () => {
  await world?.stop();
});

async function plant(name: string, revision: number, type: string, manifests: unknown) {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type,
    metadata: {
      name,
      namespace: 'trust',
      labels: {
        'app.kubernetes.io/managed-by': 'model-deploy',
        'model-deploy.io/history-of': 'echo',
        'model-deploy.io/revision': String(revision),
      },
      annotations: {
        'model-deploy.io/result': 'superseded',
        'model-deploy.io/hash': 'sha256:0',
        'model-deploy.io/image': 'evil.example/x@sha256:' + '0'.repeat(64),
        'model-deploy.io/time': '2026-11-30T00:00:00.000Z',
        'model-deploy.io/source': 'deploy',
      },
    },
    data: {
      manifests: gzipSync(Buffer.from(JSON.stringify(manifests))).toString('base64'),
    },
  };
  const child = execFile(KUBECTL, [
    '--kubeconfig',
    world.cluster.kubeconfigPath,
    'apply',
    '-f',
    '-',
  ]);
  child.stdin?.end(JSON.stringify(secret));
  await new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl ${code}`)))),
  );
}

describe('release history Secrets written by someone else', () => {
  it('are ignored with a warning, and rollback-to one of them is refused with the reason', async () => {
    const base = {
      cluster: `kubeconfig:${world.cluster.kubeconfigPath}`,
      namespace: 'trust',
      name: 'echo',
      runtime: 'custom',
      'health-path': '/',
      timeout: '60s',
    };
    expect((await runDeploy({ ...base, image: world.images.v1.digestRef })).failure).toBe('');
    await plant('model-deploy.echo.v7', 7, 'model-deploy.io/release.v1', [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'planted-admin' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'trust' }],
      },
    ]);
    await plant('model-deploy.echo.v8', 8, 'Opaque', []);

    const restore = await runDeploy({ ...base, 'rollback-to': '7' });
    expect(restore.ok).toBe(false);
    expect(restore.failure).toContain(
      'cannot roll echo back to 7: its history Secret model-deploy.echo.v7 was refused: it holds a ClusterRoleBinding',
    );

    const next = await runDeploy({ ...base, image: world.images.v2.digestRef });
    expect(next.failure).toBe('');
    expect(next.log).toContain(
      'ignoring the release history Secret model-deploy.echo.v8: it is of type Opaque',
    );
    // The planted revisions do not count: the next revision follows the real ones.
    expect(next.outputs.revision).toBe('2');
  });
});
