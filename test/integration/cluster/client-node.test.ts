import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LocalCluster } from '../../support/kube-cluster/index.ts';
import { waitFor } from '../../support/processes.ts';

/** @kubernetes/client-node against the test double: the library deploy and smoke-test use. */
let cluster: LocalCluster;
let kc: KubeConfig;

beforeAll(async () => {
  cluster = await startCluster();
  kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
});

afterAll(async () => {
  await cluster?.stop();
});

function deployment(name: string, image: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name, tier: 'model' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'server', image, env: [{ name: 'MODE', value: 'a' }] }] },
      },
    },
  };
}

/** The error body of a failed call: client-node puts the server's Status in `body` as JSON text. */
function statusOf(err: unknown): {
  kind: string;
  status: string;
  reason: string;
  code: number;
  message: string;
  details?: { causes?: Array<{ field: string }> };
} {
  const body = (err as { body?: unknown }).body;
  return typeof body === 'string' ? JSON.parse(body) : (body as never);
}

describe('@kubernetes/client-node against the test double cluster', () => {
  it('server-side applies, lists with selectors, patches three ways, and deletes', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const apps = kc.makeApiClient(AppsV1Api);
    await objects.patch(
      deployment('ranker', 'busybox:1'),
      undefined,
      undefined,
      'model-deploy',
      false,
      PatchStrategy.ServerSideApply,
    );
    await objects.patch(
      deployment('scorer', 'busybox:1'),
      undefined,
      undefined,
      'model-deploy',
      false,
      PatchStrategy.ServerSideApply,
    );

    const setBased = await apps.listNamespacedDeployment({
      namespace: 'default',
      labelSelector: 'app in (ranker, other),tier',
    });
    expect(setBased.items.map((d) => d.metadata?.name)).toEqual(['ranker']);
    const notIn = await apps.listNamespacedDeployment({
      namespace: 'default',
      labelSelector: 'app notin (ranker),!missing',
    });
    expect(notIn.items.map((d) => d.metadata?.name)).toEqual(['scorer']);
    const byField = await apps.listDeploymentForAllNamespaces({
      fieldSelector: 'metadata.name=scorer,metadata.namespace=default',
    });
    expect(byField.items.map((d) => d.metadata?.name)).toEqual(['scorer']);

    const merged = await apps.patchNamespacedDeployment(
      { name: 'ranker', namespace: 'default', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.spec?.replicas).toBe(3);
    expect(merged.metadata?.generation).toBe(2);

    const strategic = await apps.patchNamespacedDeployment(
      {
        name: 'ranker',
        namespace: 'default',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'server', env: [{ name: 'EXTRA', value: 'b' }] }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const container = strategic.spec?.template.spec?.containers[0];
    // Merged by name: the image stays, env entries merge by name.
    expect(container?.image).toBe('busybox:1');
    expect(container?.env?.map((e) => e.name)).toEqual(['MODE', 'EXTRA']);

    const jsonPatched = await apps.patchNamespacedDeployment(
      {
        name: 'ranker',
        namespace: 'default',
        body: [
          { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'busybox:2' },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.spec?.template.spec?.containers[0]?.image).toBe('busybox:2');
    const metadataOnly = await apps.patchNamespacedDeployment(
      { name: 'ranker', namespace: 'default', body: { metadata: { annotations: { note: 'x' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(metadataOnly.metadata?.generation).toBe(jsonPatched.metadata?.generation);

    // The updater took .spec.replicas from the applier, so a re-apply of the old value conflicts.
    const conflict = await objects
      .patch(
        deployment('ranker', 'busybox:1'),
        undefined,
        undefined,
        'model-deploy',
        false,
        PatchStrategy.ServerSideApply,
      )
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    const status = statusOf(conflict);
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
    });
    expect(status.message).toMatch(/^Apply failed with \d+ conflicts?: /);
    expect(status.message).toContain('using apps/v1');
    const forced = await objects.patch(
      deployment('ranker', 'busybox:1'),
      undefined,
      undefined,
      'model-deploy',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((forced as V1Deployment).spec?.replicas).toBe(1);

    await apps.deleteNamespacedDeployment({ name: 'ranker', namespace: 'default' });
    const missing = await apps
      .readNamespacedDeployment({ name: 'ranker', namespace: 'default' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(statusOf(missing)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'deployments.apps "ranker" not found',
    });
  });

  it('answers 409 AlreadyExists and 422 Invalid with real Status shapes', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const cm: V1ConfigMap = { metadata: { name: 'settings' }, data: { a: '1' } };
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm });
    const again = await core.createNamespacedConfigMap({ namespace: 'default', body: cm }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(again)).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
      message: 'configmaps "settings" already exists',
    });
    const invalid = await core
      .createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'Not_Valid' } },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const status = statusOf(invalid);
    expect(status).toMatchObject({ reason: 'Invalid', code: 422 });
    expect(status.details?.causes?.[0]?.field).toBe('metadata.name');
    const stale = await core
      .replaceNamespacedConfigMap({
        name: 'settings',
        namespace: 'default',
        body: { metadata: { name: 'settings', resourceVersion: '1' }, data: { a: '2' } },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(statusOf(stale)).toMatchObject({ reason: 'Conflict', code: 409 });
    expect(statusOf(stale).message).toContain('the object has been modified');
  });

  it('watches from a resourceVersion: ADDED, MODIFIED, DELETED in order', async () => {
    const coordination = kc.makeApiClient(CoordinationV1Api);
    const start = await coordination.listNamespacedLease({ namespace: 'default' });
    const seen: string[] = [];
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/apis/coordination.k8s.io/v1/namespaces/default/leases',
      { resourceVersion: start.metadata?.resourceVersion, labelSelector: 'owner=deploy' },
      (phase, obj: { metadata: { name: string } }) => seen.push(`${phase} ${obj.metadata.name}`),
      () => undefined,
    );
    try {
      await coordination.createNamespacedLease({
        namespace: 'default',
        body: {
          metadata: { name: 'release', labels: { owner: 'deploy' } },
          spec: { holderIdentity: 'run-1', leaseDurationSeconds: 30 },
        },
      });
      await coordination.createNamespacedLease({
        namespace: 'default',
        body: { metadata: { name: 'unrelated' }, spec: { holderIdentity: 'x' } },
      });
      await coordination.patchNamespacedLease(
        { name: 'release', namespace: 'default', body: { spec: { holderIdentity: 'run-2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await coordination.deleteNamespacedLease({ name: 'release', namespace: 'default' });
      await waitFor('watch events', async () => seen.length >= 3, 10_000);
      expect(seen).toEqual(['ADDED release', 'MODIFIED release', 'DELETED release']);
    } finally {
      controller.abort();
    }
  });

  it('deletes dependents in the background, and orphans them when asked', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of ['cascade', 'orphan']) {
      await apps.createNamespacedDeployment({
        namespace: 'default',
        body: deployment(name, 'busybox:1'),
      });
      await waitFor(
        `${name} pods`,
        async () =>
          (await core.listNamespacedPod({ namespace: 'default', labelSelector: `app=${name}` }))
            .items.length === 1,
        10_000,
      );
    }
    await apps.deleteNamespacedDeployment({
      name: 'cascade',
      namespace: 'default',
      propagationPolicy: 'Background',
    });
    await waitFor(
      'cascade pods gone',
      async () =>
        (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=cascade' })).items
          .length === 0,
      10_000,
    );
    await apps.deleteNamespacedDeployment({
      name: 'orphan',
      namespace: 'default',
      propagationPolicy: 'Orphan',
    });
    const orphanSets = await apps.listNamespacedReplicaSet({
      namespace: 'default',
      labelSelector: 'app=orphan',
    });
    expect(orphanSets.items).toHaveLength(1);
    expect(orphanSets.items[0]?.metadata?.ownerReferences ?? []).toEqual([]);
  });
});
