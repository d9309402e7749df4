import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  FIELD_MANAGER,
  groupOf,
  isClusterScoped,
  labelForRelease,
  manifestsHash,
  MANAGED_BY_LABEL,
  objectKey,
  objectName,
  RELEASE_LABEL,
  releaseLabels,
  releaseSelector,
  sortForApply,
  applyWaves,
  type KubeObject,
} from '../../../shared/kube/objects.ts';

const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Partial<KubeObject> & { namespace?: string } = {},
): KubeObject => {
  const { namespace, ...rest } = extra;
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...rest,
  };
};

describe('object identity', () => {
  it('takes the API group from apiVersion, the core group being empty', () => {
    expect(groupOf('apps/v1')).toBe('apps');
    expect(groupOf('gateway.networking.k8s.io/v1')).toBe('gateway.networking.k8s.io');
    expect(groupOf('v1')).toBe('');
  });

  it('keys namespaced objects by namespace and cluster-scoped ones without it', () => {
    expect(objectKey(obj('apps/v1', 'Deployment', 'm', { namespace: 'models' }))).toBe(
      'apps/Deployment models/m',
    );
    expect(objectKey(obj('v1', 'Service', 'm', { namespace: 'models' }))).toBe('/Service models/m');
    // A namespace on a cluster-scoped object (as a chart may render) does not split its identity.
    expect(objectKey(obj('v1', 'Namespace', 'models', { namespace: 'x' }))).toBe(
      '/Namespace models',
    );
    expect(objectKey(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r'))).toBe(
      'rbac.authorization.k8s.io/ClusterRole r',
    );
    // The same name in two groups is two objects.
    expect(objectKey(obj('networking.istio.io/v1', 'Gateway', 'g', { namespace: 'n' }))).not.toBe(
      objectKey(obj('gateway.networking.k8s.io/v1', 'Gateway', 'g', { namespace: 'n' })),
    );
    expect(objectName(obj('apps/v1', 'Deployment', 'resnet50'))).toBe('Deployment/resnet50');
  });

  it('knows which kinds are cluster-scoped', () => {
    for (const kind of ['Namespace', 'ClusterRole', 'CustomResourceDefinition', 'IngressClass'])
      expect(isClusterScoped(kind), kind).toBe(true);
    for (const kind of ['Deployment', 'Service', 'Role', 'Secret', 'HTTPRoute'])
      expect(isClusterScoped(kind), kind).toBe(false);
  });
});

describe('release labels', () => {
  it('builds the labels and the matching selector', () => {
    expect(releaseLabels('iris')).toEqual({
      [MANAGED_BY_LABEL]: FIELD_MANAGER,
      [RELEASE_LABEL]: 'iris',
    });
    expect(releaseSelector('iris')).toBe(
      'app.kubernetes.io/managed-by=model-deploy,model-deploy.io/release=iris',
    );
  });

  it('labels objects and pod templates, sets the namespace, and leaves the input untouched', () => {
    const deployment = obj('apps/v1', 'Deployment', 'iris', {
      namespace: 'elsewhere',
      spec: { template: { metadata: { labels: { app: 'iris' } }, spec: {} } },
    });
    deployment.metadata.labels = { team: 'ml', [RELEASE_LABEL]: 'old' };
    const namespace = obj('v1', 'Namespace', 'models');
    const job = obj('batch/v1', 'Job', 'migrate', {
      spec: { template: { metadata: { labels: { app: 'm' } } } },
    });
    const before = structuredClone([deployment, namespace, job]);
    const [d, n, j] = labelForRelease([deployment, namespace, job], 'iris', 'models') as [
      KubeObject,
      KubeObject,
      KubeObject,
    ];

    expect([deployment, namespace, job]).toEqual(before);
    expect(d.metadata.namespace).toBe('models');
    expect(d.metadata.labels).toEqual({ team: 'ml', ...releaseLabels('iris') });
    expect(
      (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
        .labels,
    ).toEqual({ app: 'iris', ...releaseLabels('iris') });
    expect(n.metadata.namespace).toBeUndefined();
    expect(n.metadata.labels).toEqual(releaseLabels('iris'));
    // A Job's pods are not the release's serving pods: their template is left as is.
    expect(
      (j.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
        .labels,
    ).toEqual({ app: 'm' });
    expect(j.metadata.namespace).toBe('models');
  });

  it('gives a template without metadata the labels', () => {
    const [d] = labelForRelease(
      [obj('apps/v1', 'StatefulSet', 's', { spec: { template: { spec: {} } } })],
      'r',
      'ns',
    ) as [KubeObject];
    expect(
      (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
        .labels,
    ).toEqual(releaseLabels('r'));
  });
});

describe('apply order', () => {
  it('puts dependencies first and unknown kinds last, by key within a kind', () => {
    const objects = [
      obj('gateway.networking.k8s.io/v1', 'HTTPRoute', 'r', { namespace: 'n' }),
      obj('example.com/v1', 'Widget', 'w', { namespace: 'n' }),
      obj('apps/v1', 'Deployment', 'b', { namespace: 'n' }),
      obj('apps/v1', 'Deployment', 'a', { namespace: 'n' }),
      obj('v1', 'Service', 's', { namespace: 'n' }),
      obj('v1', 'ServiceAccount', 'sa', { namespace: 'n' }),
      obj('v1', 'Namespace', 'n'),
    ];
    const input = [...objects];
    expect(sortForApply(objects).map(objectName)).toEqual([
      'Namespace/n',
      'ServiceAccount/sa',
      'Service/s',
      'Deployment/a',
      'Deployment/b',
      'HTTPRoute/r',
      'Widget/w',
    ]);
    expect(objects).toEqual(input);
  });

  it('groups objects into waves: definitions, then what workloads use, then bindings, then workloads with their companions', () => {
    const objects = [
      obj('policy/v1', 'PodDisruptionBudget', 'p', { namespace: 'n' }),
      obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb', { namespace: 'n' }),
      obj('example.com/v1', 'Widget', 'w', { namespace: 'n' }),
      obj('apps/v1', 'Deployment', 'd', { namespace: 'n' }),
      obj('rbac.authorization.k8s.io/v1', 'Role', 'role', { namespace: 'n' }),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      obj('v1', 'Service', 's', { namespace: 'n' }),
      obj('v1', 'ServiceAccount', 'sa', { namespace: 'n' }),
      obj('v1', 'Namespace', 'n'),
    ];
    expect(applyWaves(objects).map((wave) => wave.map(objectName))).toEqual([
      ['Namespace/n', 'CustomResourceDefinition/widgets.example.com'],
      ['ServiceAccount/sa', 'Role/role', 'Service/s'],
      ['RoleBinding/rb'],
      ['Deployment/d', 'PodDisruptionBudget/p', 'Widget/w'],
    ]);
    // No empty wave: a release of a Service and a Deployment is two round trips.
    expect(
      applyWaves([
        obj('apps/v1', 'Deployment', 'd', { namespace: 'n' }),
        obj('v1', 'Service', 's', { namespace: 'n' }),
      ]).map((wave) => wave.map(objectName)),
    ).toEqual([['Service/s'], ['Deployment/d']]);
  });
});

describe('manifest hash', () => {
  it('writes JSON with sorted keys and without undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }], u: undefined })).toBe(
      '{"a":[{"c":null,"d":"x"}],"b":1}',
    );
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
  });

  it('is the same for the same objects in any order or key order, and differs on any change', () => {
    const a = obj('v1', 'Service', 'a', { namespace: 'n', spec: { type: 'ClusterIP', ports: [] } });
    const b = obj('apps/v1', 'Deployment', 'b', { namespace: 'n', spec: { replicas: 1 } });
    const aReordered: KubeObject = {
      spec: { ports: [], type: 'ClusterIP' },
      metadata: { namespace: 'n', name: 'a' },
      kind: 'Service',
      apiVersion: 'v1',
    };
    const hash = manifestsHash([a, b]);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifestsHash([b, aReordered])).toBe(hash);
    expect(manifestsHash([a, { ...b, spec: { replicas: 2 } }])).not.toBe(hash);
    expect(manifestsHash([a])).not.toBe(hash);
  });
});
