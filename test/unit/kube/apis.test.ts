import { describe, expect, it } from 'vitest';
import { kubeApis, ResourceCache, UnservedKindError } from '../../../shared/kube/apis.ts';
import { KubeApiError, type KubeRequest, type KubeTransport } from '../../../shared/kube/http.ts';

/** A transport that records each request and answers from a table of paths. */
function recorder(answers: Record<string, unknown> = {}) {
  const seen: KubeRequest[] = [];
  const send = (async (request: KubeRequest) => {
    seen.push(request);
    if (request.path in answers) {
      const answer = answers[request.path];
      if (answer instanceof Error) throw answer;
      return answer;
    }
    return { items: [] };
  }) as KubeTransport;
  return { send, seen };
}

const DISCOVERY = {
  '/apis/apps/v1': {
    resources: [
      { name: 'deployments', kind: 'Deployment', namespaced: true },
      { name: 'deployments/scale', kind: 'Scale', namespaced: true },
    ],
  },
  '/api/v1': { resources: [{ name: 'namespaces', kind: 'Namespace', namespaced: false }] },
  '/apis/admissionregistration.k8s.io/v1': {
    resources: [
      {
        name: 'mutatingwebhookconfigurations',
        kind: 'MutatingWebhookConfiguration',
        namespaced: false,
      },
    ],
  },
  '/apis/gateway.networking.k8s.io/v1': new KubeApiError(404, 'GET', '/apis/gateway', '', {}),
};

describe('the typed calls', () => {
  it('go to the paths of the Kubernetes API, with selectors as query', async () => {
    const { send, seen } = recorder();
    const apis = kubeApis(send);
    await apis.core.readNamespace({ name: 'models' });
    await apis.core.createNamespace({ body: { metadata: { name: 'models' } } });
    await apis.core.listNamespacedSecret({ namespace: 'models', labelSelector: 'a=b' });
    await apis.core.replaceNamespacedConfigMap({ name: 'c', namespace: 'models', body: {} });
    await apis.core.listNamespacedEvent({ namespace: 'models', fieldSelector: 'x=y' });
    await apis.apps.readNamespacedDeployment({ name: 'iris', namespace: 'models' });
    await apis.apps.listNamespacedReplicaSet({ namespace: 'models', labelSelector: 'app=iris' });
    await apis.coordination.deleteNamespacedLease({
      name: 'l',
      namespace: 'models',
      body: { preconditions: { resourceVersion: '7' } },
    });
    await apis.authorization.createSelfSubjectAccessReview({ body: { spec: {} } });
    await apis.authentication.createSelfSubjectReview({ body: {} });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/models',
      'POST /api/v1/namespaces',
      'GET /api/v1/namespaces/models/secrets',
      'PUT /api/v1/namespaces/models/configmaps/c',
      'GET /api/v1/namespaces/models/events',
      'GET /apis/apps/v1/namespaces/models/deployments/iris',
      'GET /apis/apps/v1/namespaces/models/replicasets',
      'DELETE /apis/coordination.k8s.io/v1/namespaces/models/leases/l',
      'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      'POST /apis/authentication.k8s.io/v1/selfsubjectreviews',
    ]);
    expect(seen[2]!.query).toMatchObject({ labelSelector: 'a=b' });
    expect(seen[4]!.query).toMatchObject({ fieldSelector: 'x=y' });
    expect(seen[7]!.body).toEqual({ preconditions: { resourceVersion: '7' } });
  });

  it('escape names in the path', async () => {
    const { send, seen } = recorder();
    await kubeApis(send).core.readNamespacedSecret({ name: 'a/b', namespace: 'x y' });
    expect(seen[0]!.path).toBe('/api/v1/namespaces/x%20y/secrets/a%2Fb');
  });

  it('list the served API groups by name', async () => {
    const { send } = recorder({
      '/apis': { groups: [{ name: 'apps' }, { name: 'getambassador.io' }] },
    });
    await expect(kubeApis(send).discovery.apiGroups()).resolves.toEqual([
      'apps',
      'getambassador.io',
    ]);
  });
});

