import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../../shared/clouds/cluster-access.ts';
import { silentLogger } from '../../../../shared/common/logger.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { KubeClient } from '../../../../shared/kube/client.ts';
import type { KubeObject } from '../../../../shared/kube/objects.ts';
import {
  objectRefs,
  ROLLOUT_LABEL,
  rolloutStateName,
  RolloutStateStore,
  type RolloutState,
} from '../../../../shared/kube/strategies/rollout-state.ts';
import { startCluster, type KubeCluster } from '../../../support/kube/cluster.ts';

const state: Omit<RolloutState, 'updated'> = {
  strategy: 'canary',
  router: 'gateway',
  hash: 'h2',
  image: 'reg/iris:2',
  step: 1,
  weight: 50,
  phase: 'progressing',
  holder: 'org/repo run 7',
  objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris-canary' }],
};

describe('the rollout state’s name and object references', () => {
  it('names the ConfigMap after the release', () => {
    expect(rolloutStateName('iris')).toBe('model-deploy.iris.rollout');
  });

  it('keeps only the apiVersion, kind and name of each added object', () => {
    const objects: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'iris-canary', namespace: 'models', labels: { a: 'b' } },
        spec: { ports: [] },
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris-canary' } },
    ];
    expect(objectRefs(objects)).toEqual([
      { apiVersion: 'v1', kind: 'Service', name: 'iris-canary' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'iris-canary' },
    ]);
    expect(objectRefs([])).toEqual([]);
  });
});

describe('the rollout state in the cluster', () => {
  let cluster: KubeCluster;
  let client: KubeClient;
  const configMap = (ns: string, name = rolloutStateName('iris')) =>
    cluster.kubectlJson(['-n', ns, 'get', 'configmap', name, '-o', 'json']);
  beforeAll(async () => {
    cluster = await startCluster();
    client = new KubeClient(
      await connectCluster(parseClusterSpec(`kubeconfig:${cluster.kubeconfigPath}`), {
        logger: silentLogger,
      }),
    );
    for (const ns of ['rs', 'rs-bad', 'rs-rbac'])
      await cluster.kubectl(['create', 'namespace', ns]);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('reads nothing before a rollout wrote its state, and clearing nothing is no error', async () => {
    const store = new RolloutStateStore(client, 'rs', 'absent');
    expect(await store.read()).toBeUndefined();
    await store.clear();
  });

  it('writes the state in a ConfigMap of its own label, reads it back, replaces it and clears it', async () => {
    const store = new RolloutStateStore(client, 'rs', 'iris');
    const before = Date.now();
    await store.write(state);
    const first = await store.read();
    expect(first).toEqual({ ...state, updated: expect.any(String) });
    expect(Date.parse(first!.updated)).toBeGreaterThanOrEqual(before - 1000);

    const map = await configMap('rs');
    expect(map.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'model-deploy',
      [ROLLOUT_LABEL]: 'iris',
    });
    // Not the release label: prune of the release must not see it.
    expect(map.metadata.labels['model-deploy.io/release']).toBeUndefined();

    await store.write({ ...state, step: 2, weight: 100, phase: 'promoting' });
    expect(await store.read()).toMatchObject({ step: 2, weight: 100, phase: 'promoting' });

    await store.clear();
    expect(await store.read()).toBeUndefined();
    await expect(configMap('rs')).rejects.toThrow(/NotFound|not found/);
  });

  it('keeps each release’s state apart', async () => {
    const a = new RolloutStateStore(client, 'rs', 'a');
    const b = new RolloutStateStore(client, 'rs', 'b');
    await a.write({ ...state, image: 'reg/a:2' });
    await b.write({ ...state, image: 'reg/b:2' });
    expect((await a.read())?.image).toBe('reg/a:2');
    expect((await b.read())?.image).toBe('reg/b:2');
    await a.clear();
    expect(await a.read()).toBeUndefined();
    expect((await b.read())?.image).toBe('reg/b:2');
  });

  it('reads a ConfigMap without state, or with state that is not JSON, as no state', async () => {
    const store = new RolloutStateStore(client, 'rs-bad', 'iris');
    await cluster.kubectl([
      '-n',
      'rs-bad',
      'create',
      'configmap',
      rolloutStateName('iris'),
      '--from-literal=other=1',
    ]);
    expect(await store.read()).toBeUndefined();
    await cluster.kubectl(['-n', 'rs-bad', 'delete', 'configmap', rolloutStateName('iris')]);
    await cluster.kubectl([
      '-n',
      'rs-bad',
      'create',
      'configmap',
      rolloutStateName('iris'),
      '--from-literal=state={"strategy": "canary", ',
    ]);
    expect(await store.read()).toBeUndefined();
    // A write over the broken one repairs it.
    await store.write(state);
    expect((await store.read())?.hash).toBe('h2');
  });

  it('says what it was doing when the cluster refuses it', async () => {
    // Allowed to read ConfigMaps in its namespace, not to write or delete them.
    const { path } = await cluster.serviceAccountKubeconfig({
      namespace: 'rs-rbac',
      name: 'reader',
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    });
    const limited = new KubeClient(
      await connectCluster(parseClusterSpec(`kubeconfig:${path}`), { logger: silentLogger }),
    );
    const store = new RolloutStateStore(limited, 'rs-rbac', 'iris');
    expect(await store.read()).toBeUndefined();
    const write = await store.write(state).catch((e: unknown) => e);
    expect(write).toBeInstanceOf(UserError);
    expect((write as Error).message).toMatch(
      /^writing the rollout state model-deploy\.iris\.rollout: forbidden by the cluster/,
    );
    await new RolloutStateStore(client, 'rs-rbac', 'iris').write(state);
    await expect(store.clear()).rejects.toThrow(
      /^removing the rollout state model-deploy\.iris\.rollout: forbidden by the cluster/,
    );
    // Reading in another namespace is not allowed either.
    await expect(new RolloutStateStore(limited, 'rs', 'iris').read()).rejects.toThrow(
      /^reading the rollout state model-deploy\.iris\.rollout: forbidden by the cluster/,
    );
  });

  it('fails to write into a namespace that does not exist, saying so', async () => {
    await expect(new RolloutStateStore(client, 'no-such-ns', 'iris').write(state)).rejects.toThrow(
      /^writing the rollout state model-deploy\.iris\.rollout: HTTP 404 from .*: namespaces "no-such-ns" not found/,
    );
  });
});
