import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, parseClusterSpec } from '../../../shared/clouds/cluster-access.ts';
import { UserError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import {
  applyObjects,
  deleteObjects,
  diffRelease,
  findStrays,
  kindsOf,
  plain,
  plannedCreates,
  redactSecrets,
  unifiedDiff,
} from '../../../shared/kube/apply.ts';
import { KubeClient } from '../../../shared/kube/client.ts';
import { labelForRelease, objectName, type KubeObject } from '../../../shared/kube/objects.ts';
import { startCluster, type KubeCluster } from '../../support/kube/cluster.ts';

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});
const secret = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  type: 'Opaque',
  stringData: data,
});
const service = (name: string, port: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort: 8080 }] },
});

describe('pure helpers', () => {
  it('turns client models into the JSON the server sent', () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    expect(
      plain({
        apiVersion: 'v1',
        kind: 'X',
        metadata: { name: 'a', creationTimestamp: when, uid: undefined },
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'X',
      metadata: { name: 'a', creationTimestamp: '2026-01-02T03:04:05.000Z' },
    });
  });

  it('lists each kind once, in the order first seen', () => {
    expect(
      kindsOf([service('a', 80), configMap('b', {}), service('c', 80), configMap('d', {})]),
    ).toEqual([
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'v1', kind: 'ConfigMap' },
    ]);
    expect(kindsOf([])).toEqual([]);
  });

  it('shows nothing for equal texts and a labelled unified diff otherwise', () => {
    expect(unifiedDiff('ConfigMap/a', 'a: 1\n', 'a: 1\n')).toBe('');
    const patch = unifiedDiff('ConfigMap/a', 'a: 1\nb: 2\n', 'a: 1\nb: 3\n');
    const lines = patch.split('\n');
    expect(lines).toContain('--- live/ConfigMap/a');
    expect(lines).toContain('+++ new/ConfigMap/a');
    expect(lines).toContain('-b: 2');
    expect(lines).toContain('+b: 3');
    expect(lines).toContain(' a: 1');
    expect(patch).not.toMatch(/^=+$/m);
    expect(patch).toBe(patch.trimEnd());
  });
});

describe('redactSecrets', () => {
  it('leaves anything but a Secret as it is', () => {
    const a = configMap('a', { k: 'v' });
    const [before, after] = redactSecrets(a, undefined);
    expect(before).toBe(a);
    expect(after).toBeUndefined();
  });

  it('hides every value, marks changed ones on the new side, and never touches its inputs', () => {
    const live = {
      ...secret('s', {}),
      stringData: undefined,
      data: { same: 'QQ==', changed: 'Qg==', removed: 'Qw==' },
      metadata: {
        name: 's',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"same":"QQ=="}}',
          team: 'ml',
        },
      },
    };
    const next = {
      ...secret('s', { plain: 'p4ss' }),
      data: { same: 'QQ==', changed: 'Wg==', added: 'RA==' },
    };
    const copies = structuredClone([live, next]);
    const [before, after] = redactSecrets(live, next) as [typeof live, typeof next];
    expect([live, next]).toEqual(copies);
    expect(before.data).toEqual({ same: '***', changed: '***', removed: '***' });
    expect(after.data).toEqual({ same: '***', changed: '*** (changed)', added: '***' });
    expect((after as KubeObject).stringData).toEqual({ plain: '***' });
    expect(before.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': '***',
      team: 'ml',
    });
    expect(JSON.stringify([before, after])).not.toMatch(/QQ==|Wg==|p4ss/);
  });

  it('hides a Secret that is only on one side', () => {
    const [, created] = redactSecrets(undefined, secret('s', { token: 'abc' })) as [
      unknown,
      KubeObject,
    ];
    expect(created.stringData).toEqual({ token: '***' });
  });
});

describe('plannedCreates', () => {
  it('lists every object as a creation, in apply order, with Secrets hidden', () => {
    const diffs = plannedCreates([service('m', 80), secret('creds', { token: 'abc123' })]);
    expect(diffs.map((d) => [d.name, d.change])).toEqual([
      ['Secret/creds', 'create'],
      ['Service/m', 'create'],
    ]);
    expect(diffs[0]?.patch).toContain('+  token: "***"');
    expect(diffs[0]?.patch).not.toContain('abc123');
    expect(diffs[1]?.patch).toContain('+kind: Service');
    expect(
      diffs[1]?.patch.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')),
    ).toEqual([]);
  });
});

