import { describe, expect, it } from 'vitest';
import { ClusterApi } from '../../support/kube-cluster/api.ts';
import { jsonPatch, strategicMergePatch } from '../../support/kube-cluster/patch.ts';
import { matchesLabels, parseLabelSelector } from '../../support/kube-cluster/selectors.ts';
import { ApiError } from '../../support/kube-cluster/status.ts';

/** The API mechanics underneath the HTTP layer, exercised directly. */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function errorOf(action: () => unknown): ApiError {
  try {
    action();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('test double API mechanics', () => {
  it('parses set-based label selectors and rejects malformed ones', () => {
    const labels = { app: 'ranker', tier: 'model' };
    expect(matchesLabels(parseLabelSelector('app in (ranker,scorer),tier,!canary'), labels)).toBe(
      true,
    );
    expect(matchesLabels(parseLabelSelector('app notin (ranker)'), labels)).toBe(false);
    expect(matchesLabels(parseLabelSelector('tier!=model'), labels)).toBe(false);
    expect(errorOf(() => parseLabelSelector('app in ranker')).code).toBe(400);
  });

  it('applies strategic merge directives the way kubectl sends them', () => {
    const original = {
      spec: {
        containers: [
          { name: 'a', image: 'x:1', env: [{ name: 'K', value: '1' }], args: ['--one'] },
          { name: 'b', image: 'y:1' },
        ],
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      },
      metadata: { finalizers: ['one', 'two'] },
    };
    const patched = strategicMergePatch(original, {
      spec: {
        containers: [
          { name: 'b', $patch: 'delete' },
          { name: 'a', args: ['--two'] },
        ],
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
      },
      metadata: { '$deleteFromPrimitiveList/finalizers': ['one'] },
    }) as Obj;
    expect(patched.spec.containers).toEqual([
      { name: 'a', image: 'x:1', env: [{ name: 'K', value: '1' }], args: ['--two'] },
    ]);
    expect(patched.spec.strategy).toEqual({ type: 'Recreate' });
    expect(patched.metadata.finalizers).toEqual(['two']);
  });

  it('fails a JSON patch whose test operation does not hold', () => {
    const error = errorOf(() =>
      jsonPatch({ a: 1 }, [
        { op: 'test', path: '/a', value: 2 },
        { op: 'replace', path: '/a', value: 3 },
      ]),
    );
    expect(error.code).toBe(422);
  });

  it('removes fields an applier stops setting unless another manager owns them', () => {
    const api = new ClusterApi();
    const cm = api.type('', 'ConfigMap');
    const apply = (data: Obj, manager = 'deploy', force = false) =>
      api.patch(
        cm,
        'default',
        'settings',
        'apply',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data },
        { manager, force },
      ).object as Obj;
    apply({ a: '1', b: '2', c: '3' });
    api.patch(
      cm,
      'default',
      'settings',
      'merge',
      { data: { c: '33', d: '4' } },
      { manager: 'kubectl-edit' },
    );
    const after = apply({ a: '1' });
    // b was only ours: gone. c was taken over by kubectl-edit's change: stays. d was never ours.
    expect(after.data).toEqual({ a: '1', c: '33', d: '4' });
    const managers = after.metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`);
    expect(managers).toEqual(['deploy/Apply', 'kubectl-edit/Update']);
  });

  it('names every conflicting field and manager in a multi-conflict apply', () => {
    const api = new ClusterApi();
    const cm = api.type('', 'ConfigMap');
    const body = (data: Obj) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data,
    });
    api.patch(cm, 'default', 'x', 'apply', body({ a: '1' }), { manager: 'first' });
    api.patch(cm, 'default', 'x', 'apply', body({ b: '1' }), { manager: 'second' });
    const error = errorOf(() =>
      api.patch(cm, 'default', 'x', 'apply', body({ a: '2', b: '2' }), { manager: 'third' }),
    );
    expect(error.code).toBe(409);
    expect(error.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "first":\n- .data.a\nconflicts with "second":\n- .data.b',
    );
    expect(error.details?.causes).toEqual([
      { type: 'FieldManagerConflict', message: 'conflict with "first"', field: '.data.a' },
      { type: 'FieldManagerConflict', message: 'conflict with "second"', field: '.data.b' },
    ]);
  });

  it('bumps generation for spec changes only and keeps resourceVersion on a no-op apply', () => {
    const api = new ClusterApi();
    const deploy = api.type('apps', 'Deployment');
    const body = (replicas: number, note: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', annotations: { note } },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    });
    const first = api.patch(deploy, 'default', 'd', 'apply', body(1, 'a'), { manager: 'm' })
      .object as Obj;
    const same = api.patch(deploy, 'default', 'd', 'apply', body(1, 'a'), { manager: 'm' })
      .object as Obj;
    expect(same.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const annotated = api.patch(deploy, 'default', 'd', 'apply', body(1, 'b'), { manager: 'm' })
      .object as Obj;
    expect(annotated.metadata.generation).toBe(1);
    const scaled = api.patch(deploy, 'default', 'd', 'apply', body(2, 'b'), { manager: 'm' })
      .object as Obj;
    expect(scaled.metadata.generation).toBe(2);
    const status = api.update(
      deploy,
      'default',
      'd',
      { ...scaled, status: { replicas: 9 } },
      { manager: 'x', subresource: 'status' },
    );
    expect((status as Obj).metadata.generation).toBe(2);
    expect((status as Obj).status.replicas).toBe(9);
  });

  it('holds deletion while finalizers remain, then completes it when they are removed', () => {
    const api = new ClusterApi();
    const cm = api.type('', 'ConfigMap');
    api.create(
      cm,
      'default',
      { metadata: { name: 'held', finalizers: ['model-deploy/cleanup'] } },
      { manager: 'm' },
    );
    api.delete(cm, 'default', 'held');
    expect((api.get(cm, 'default', 'held') as Obj).metadata.deletionTimestamp).toBeTruthy();
    api.patch(cm, 'default', 'held', 'merge', { metadata: { finalizers: null } }, { manager: 'm' });
    expect(api.tryGet(cm, 'default', 'held')).toBeUndefined();
  });

  it('refuses objects in a namespace that does not exist', () => {
    const api = new ClusterApi();
    const error = errorOf(() =>
      api.create(
        api.type('', 'ConfigMap'),
        'nowhere',
        { metadata: { name: 'x' } },
        { manager: 'm' },
      ),
    );
    expect(error).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
  });
});
