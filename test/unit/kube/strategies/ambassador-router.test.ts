import { describe, expect, it } from 'vitest';
import { renderServing } from '../../../../shared/kube/manifests.ts';
import { labelForRelease, type KubeObject } from '../../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../../shared/kube/profiles.ts';
import { runtimeServing } from '../../../../shared/model/runtimes/serving.ts';
import { canaryMappings } from '../../../../shared/kube/strategies/ambassador-router.ts';
import { TRACK_LABEL } from '../../../../shared/kube/strategies/workload.ts';

function render(
  expose: 'gateway' | 'istio' | 'ambassador' | 'cluster-ip',
  replicas = 4,
  runtime: 'custom' | 'mlserver' = 'custom',
): KubeObject[] {
  return labelForRelease(
    renderServing({
      name: 'iris',
      namespace: 'models',
      image: 'registry.example/iris@sha256:' + 'a'.repeat(64),
      runtime: runtimeServing(runtime, 'iris'),
      replicas,
      resources: {},
      env: {},
      expose: { mode: expose, host: 'iris.example.com' },
      profile: cloudProfile('none'),
      progressDeadlineSeconds: 60,
    }),
    'iris',
    'models',
  );
}

function mapping(name: string, service: string | undefined, kind = 'Mapping'): KubeObject {
  return {
    apiVersion: 'getambassador.io/v3alpha1',
    kind,
    metadata: { name, namespace: 'models', labels: { team: 'ml' } },
    spec: { prefix: '/', ...(service !== undefined ? { service } : {}) },
  };
}

const servicesOf = (objects: KubeObject[]) =>
  objects.map((m) => (m.spec as { service: string }).service);

describe('the Emissary weights', () => {
  it('adds a weighted copy of each Emissary Mapping for the new version', () => {
    const mappings = render('ambassador', 4, 'mlserver').filter((o) => o.kind === 'Mapping');
    const copies = canaryMappings(mappings, 'iris', 'iris-canary', 'iris', 20);
    expect(copies.map((m) => [m.metadata.name, m.spec])).toEqual([
      [
        'iris-canary',
        { hostname: 'iris.example.com', prefix: '/', service: 'iris-canary.models:80', weight: 20 },
      ],
      [
        'iris-grpc-canary',
        {
          hostname: 'iris.example.com',
          prefix: '/inference.',
          rewrite: '/inference.',
          grpc: true,
          service: 'iris-canary.models:8081',
          weight: 20,
        },
      ],
    ]);
    expect(copies[0]!.metadata.labels?.[TRACK_LABEL]).toBe('canary');
    // The stable Mappings are left as they are.
    expect((mappings[0]!.spec as { weight?: number }).weight).toBeUndefined();
    // A Mapping to another Service is not the release's to split.
    const other = structuredClone(mappings[0]!);
    (other.spec as { service: string }).service = 'http://irises.models:80';
    expect(canaryMappings([other], 'iris', 'iris-canary', 'iris', 20)).toEqual([]);
  });

  it('recognises every form of the stable Service and keeps its scheme and the rest', () => {
    const forms = [
      'iris',
      'iris.models',
      'iris:8080',
      'iris.models:80',
      'http://iris.models:80',
      'https://iris/path',
    ];
    const copies = canaryMappings(
      forms.map((f, i) => mapping(`m${i}`, f)),
      'iris',
      'iris-canary',
      'iris',
      5,
    );
    expect(servicesOf(copies)).toEqual([
      'iris-canary',
      'iris-canary.models',
      'iris-canary:8080',
      'iris-canary.models:80',
      'http://iris-canary.models:80',
      'https://iris-canary/path',
    ]);
    expect(copies.map((m) => (m.spec as { weight: number }).weight)).toEqual([5, 5, 5, 5, 5, 5]);
  });

  it('skips Mappings without a service, to a Service with a longer name, and objects of other kinds', () => {
    const copies = canaryMappings(
      [
        mapping('none', undefined),
        mapping('longer', 'iris-v1.models:80'),
        mapping('host', 'iris-canary.models'),
        mapping('other-kind', 'iris.models', 'Host'),
      ],
      'iris',
      'iris-canary',
      'iris',
      50,
    );
    expect(copies).toEqual([]);
  });

  it('names and labels each copy as the new version’s, in the Mapping’s namespace', () => {
    const [copy] = canaryMappings(
      [mapping('api', 'iris.models')],
      'iris',
      'iris-canary',
      'iris',
      0,
    );
    expect(copy!.apiVersion).toBe('getambassador.io/v3alpha1');
    expect(copy!.metadata).toEqual({
      name: 'api-canary',
      namespace: 'models',
      labels: expect.objectContaining({
        team: 'ml',
        'model-deploy.io/release': 'iris',
        [TRACK_LABEL]: 'canary',
      }),
    });
    // Weight 0 is still a weight: the copy exists and takes nothing.
    expect((copy!.spec as { weight: number }).weight).toBe(0);
  });
});