describe('against a real API server', () => {
  let cluster: KubeCluster;
  let client: KubeClient;
  const ns = 'apply';
  const release = (objects: KubeObject[], name = 'iris') => labelForRelease(objects, name, ns);

  beforeAll(async () => {
    cluster = await startCluster({ pods: 'simulated' });
    client = new KubeClient(
      await connectCluster(parseClusterSpec(`kubeconfig:${cluster.kubeconfigPath}`), {
        logger: silentLogger,
      }),
    );
    await cluster.kubectl(['create', 'namespace', ns]);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const live = async (kind: string, name: string) =>
    (await cluster.kubectlJson(['-n', ns, 'get', kind, name, '-o', 'json'])) as KubeObject & {
      data?: Record<string, string>;
    };

  it('applies in dependency order and returns what the server stored', async () => {
    const applied = await applyObjects(
      client,
      release([service('iris', 80), configMap('iris-settings', { size: 'small' })]),
    );
    expect(applied.map(objectName)).toEqual(['ConfigMap/iris-settings', 'Service/iris']);
    expect(applied[0]?.metadata.uid).toEqual(expect.any(String));
    // The server's defaults come back: a ClusterIP was allocated.
    expect((applied[1]?.spec as { clusterIP?: string }).clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const stored = await live('configmap', 'iris-settings');
    expect(stored.data).toEqual({ size: 'small' });
    expect(stored.metadata.managedFields?.toString()).toBeUndefined();
  });

  it('takes back a field someone changed by hand', async () => {
    await cluster.kubectl([
      '-n',
      ns,
      'patch',
      'configmap',
      'iris-settings',
      '--type=merge',
      '-p',
      '{"data":{"size":"by-hand"}}',
    ]);
    expect((await live('configmap', 'iris-settings')).data?.size).toBe('by-hand');
    await applyObjects(client, release([configMap('iris-settings', { size: 'small' })]));
    expect((await live('configmap', 'iris-settings')).data?.size).toBe('small');
  });

  it('changes nothing on a dry run, yet returns what would be stored', async () => {
    const [result] = await applyObjects(
      client,
      release([configMap('iris-settings', { size: 'large' })]),
      { dryRun: true },
    );
    expect(result?.data).toEqual({ size: 'large' });
    expect((await live('configmap', 'iris-settings')).data).toEqual({ size: 'small' });
    await applyObjects(client, release([configMap('dry-only', { a: '1' })]), { dryRun: true });
    await expect(cluster.kubectl(['-n', ns, 'get', 'configmap', 'dry-only'])).rejects.toThrow(
      /not found/,
    );
  });

  it('says which kind of a served group the cluster does not serve, and what to do about it', async () => {
    // A partial Istio install: networking.istio.io serves Gateway, not VirtualService.
    await cluster.apply(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gateways.networking.istio.io
spec:
  group: networking.istio.io
  scope: Namespaced
  names: {kind: Gateway, plural: gateways, singular: gateway, listKind: GatewayList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`);
    await cluster.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/gateways.networking.istio.io',
      '--timeout=60s',
    ]);
    const route: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'iris', namespace: ns },
      spec: {},
    };
    const failure = (await applyObjects(client, [route]).catch((err: unknown) => err)) as UserError;
    expect(failure).toBeInstanceOf(UserError);
    expect(failure.message).toBe(
      `the cluster ${client.connection.displayName} does not serve networking.istio.io/v1 VirtualService`,
    );
    expect(failure.hint).toBe("install Istio's CRDs, or use expose: cluster-ip or load-balancer");
    // A group the cluster does not serve at all: the same words, not a bare 404.
    const httpRoute: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'iris', namespace: ns },
      spec: {},
    };
    const unserved = (await applyObjects(client, [httpRoute]).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(unserved.message).toBe(
      `the cluster ${client.connection.displayName} does not serve gateway.networking.k8s.io/v1 HTTPRoute`,
    );
    expect(unserved.hint).toBe(
      'install the Gateway API CRDs, or use expose: cluster-ip or load-balancer',
    );
    const widget: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: ns },
    };
    await expect(applyObjects(client, [widget])).rejects.toMatchObject({
      message: `the cluster ${client.connection.displayName} does not serve apps/v1 Widget`,
      hint: 'check the apiVersion of this object in the chart',
    });
  });

  it("passes the server's validation error on, naming the object", async () => {
    await expect(applyObjects(client, release([service('bad', 70000)]))).rejects.toThrow(
      /^applying Service\/bad: the cluster refused it: .*70000/,
    );
  });

  it('finds the objects of the release that the new set leaves out, and prunes them', async () => {
    const first = release([
      configMap('iris-settings', { size: 'small' }),
      configMap('iris-old', { a: '1' }),
      service('iris', 80),
      service('iris-old', 81),
    ]);
    await applyObjects(client, first);
    // Another release's object and an unlabelled one in the same namespace are not this release's.
    await applyObjects(client, release([configMap('other-settings', { a: '1' })], 'other'));
    await cluster.kubectl(['-n', ns, 'create', 'configmap', 'unmanaged']);

    const keep = release([configMap('iris-settings', { size: 'small' }), service('iris', 80)]);
    const kinds = [
      ...kindsOf(first),
      // A kind the release once rendered that the cluster does not serve: nothing to prune.
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    ];
    const strays = await findStrays(client, 'iris', ns, kinds, keep);
    expect(strays.map(objectName).sort()).toEqual(['ConfigMap/iris-old', 'Service/iris-old']);
    // Items of a list carry no kind of their own; the stray is addressable as it is.
    expect(strays.every((s) => s.apiVersion === 'v1' && s.metadata.namespace === ns)).toBe(true);

    const info: string[] = [];
    const logger: Logger = { ...silentLogger, info: (m) => info.push(m) };
    await deleteObjects(client, strays, logger);
    expect(info.sort()).toEqual(['pruned ConfigMap/iris-old', 'pruned Service/iris-old']);
    expect(await findStrays(client, 'iris', ns, kinds, keep)).toEqual([]);
    // Already gone: not an error, and not claimed as pruned.
    info.length = 0;
    await deleteObjects(client, strays, logger);
    expect(info).toEqual([]);
    await expect(
      cluster.kubectl(['-n', ns, 'get', 'configmap', 'other-settings', 'unmanaged']),
    ).resolves.toMatch(/other-settings/);
  });

  it('diffs against the live objects: unchanged, updated, created and pruned', async () => {
    await applyObjects(client, release([secret('iris-creds', { token: 'old-token' })]));
    const stray = (
      await applyObjects(client, release([configMap('iris-gone', { a: '1' })]))
    )[0] as KubeObject;
    const diffs = await diffRelease(
      client,
      release([
        configMap('iris-settings', { size: 'small' }),
        service('iris', 8080),
        secret('iris-creds', { token: 'new-token' }),
        configMap('iris-new', { b: '2' }),
      ]),
      [stray],
    );
    const byName = Object.fromEntries(diffs.map((d) => [d.name, d]));
    expect(diffs.map((d) => [d.name, d.change])).toEqual([
      ['Secret/iris-creds', 'update'],
      ['ConfigMap/iris-new', 'create'],
      ['ConfigMap/iris-settings', 'unchanged'],
      ['Service/iris', 'update'],
      ['ConfigMap/iris-gone', 'delete'],
    ]);
    expect(byName['ConfigMap/iris-settings']?.patch).toBe('');
    const servicePatch = byName['Service/iris']?.patch ?? '';
    expect(servicePatch).toMatch(/^-\s+port: 80$/m);
    expect(servicePatch).toMatch(/^\+\s+port: 8080$/m);
    // Server-owned fields are no change.
    expect(servicePatch).not.toMatch(/resourceVersion|managedFields|uid:/);
    const secretPatch = byName['Secret/iris-creds']?.patch ?? '';
    expect(secretPatch).toContain('*** (changed)');
    expect(secretPatch).not.toMatch(/old-token|new-token|b2xkLXRva2Vu|bmV3LXRva2Vu/);
    expect(byName['ConfigMap/iris-new']?.patch).toMatch(/^\+\s+b: "2"$/m);
    expect(byName['ConfigMap/iris-gone']?.patch).toMatch(/^-kind: ConfigMap$/m);
    // Nothing changed in the cluster.
    expect((await live('service', 'iris')).spec).toMatchObject({
      ports: [expect.objectContaining({ port: 80 })],
    });
    await expect(cluster.kubectl(['-n', ns, 'get', 'configmap', 'iris-new'])).rejects.toThrow(
      /not found/,
    );
  });
});