describe('objects of any kind', () => {
  it('find the resource through discovery once per group/version, ignoring subresources', async () => {
    const { send, seen } = recorder(DISCOVERY);
    const { objects } = kubeApis(send);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'iris', namespace: 'models' },
    };
    await objects.apply(deployment, { fieldManager: 'model-deploy', force: true, dryRun: true });
    await objects.read(deployment);
    await objects.delete(deployment, { propagationPolicy: 'Background' });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /apis/apps/v1',
      'PATCH /apis/apps/v1/namespaces/models/deployments/iris',
      'GET /apis/apps/v1/namespaces/models/deployments/iris',
      'DELETE /apis/apps/v1/namespaces/models/deployments/iris',
    ]);
    expect(seen[1]).toMatchObject({
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'model-deploy', force: true, dryRun: 'All' },
      body: deployment,
    });
    expect(seen[3]!.query).toEqual({ propagationPolicy: 'Background' });
  });

  it('discover ahead, so later calls go straight to their paths', async () => {
    const { send, seen } = recorder(DISCOVERY);
    const { objects } = kubeApis(send);
    await Promise.all([
      objects.discover('apps/v1', 'Deployment'),
      objects.discover('v1', 'Namespace'),
    ]);
    await objects.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'm' } });
    expect(seen.map((r) => r.path).sort()).toEqual([
      '/api/v1',
      '/api/v1/namespaces/m',
      '/apis/apps/v1',
    ]);
  });

  it('put cluster-scoped kinds outside namespaces and list namespaced kinds across all of them', async () => {
    const { send, seen } = recorder(DISCOVERY);
    const { objects } = kubeApis(send);
    await objects.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' } });
    await objects.list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', {
      limit: 1,
    });
    await objects.list('apps/v1', 'Deployment');
    await objects.list('apps/v1', 'Deployment', { namespace: 'models', labelSelector: 'a=b' });
    expect(seen.filter((r) => !r.path.match(/^\/apis?\/[^/]+(\/v1)?$/)).map((r) => r.path)).toEqual(
      [
        '/api/v1/namespaces/models',
        '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
        '/apis/apps/v1/deployments',
        '/apis/apps/v1/namespaces/models/deployments',
      ],
    );
    expect(seen.at(-1)!.query).toMatchObject({ labelSelector: 'a=b' });
  });

  it('say which kind is not served: a group/version that is not there, or one without the kind', async () => {
    const { send } = recorder(DISCOVERY);
    const { objects } = kubeApis(send);
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'models' },
    };
    const missingGroup = await objects.read(route).catch((e: unknown) => e);
    expect(missingGroup).toBeInstanceOf(UnservedKindError);
    expect((missingGroup as Error).message).toBe(
      'the cluster does not serve gateway.networking.k8s.io/v1 HTTPRoute',
    );
    await expect(
      objects.list('apps/v1', 'StatefulSet', { namespace: 'models' }),
    ).rejects.toBeInstanceOf(UnservedKindError);
  });

  it('ask discovery again after it failed, and share answers through one cache', async () => {
    let fail = true;
    const seen: string[] = [];
    const send = (async (request: KubeRequest) => {
      seen.push(request.path);
      if (request.path === '/apis/apps/v1' && fail) {
        fail = false;
        throw new KubeApiError(503, 'GET', request.path, '', {});
      }
      return DISCOVERY['/apis/apps/v1'];
    }) as KubeTransport;
    const cache = new ResourceCache();
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'a', namespace: 'n' },
    };
    await expect(kubeApis(send, cache).objects.read(ref)).rejects.toBeInstanceOf(KubeApiError);
    await kubeApis(send, cache).objects.read(ref);
    await kubeApis(send, cache).objects.read(ref);
    expect(seen.filter((p) => p === '/apis/apps/v1')).toHaveLength(2);
  });

  it('asks discovery again for a kind it did not find before (a CRD installed since)', async () => {
    let installed = false;
    const seen: string[] = [];
    const send = (async (request: KubeRequest) => {
      seen.push(request.path);
      if (request.path === '/apis/elbv2.k8s.aws/v1beta1') {
        if (!installed) throw new KubeApiError(404, 'GET', request.path, '', {});
        return {
          resources: [
            { name: 'targetgroupbindings', kind: 'TargetGroupBinding', namespaced: true },
          ],
        };
      }
      return { items: [] };
    }) as KubeTransport;
    const { objects } = kubeApis(send);
    const list = () => objects.list('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', { limit: 1 });
    await expect(list()).rejects.toBeInstanceOf(UnservedKindError);
    installed = true;
    await expect(list()).resolves.toEqual({ items: [] });
    await list();
    expect(seen.filter((p) => p === '/apis/elbv2.k8s.aws/v1beta1')).toHaveLength(2);
  });
});
