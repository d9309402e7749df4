import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCluster, type LocalCluster } from '../../support/kube-cluster/index.ts';
import { appYaml, kubectl, kubectlOk } from './kubectl.ts';

/** The real kubectl against the test double: what deploy and the demo do with it. */
let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

describe('kubectl against the test double cluster', () => {
  it('rejects a wrong token with 401 Unauthorized', async () => {
    const bad = `${cluster.kubeconfigPath}.bad`;
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(
      bad,
      readFileSync(cluster.kubeconfigPath, 'utf8').replace(cluster.token, 'not-the-token'),
      { mode: 0o600 },
    );
    const result = await kubectl({ ...cluster, kubeconfigPath: bad }, ['get', 'pods']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it('discovers resources with their short names', async () => {
    const resources = await kubectlOk(cluster, ['api-resources', '--no-headers']);
    for (const line of [
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m,
      /^services\s+svc\s+v1\s+true\s+Service/m,
      /^pods\s+po\s+v1\s+true\s+Pod/m,
      /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease/m,
      /^virtualservices\s+vs\s+networking\.istio\.io\/v1\s+true/m,
    ]) {
      expect(resources).toMatch(line);
    }
    expect(await kubectlOk(cluster, ['version', '-o', 'json'])).toContain('"serverVersion"');
  });

  it('applies server-side, rolls out, shows history, undoes and deletes', async () => {
    const applied = await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({ name: 'web', image: 'busybox:1.36' }),
    );
    expect(applied).toContain('deployment.apps/web serverside-applied');
    expect(applied).toContain('service/web serverside-applied');

    const status = await kubectl(cluster, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    expect(status.code).toBe(0);

    const live = parse(
      await kubectlOk(cluster, ['get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields']),
    );
    expect(live.metadata.generation).toBe(1);
    expect(live.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(live.metadata.managedFields[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
    });
    expect(live.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(live.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
        }),
        expect.objectContaining({
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
        }),
      ]),
    );
    const endpoints = JSON.parse(
      await kubectlOk(cluster, ['get', 'endpoints', 'web', '-o', 'json']),
    );
    expect(endpoints.subsets[0].addresses).toHaveLength(2);
    expect(endpoints.subsets[0].ports[0]).toMatchObject({ name: 'http', port: 8080 });

    await kubectlOk(cluster, ['set', 'image', 'deployment/web', 'app=busybox:1.37']);
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const history = await kubectlOk(cluster, ['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    const pods = JSON.parse(
      await kubectlOk(cluster, ['get', 'pods', '-l', 'app=web', '-o', 'json']),
    );
    expect(pods.items).toHaveLength(2);
    expect(
      pods.items.every(
        (p: { spec: { containers: Array<{ image: string }> } }) =>
          p.spec.containers[0]!.image === 'busybox:1.37',
      ),
    ).toBe(true);

    const undo = await kubectlOk(cluster, ['rollout', 'undo', 'deployment/web']);
    expect(undo).toContain('rolled back');
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const image = await kubectlOk(cluster, [
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image).toBe('busybox:1.36');
    const replicaSets = JSON.parse(
      await kubectlOk(cluster, ['get', 'rs', '-l', 'app=web', '-o', 'json']),
    );
    // The rollback reuses revision 1's ReplicaSet, which becomes revision 3.
    expect(replicaSets.items).toHaveLength(2);
    const revisions = replicaSets.items
      .map(
        (rs: { metadata: { annotations: Record<string, string> } }) =>
          rs.metadata.annotations['deployment.kubernetes.io/revision'],
      )
      .sort();
    expect(revisions).toEqual(['2', '3']);

    await kubectlOk(cluster, ['rollout', 'restart', 'deployment/web']);
    await kubectlOk(cluster, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const restarted = JSON.parse(await kubectlOk(cluster, ['get', 'deploy', 'web', '-o', 'json']));
    expect(
      restarted.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
    ).toBeTruthy();

    const deleted = await kubectlOk(cluster, [
      'delete',
      'deployment/web',
      'service/web',
      '--wait=true',
    ]);
    expect(deleted).toContain('deployment.apps "web" deleted');
    const left = await kubectlOk(cluster, ['get', 'rs,pods', '-l', 'app=web', '-o', 'name']);
    expect(left.trim()).toBe('');
    const gone = await kubectl(cluster, ['get', 'deployment', 'web']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('deployments.apps "web" not found');
  });

  it('fails rollout status with the reason when the progress deadline passes', async () => {
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '-f', '-'],
      appYaml({
        name: 'stuck',
        image: 'busybox:1.36',
        progressDeadlineSeconds: 2,
        annotations: { 'test-double.model-deploy/ready-after': 'never' },
      }),
    );
    const status = await kubectl(cluster, [
      'rollout',
      'status',
      'deployment/stuck',
      '--timeout=40s',
    ]);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('deployment "stuck" exceeded its progress deadline');
    const live = JSON.parse(await kubectlOk(cluster, ['get', 'deploy', 'stuck', '-o', 'json']));
    expect(live.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
        }),
      ]),
    );
  });

  it('reports a field-ownership conflict between two server-side appliers, then forces it', async () => {
    const cm = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned}\ndata: {key: ${value}}\n`;
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '--field-manager=first', '-f', '-'],
      cm('a'),
    );
    const clash = await kubectl(
      cluster,
      ['apply', '--server-side', '--field-manager=second', '-f', '-'],
      cm('b'),
    );
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('conflict with "first": .data.key');
    await kubectlOk(
      cluster,
      ['apply', '--server-side', '--field-manager=second', '--force-conflicts', '-f', '-'],
      cm('b'),
    );
    const live = JSON.parse(
      await kubectlOk(cluster, ['get', 'cm', 'owned', '-o', 'json', '--show-managed-fields']),
    );
    expect(live.data.key).toBe('b');
    expect(live.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual([
      'second',
    ]);
  });

  it('rejects an invalid Deployment with a 422 naming the field', async () => {
    const doc = parse(appYaml({ name: 'bad', image: 'busybox:1.36' }).split('---')[0]!);
    doc.spec.selector.matchLabels = { app: 'other' };
    const bad = JSON.stringify(doc);
    const result = await kubectl(cluster, ['apply', '--server-side', '-f', '-'], bad);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The Deployment "bad" is invalid: spec.template.metadata.labels',
    );
  });
  it('creates namespaces, ConfigMaps and Secrets, scales, diffs and reads logs', async () => {
    expect(await kubectlOk(cluster, ['create', 'namespace', 'models'])).toContain(
      'namespace/models created',
    );
    await kubectlOk(cluster, [
      '-n',
      'models',
      'create',
      'configmap',
      'settings',
      '--from-literal=threshold=0.5',
    ]);
    await kubectlOk(cluster, [
      '-n',
      'models',
      'create',
      'secret',
      'generic',
      'token',
      '--from-literal=value=s3cret',
    ]);
    expect(
      await kubectlOk(cluster, [
        '-n',
        'models',
        'get',
        'cm',
        'settings',
        '-o',
        'jsonpath={.data.threshold}',
      ]),
    ).toBe('0.5');
    const secret = await kubectlOk(cluster, [
      '-n',
      'models',
      'get',
      'secret',
      'token',
      '-o',
      'jsonpath={.data.value}',
    ]);
    expect(Buffer.from(secret, 'base64').toString()).toBe('s3cret');

    await kubectlOk(
      cluster,
      ['-n', 'models', 'apply', '--server-side', '-f', '-'],
      appYaml({ name: 'api', image: 'busybox:1.36', replicas: 1 }),
    );
    await kubectlOk(cluster, ['-n', 'models', 'scale', 'deployment/api', '--replicas=3']);
    await kubectlOk(cluster, [
      '-n',
      'models',
      'rollout',
      'status',
      'deployment/api',
      '--timeout=30s',
    ]);
    expect(
      await kubectlOk(cluster, [
        '-n',
        'models',
        'get',
        'deploy',
        'api',
        '-o',
        'jsonpath={.status.readyReplicas}',
      ]),
    ).toBe('3');

    const diff = await kubectl(
      cluster,
      ['-n', 'models', 'diff', '--server-side', '--force-conflicts', '-f', '-'],
      appYaml({ name: 'api', image: 'busybox:1.37', replicas: 3 }),
    );
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('+      - image: busybox:1.37');
    expect(
      await kubectlOk(cluster, [
        '-n',
        'models',
        'get',
        'deploy',
        'api',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('busybox:1.36');

    const logs = await kubectl(cluster, ['-n', 'models', 'logs', 'deployment/api']);
    expect(logs.code).toBe(0);
    const described = await kubectlOk(cluster, ['-n', 'models', 'describe', 'deployment', 'api']);
    expect(described).toMatch(/ScalingReplicaSet\s+.*Scaled up replica set api-\w+ from 1 to 3/);

    await kubectlOk(cluster, ['delete', 'namespace', 'models']);
    const gone = await kubectl(cluster, ['-n', 'models', 'get', 'deploy', 'api']);
    expect(gone.code).not.toBe(0);
  });
});
