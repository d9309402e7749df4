import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../shared/common/errors.ts';
import { renderServing } from '../../../../shared/kube/manifests.ts';
import { labelForRelease, type KubeObject } from '../../../../shared/kube/objects.ts';
import { cloudProfile } from '../../../../shared/kube/profiles.ts';
import { runtimeServing } from '../../../../shared/model/runtimes/serving.ts';
import {
  deploymentSpec,
  releaseWorkload,
  replicasOf,
  serviceHost,
  servicePort,
  serviceSpec,
  sideBySide,
  TRACK_LABEL,
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

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function service(name: string, selector?: Record<string, string>, ports?: unknown[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'models' },
    spec: { ...(selector ? { selector } : {}), ...(ports ? { ports } : {}) },
  };
}

function deployment(name: string, labels: Record<string, string>, replicas?: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'models' },
    spec: {
      ...(replicas !== undefined ? { replicas } : {}),
      selector: { matchLabels: labels },
      template: { metadata: { labels } },
    },
  };
}

describe('the new version beside the stable one', () => {
  it('behind a router, its pods are out of reach of the main Service', () => {
    const workload = releaseWorkload(render('gateway'), 'iris');
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 1, shareService: false });
    const podLabels = deploymentSpec(canary.deployment).template.metadata!.labels!;
    expect(canary.deployment.metadata.name).toBe('iris-canary');
    expect(canary.service.metadata.name).toBe('iris-canary');
    expect(matches(serviceSpec(workload.service).selector!, podLabels)).toBe(false);
    expect(matches(serviceSpec(canary.service).selector!, podLabels)).toBe(true);
    expect(matches(deploymentSpec(canary.deployment).selector.matchLabels!, podLabels)).toBe(true);
    // The stable pods are not the canary's: its selector needs the track label.
    const stableLabels = deploymentSpec(workload.deployment).template.metadata!.labels!;
    expect(matches(serviceSpec(canary.service).selector!, stableLabels)).toBe(false);
    expect(canary.deployment.metadata.labels?.['model-deploy.io/release']).toBe('iris');
  });

  it('with the replica split, its pods join the main Service', () => {
    const workload = releaseWorkload(render('cluster-ip'), 'iris');
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 0, shareService: true });
    const podLabels = deploymentSpec(canary.deployment).template.metadata!.labels!;
    expect(podLabels[TRACK_LABEL]).toBe('canary');
    expect(matches(serviceSpec(workload.service).selector!, podLabels)).toBe(true);
    const stableLabels = deploymentSpec(workload.deployment).template.metadata!.labels!;
    expect(matches(serviceSpec(canary.service).selector!, stableLabels)).toBe(false);
  });

  it('refuses a release without exactly one Deployment', () => {
    const objects = render('cluster-ip').filter((o) => o.kind !== 'Deployment');
    expect(() => releaseWorkload(objects, 'iris')).toThrow(
      /exactly one Deployment in the release; iris has 0/,
    );
  });

  it('names every Deployment of a release that has several, and offers the rolling strategy', () => {
    const objects = [
      deployment('a', { app: 'a' }),
      deployment('b', { app: 'b' }),
      service('a', { app: 'a' }),
    ];
    let err: unknown;
    try {
      releaseWorkload(objects, 'iris');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      'a canary or blue-green rollout needs exactly one Deployment in the release; iris has 2 (Deployment/a, Deployment/b)',
    );
    expect((err as UserError).hint).toMatch(/strategy: rolling/);
  });

  it('takes the Service whose selector picks the Deployment’s pods, not one with no or another selector', () => {
    const objects = [
      service('headless'),
      service('empty', {}),
      service('other', { app: 'other' }),
      service('wider', { app: 'iris', tier: 'gpu' }),
      deployment('iris', { app: 'iris', version: '1' }),
      service('iris', { app: 'iris' }),
    ];
    const workload = releaseWorkload(objects, 'iris');
    expect(workload.service.metadata.name).toBe('iris');
    expect(workload.routes).toEqual([]);
    expect('route' in workload).toBe(false);
    expect(() =>
      releaseWorkload(
        objects.filter((o) => o.metadata.name !== 'iris' || o.kind !== 'Service'),
        'iris',
      ),
    ).toThrow(
      'a canary or blue-green rollout needs a Service selecting the pods of Deployment/iris; the release has none',
    );
  });

  it('collects every route kind, the first as the route', () => {
    const workload = releaseWorkload(render('gateway', 2, 'mlserver'), 'iris');
    expect(workload.route).toBe(workload.routes[0]);
    expect(workload.routes.map((r) => r.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
    expect(releaseWorkload(render('istio'), 'iris').routes.map((r) => r.kind)).toEqual([
      'VirtualService',
    ]);
    expect(releaseWorkload(render('ambassador'), 'iris').route?.kind).toBe('Mapping');
  });

  it('copies the stable Deployment without changing it, with the asked replicas and the track on its own labels', () => {
    const workload = releaseWorkload(render('gateway', 4), 'iris');
    const before = structuredClone(workload.deployment);
    const preview = sideBySide(workload, 'iris', 'preview', { replicas: 4, shareService: false });
    expect(workload.deployment).toEqual(before);
    expect(preview.deployment.metadata.name).toBe('iris-preview');
    expect(preview.deployment.metadata.namespace).toBe('models');
    expect(preview.deployment.metadata.labels?.[TRACK_LABEL]).toBe('preview');
    expect(deploymentSpec(preview.deployment).replicas).toBe(4);
    expect(preview.podSelector[TRACK_LABEL]).toBe('preview');
    expect(serviceSpec(preview.service)).toMatchObject({
      type: 'ClusterIP',
      selector: preview.podSelector,
      ports: serviceSpec(workload.service).ports,
    });
    // The pod template keeps everything else, the container included.
    const spec = deploymentSpec(preview.deployment) as { template: { spec?: unknown } };
    expect(spec.template.spec).toEqual((deploymentSpec(before) as typeof spec).template.spec);
  });

  it('suffixes a selected label value to the 63-character limit, trimming separators before the suffix', () => {
    const long = 'm'.repeat(50) + '-x.' + 'y'.repeat(20);
    const stable = deployment(long, { app: long });
    const workload = releaseWorkload([stable, service(long, { app: long })], 'r');
    const canary = sideBySide(workload, 'r', 'canary', { replicas: 1, shareService: false });
    const suffixed = canary.podSelector.app!;
    expect(suffixed.length).toBeLessThanOrEqual(63);
    expect(suffixed).toBe(long.slice(0, 56) + '-canary');
    expect(canary.deployment.metadata.name).toBe(suffixed);
    // A cut that ends on a separator does not leave it doubled before the suffix.
    const dashed = 'a'.repeat(54) + '--' + 'b'.repeat(10);
    const w2 = releaseWorkload(
      [deployment(dashed, { app: dashed }), service(dashed, { app: dashed })],
      'r',
    );
    expect(
      sideBySide(w2, 'r', 'canary', { replicas: 1, shareService: false }).service.metadata.name,
    ).toBe('a'.repeat(54) + '-canary');
  });

  it('leaves pod labels the main Service does not select unsuffixed', () => {
    const stable = deployment('iris', { app: 'iris', team: 'ml' });
    const workload = releaseWorkload([stable, service('iris', { app: 'iris' })], 'iris');
    const canary = sideBySide(workload, 'iris', 'canary', { replicas: 1, shareService: false });
    expect(deploymentSpec(canary.deployment).template.metadata?.labels).toEqual({
      app: 'iris-canary',
      team: 'ml',
      [TRACK_LABEL]: 'canary',
    });
    expect(canary.podSelector).toEqual({ app: 'iris-canary', [TRACK_LABEL]: 'canary' });
  });
});

describe('a Service’s port, host and the replica count', () => {
  it('takes the first port, 80 without one', () => {
    expect(servicePort(service('s', {}, [{ port: 8080 }, { port: 8081 }]))).toBe(8080);
    expect(servicePort(service('s', {}))).toBe(80);
    expect(servicePort(service('s', {}, []))).toBe(80);
  });

  it('names the Service by its FQDN, in its own namespace or the release’s', () => {
    expect(serviceHost(service('iris'), 'other')).toBe('iris.models.svc.cluster.local');
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'iris' } };
    expect(serviceHost(bare, 'other')).toBe('iris.other.svc.cluster.local');
  });

  it('counts one replica when the Deployment leaves it to the default', () => {
    expect(replicasOf(deployment('d', { app: 'd' }, 3))).toBe(3);
    expect(replicasOf(deployment('d', { app: 'd' }, 0))).toBe(0);
    expect(replicasOf(deployment('d', { app: 'd' }))).toBe(1);
  });
});
