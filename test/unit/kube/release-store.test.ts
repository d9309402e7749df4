import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { historySecretName, type ReleaseRecord } from '../../../shared/kube/history.ts';
import { RELEASE_LABEL, type KubeObject } from '../../../shared/kube/objects.ts';
import { ReleaseStore } from '../../../shared/kube/release-store.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';

/** Release history kept in real Secrets of a real API server. */
let cluster: KubeCluster;
let admin: KubeClient;
/** May list and read Secrets in the namespace, and nothing more. */
let reader: KubeClient;
/** May do nothing with Secrets. */
let stranger: KubeClient;
const ns = 'history';

const connect = async (path: string) =>
  new KubeClient(
    await connectCluster(parseClusterSpec(`kubeconfig:${path}`), { logger: silentLogger }),
  );

beforeAll(async () => {
  cluster = await startCluster({ pods: 'simulated' });
  admin = await connect(cluster.kubeconfigPath);
  await cluster.kubectl(['create', 'namespace', ns]);
  reader = await connect(
    (
      await cluster.serviceAccountKubeconfig({
        namespace: ns,
        name: 'reader',
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
      })
    ).path,
  );
  stranger = await connect(
    (
      await cluster.serviceAccountKubeconfig({
        namespace: ns,
        name: 'stranger',
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      })
    ).path,
  );
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const manifest = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { k: name },
});

const record = (
  release: string,
  revision: number,
  result: ReleaseRecord['result'],
  extra: Partial<ReleaseRecord> = {},
): ReleaseRecord => ({
  release,
  revision,
  result,
  hash: `sha256:${String(revision).repeat(64).slice(0, 64)}`,
  image: `registry.local/models/${release}@sha256:${'a'.repeat(64)}`,
  time: `2026-01-0${revision}T00:00:00.000Z`,
  source: 'deploy',
  manifests: [manifest(`${release}-v${revision}`)],
  ...extra,
});

const logs = () => {
  const lines = { debug: [] as string[], warning: [] as string[] };
  const logger: Logger = {
    ...silentLogger,
    debug: (m) => lines.debug.push(m),
    warning: (m) => lines.warning.push(m),
  };
  return { logger, lines };
};

