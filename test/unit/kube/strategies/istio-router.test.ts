import { describe, expect, it } from 'vitest';
import { renderServing } from '../../../../shared/kube/manifests.ts';
import { labelForRelease, type KubeObject } from '../../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../../shared/kube/profiles.ts';
import { runtimeServing } from '../../../../shared/model/runtimes/serving.ts';
import {
  CANARY_SUBSET,
  canaryDestinationRule,
  weightedVirtualService,
} from '../../../../shared/kube/strategies/istio-router.ts';
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

const STABLE = 'iris.models.svc.cluster.local';
const CANARY = 'iris-canary.models.svc.cluster.local';
type Http = { http: Array<{ name?: string; route?: unknown[] }> };

function virtualService(http: unknown[]): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'iris', namespace: 'models' },
    spec: { hosts: ['iris.example.com'], http },
  };
}

describe('the Istio weights', () => {
  it('splits both VirtualService routes, REST and gRPC, keeping their ports', () => {
    const vs = render('istio', 4, 'mlserver').find((o) => o.kind === 'VirtualService')!;
    const weighted = weightedVirtualService(vs, STABLE, CANARY, 40);
    const http = (weighted.spec as { http: Array<{ name: string; route: unknown[] }> }).http;
    expect(http.map((h) => h.name)).toEqual(['grpc', 'http']);
    expect(http[0]!.route).toEqual([
      { destination: { host: STABLE, port: { number: 8081 } }, weight: 60 },
      { destination: { host: CANARY, port: { number: 8081 }, subset: 'canary' }, weight: 40 },
    ]);
  });

  it('splits the VirtualService route into the stable host and the canary subset', () => {
    const vs = render('istio').find((o) => o.kind === 'VirtualService')!;
    const weighted = weightedVirtualService(vs, STABLE, CANARY, 25);
    expect((weighted.spec as Http).http[0]!.route).toEqual([
      { destination: { host: STABLE, port: { number: 80 } }, weight: 75 },
      { destination: { host: CANARY, port: { number: 80 }, subset: 'canary' }, weight: 25 },
    ]);
  });

  it('knows the stable Service by its short, namespaced and svc names as well as the FQDN', () => {
    for (const host of ['iris', 'iris.models', 'iris.models.svc']) {
      const weighted = weightedVirtualService(
        virtualService([{ route: [{ destination: { host } }] }]),
        STABLE,
        CANARY,
        10,
      );
      expect((weighted.spec as Http).http[0]!.route, host).toEqual([
        { destination: { host }, weight: 90 },
        { destination: { host: CANARY, subset: CANARY_SUBSET }, weight: 10 },
      ]);
    }
    // A Service whose name only begins like the stable one's is another Service.
    const other = virtualService([{ route: [{ destination: { host: 'iri' } }] }]);
    expect(weightedVirtualService(other, STABLE, CANARY, 10)).toEqual(other);
  });

  it('leaves routes to other hosts alone, does not touch the input, and stays a two-way split when re-weighted', () => {
    const original = virtualService([
      { name: 'docs', route: [{ destination: { host: 'docs' } }] },
      { name: 'empty' },
      { name: 'model', route: [{ destination: { host: 'iris' }, headers: { x: 1 } }] },
    ]);
    const snapshot = structuredClone(original);
    const once = weightedVirtualService(original, STABLE, CANARY, 30);
    const twice = weightedVirtualService(once, STABLE, CANARY, 60);
    expect(original).toEqual(snapshot);
    const http = (twice.spec as Http).http;
    expect(http[0]!.route).toEqual([{ destination: { host: 'docs' } }]);
    expect(http[1]).toEqual({ name: 'empty' });
    expect(http[2]!.route).toEqual([
      { destination: { host: 'iris' }, headers: { x: 1 }, weight: 40 },
      { destination: { host: CANARY, subset: 'canary' }, headers: { x: 1 }, weight: 60 },
    ]);
  });

  it('gives a VirtualService without http routes an empty list', () => {
    const bare: KubeObject = { ...virtualService([]), spec: { hosts: ['h'] } };
    expect(weightedVirtualService(bare, STABLE, CANARY, 10).spec).toEqual({
      hosts: ['h'],
      http: [],
    });
  });

  it('defines the canary subset by the new version’s pod labels in a DestinationRule it labels as its own', () => {
    const rule = canaryDestinationRule('iris-canary', 'models', 'iris', CANARY, {
      app: 'iris-canary',
      [TRACK_LABEL]: 'canary',
    });
    expect(rule.apiVersion).toBe('networking.istio.io/v1');
    expect(rule.kind).toBe('DestinationRule');
    expect(rule.metadata.name).toBe('iris-canary');
    expect(rule.metadata.namespace).toBe('models');
    expect(rule.metadata.labels?.['model-deploy.io/release']).toBe('iris');
    expect(rule.metadata.labels?.[TRACK_LABEL]).toBe('canary');
    expect(rule.spec).toEqual({
      host: CANARY,
      subsets: [{ name: 'canary', labels: { app: 'iris-canary', [TRACK_LABEL]: 'canary' } }],
    });
  });
});
