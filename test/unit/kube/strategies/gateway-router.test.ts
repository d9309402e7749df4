import { describe, expect, it } from 'vitest';
import { renderServing } from '../../../../shared/kube/manifests.ts';
import { labelForRelease, type KubeObject } from '../../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../../shared/kube/profiles.ts';
import { runtimeServing } from '../../../../shared/model/runtimes/serving.ts';
import { routesTo, weightedHttpRoute } from '../../../../shared/kube/strategies/gateway-router.ts';
import {
  releaseWorkload,
  serviceSpec,
  sideBySide,
} from '../../../../shared/kube/strategies/workload.ts';

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

type Refs = { rules: Array<{ backendRefs: unknown[] }> };
const refsOf = (o: KubeObject, rule = 0) => (o.spec as Refs).rules[rule]!.backendRefs;

function route(rules: Array<{ backendRefs?: Array<Record<string, unknown>> }>): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'iris', namespace: 'models' },
    spec: { rules },
  };
}

describe('the Gateway API weights', () => {
  it('splits the HTTPRoute rule that goes to the stable Service', () => {
    const route = render('gateway').find((o) => o.kind === 'HTTPRoute')!;
    const weighted = weightedHttpRoute(route, 'iris', 'iris-canary', 10);
    expect(refsOf(weighted)).toEqual([
      { name: 'iris', port: 80, weight: 90 },
      { name: 'iris-canary', port: 80, weight: 10 },
    ]);
    // Applying it again at another weight replaces the split, never stacks it.
    const again = weightedHttpRoute(weighted, 'iris', 'iris-canary', 50);
    expect(refsOf(again)).toHaveLength(2);
    expect(refsOf(route)).toEqual([{ name: 'iris', port: 80 }]);
  });

  it('splits the GRPCRoute like the HTTPRoute, keeping the grpc port', () => {
    const workload = releaseWorkload(render('gateway', 4, 'mlserver'), 'iris');
    expect(workload.routes.map((r) => r.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
    const grpc = workload.routes.find((r) => r.kind === 'GRPCRoute')!;
    const weighted = weightedHttpRoute(grpc, 'iris', 'iris-canary', 30);
    expect(refsOf(weighted)).toEqual([
      { name: 'iris', port: 8081, weight: 70 },
      { name: 'iris-canary', port: 8081, weight: 30 },
    ]);
    // The canary's own Service carries the grpc port too.
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 1, shareService: false });
    expect(serviceSpec(canary.service).ports?.map((p) => p.name)).toEqual(['http', 'grpc']);
  });

  it('leaves rules to other backends alone and keeps their other backendRefs', () => {
    const original = route([
      { backendRefs: [{ name: 'docs', port: 80 }] },
      {
        backendRefs: [
          { name: 'mirror', port: 80, weight: 1 },
          { name: 'iris', port: 80 },
        ],
      },
      {},
    ]);
    const weighted = weightedHttpRoute(original, 'iris', 'iris-canary', 100);
    expect(refsOf(weighted, 0)).toEqual([{ name: 'docs', port: 80 }]);
    expect(refsOf(weighted, 1)).toEqual([
      { name: 'mirror', port: 80, weight: 1 },
      { name: 'iris', port: 80, weight: 0 },
      { name: 'iris-canary', port: 80, weight: 100 },
    ]);
    expect((weighted.spec as { rules: unknown[] }).rules[2]).toEqual({});
  });

  it('splits only a backendRef that is a Service, not another kind of the same name', () => {
    const original = route([{ backendRefs: [{ name: 'iris', kind: 'ServiceImport', port: 80 }] }]);
    expect(weightedHttpRoute(original, 'iris', 'iris-canary', 20)).toEqual(original);
    const explicit = route([{ backendRefs: [{ name: 'iris', kind: 'Service', port: 80 }] }]);
    expect(refsOf(weightedHttpRoute(explicit, 'iris', 'iris-canary', 20))).toEqual([
      { name: 'iris', kind: 'Service', port: 80, weight: 80 },
      { name: 'iris-canary', kind: 'Service', port: 80, weight: 20 },
    ]);
  });

  it('gives a route without rules an empty rule list', () => {
    const bare: KubeObject = { ...route([]), spec: {} };
    expect(weightedHttpRoute(bare, 'iris', 'iris-canary', 10).spec).toEqual({ rules: [] });
  });

  it('tells whether any rule of a route sends to a Service', () => {
    const r = route([{ backendRefs: [{ name: 'docs' }] }, { backendRefs: [{ name: 'iris' }] }]);
    expect(routesTo(r, 'iris')).toBe(true);
    expect(routesTo(r, 'docs')).toBe(true);
    expect(routesTo(r, 'iris-canary')).toBe(false);
    expect(routesTo({ ...r, spec: {} }, 'iris')).toBe(false);
    expect(routesTo(route([{}]), 'iris')).toBe(false);
  });
});