describe('ReleaseStore', () => {
  it('lists nothing for a release never deployed', async () => {
    const store = new ReleaseStore(admin, ns, 'never');
    expect(await store.list()).toEqual([]);
    expect(store.refused).toEqual([]);
  });

  it('writes records and lists them back in revision order, relabelled for the namespace', async () => {
    const store = new ReleaseStore(admin, ns, 'iris');
    await store.write(record('iris', 2, 'deployed', { modelVersion: '7', gitSha: 'abc' }));
    await store.write(record('iris', 1, 'superseded'));
    await store.write(record('iris', 3, 'pending'));
    // Another release's history in the same namespace is not this one's.
    await new ReleaseStore(admin, ns, 'other').write(record('other', 1, 'deployed'));

    const records = await store.list();
    expect(records.map((r) => [r.revision, r.result])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
      [3, 'pending'],
    ]);
    const second = records[1] as ReleaseRecord;
    expect(second).toMatchObject({
      release: 'iris',
      modelVersion: '7',
      gitSha: 'abc',
      hash: record('iris', 2, 'deployed').hash,
      time: '2026-01-02T00:00:00.000Z',
    });
    expect(second.manifests).toHaveLength(1);
    expect(second.manifests[0]?.metadata).toMatchObject({
      name: 'iris-v2',
      namespace: ns,
      labels: { [RELEASE_LABEL]: 'iris' },
    });
    expect(
      await cluster.kubectl([
        '-n',
        ns,
        'get',
        'secret',
        historySecretName('iris', 2),
        '-o',
        'name',
      ]),
    ).toContain('model-deploy.iris.v2');
  });

  it('takes a repeated write of the same record as done, and refuses a different one at that revision', async () => {
    const store = new ReleaseStore(admin, ns, 'iris');
    await expect(store.write(record('iris', 3, 'pending'))).resolves.toBeUndefined();
    const failure = await store
      .write(record('iris', 3, 'pending', { hash: `sha256:${'f'.repeat(64)}` }))
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^writing the release history of iris: HTTP 409 from ${admin.connection.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*already exists`,
      ),
    );
  });

  it('sets the result of a revision, and names the release when the revision is missing', async () => {
    const store = new ReleaseStore(admin, ns, 'iris');
    await store.setResult(3, 'failed', 'the probe answered 500');
    const third = (await store.list()).find((r) => r.revision === 3);
    expect(third).toMatchObject({ result: 'failed', reason: 'the probe answered 500' });
    // The rest of the record is kept.
    expect(third?.hash).toBe(record('iris', 3, 'pending').hash);
    await expect(store.setResult(99, 'failed')).rejects.toThrow(
      /^updating the release history of iris: HTTP 404 from .*not found/,
    );
  });

  it('keeps listing when a history Secret is damaged or foreign, and says which and why', async () => {
    await cluster.apply(`apiVersion: v1
kind: Secret
metadata:
  name: planted
  namespace: ${ns}
  labels: {model-deploy.io/history-of: iris, model-deploy.io/revision: "7"}
type: Opaque
data: {manifests: e30=}
`);
    await cluster.apply(`apiVersion: v1
kind: Secret
metadata:
  name: model-deploy.iris.v8
  namespace: ${ns}
  labels: {model-deploy.io/history-of: iris, model-deploy.io/revision: "8"}
type: model-deploy.io/release.v1
data: {manifests: bm90IGd6aXA=}
`);
    const store = new ReleaseStore(admin, ns, 'iris');
    expect((await store.list()).map((r) => r.revision)).toEqual([1, 2, 3]);
    expect(store.refused).toEqual(
      expect.arrayContaining([
        {
          secret: 'planted',
          revision: 7,
          reason: 'it is of type Opaque, not model-deploy.io/release.v1',
        },
        {
          secret: 'model-deploy.iris.v8',
          revision: 8,
          reason: 'its manifests are not gzipped JSON',
        },
      ]),
    );
    expect(store.refused).toHaveLength(2);
    await cluster.kubectl(['-n', ns, 'delete', 'secret', 'planted', 'model-deploy.iris.v8']);
    await store.list();
    expect(store.refused).toEqual([]);
  });

  it('names what the identity may not do when it cannot read the history', async () => {
    const failure = (await new ReleaseStore(stranger, ns, 'iris')
      .list()
      .catch((err: unknown) => err)) as UserError;
    expect(failure).toBeInstanceOf(UserError);
    expect(failure.message).toBe(
      `reading the release history of iris: forbidden by the cluster: system:serviceaccount:${ns}:stranger may not list secrets in the core API group in namespace ${ns}`,
    );
    await expect(
      new ReleaseStore(reader, ns, 'iris').write(record('iris', 4, 'pending')),
    ).rejects.toThrow(
      /^writing the release history of iris: forbidden by the cluster: .* may not create secrets/,
    );
  });

  it('trims the oldest revisions beyond the limit but never the serving one', async () => {
    const store = new ReleaseStore(admin, ns, 'trim');
    await store.write(record('trim', 1, 'superseded'));
    await store.write(record('trim', 2, 'deployed'));
    await store.write(record('trim', 3, 'failed'));
    await store.write(record('trim', 4, 'rolled-back'));

    // An identity that may not delete: the history stays, with a warning per revision.
    const denied = logs();
    await new ReleaseStore(reader, ns, 'trim').trim(1, denied.logger);
    expect(denied.lines.warning).toHaveLength(2);
    expect(denied.lines.warning[0]).toMatch(/^could not remove old revision 3: /);
    expect((await store.list()).map((r) => r.revision)).toEqual([1, 2, 3, 4]);

    const { logger, lines } = logs();
    await store.trim(1, logger);
    expect((await store.list()).map((r) => r.revision)).toEqual([2, 4]);
    expect(lines.debug.sort()).toEqual([
      'removed revision 1 from the history (limit 1)',
      'removed revision 3 from the history (limit 1)',
    ]);
    expect(lines.warning).toEqual([]);
    // Within the limit: nothing to do.
    await store.trim(5, logger);
    expect((await store.list()).map((r) => r.revision)).toEqual([2, 4]);
  });
});
