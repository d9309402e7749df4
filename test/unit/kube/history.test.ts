import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  clusterMatchesServing,
  decodeRecord,
  encodeRecord,
  findRollbackTarget,
  nextRevision,
  revisionsBeyondLimit,
  servingRevision,
  type ReleaseRecord,
} from '../../../shared/kube/history.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

function record(revision: number, result: ReleaseRecord['result'], image = 'a'): ReleaseRecord {
  return {
    release: 'm',
    revision,
    result,
    hash: `sha256:${revision}`,
    image: `r/m@${digest(image)}`,
    imageDigest: digest(image),
    time: '2026-11-28T00:00:00.000Z',
    source: 'deploy',
    manifests: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'm',
          namespace: 'ns',
          labels: {
            'app.kubernetes.io/managed-by': 'model-deploy',
            'model-deploy.io/release': 'm',
          },
        },
      },
    ],
  };
}

const expected = { release: 'm', namespace: 'ns' };

/** A history Secret as encodeRecord writes it, with its manifests replaced. */
function withManifests(manifests: unknown, raw?: Buffer): ReturnType<typeof encodeRecord> {
  const secret = encodeRecord(record(2, 'deployed'), 'ns');
  const bytes = raw ?? gzipSync(Buffer.from(JSON.stringify(manifests)));
  return { ...secret, data: { manifests: bytes.toString('base64') } };
}

describe('release history', () => {
  it('stores a revision as a Secret with gzip+base64 manifests and reads it back', () => {
    const original = {
      ...record(3, 'deployed'),
      gitSha: 'abc',
      actor: 'octocat',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      modelVersion: '7',
    };
    const secret = encodeRecord(original, 'ns') as ReturnType<typeof encodeRecord> & {
      data: { manifests: string };
    };
    expect(secret.metadata.name).toBe('model-deploy.m.v3');
    expect(secret.metadata.labels).toMatchObject({
      'model-deploy.io/history-of': 'm',
      'model-deploy.io/revision': '3',
    });
    expect(secret.metadata.labels?.['model-deploy.io/release']).toBeUndefined();
    expect(secret.metadata.annotations).toMatchObject({
      'model-deploy.io/git-sha': 'abc',
      'model-deploy.io/image-digest': digest('a'),
    });
    expect(JSON.parse(gunzipSync(Buffer.from(secret.data.manifests, 'base64')).toString())).toEqual(
      original.manifests,
    );
    expect(decodeRecord(secret, expected)).toEqual(original);
  });

  it('knows which revision serves, the next number, and which to trim', () => {
    const records = [
      record(1, 'superseded'),
      record(2, 'deployed'),
      record(3, 'failed'),
      record(4, 'pending'),
    ];
    expect(servingRevision(records)?.revision).toBe(2);
    expect(nextRevision(records)).toBe(5);
    expect(revisionsBeyondLimit(records, 2)).toEqual([1]);
    expect(
      revisionsBeyondLimit([record(1, 'deployed'), record(2, 'failed'), record(3, 'failed')], 1),
    ).toEqual([2]);
  });

  it('knows whether the cluster still runs the serving revision', () => {
    expect(clusterMatchesServing([record(1, 'deployed'), record(2, 'rolled-back')])).toBe(true);
    expect(clusterMatchesServing([record(1, 'deployed'), record(2, 'failed')])).toBe(false);
    expect(clusterMatchesServing([record(1, 'deployed'), record(2, 'pending')])).toBe(false);
    expect(clusterMatchesServing([record(1, 'failed')])).toBe(false);
  });

  it('finds rollback targets by previous, number and digest', () => {
    const records = [
      record(1, 'superseded', 'a'),
      record(2, 'superseded', 'b'),
      record(3, 'failed', 'c'),
      record(4, 'deployed', 'd'),
    ];
    expect(findRollbackTarget(records, 'previous')).toMatchObject({ revision: 2 });
    expect(findRollbackTarget(records, '1')).toMatchObject({ revision: 1 });
    expect(findRollbackTarget(records, digest('a'))).toMatchObject({ revision: 1 });
    expect(findRollbackTarget(records, '3')).toEqual({
      problem: 'revision 3 never rolled out successfully; it cannot be restored',
    });
    expect(findRollbackTarget(records, '9')).toEqual({
      problem: 'revision 9 is not in the history (known: 1, 2, 3, 4)',
    });
    expect(findRollbackTarget(records, digest('c'))).toEqual({
      problem: `no successful revision ran the image ${digest('c')}`,
    });
    expect(findRollbackTarget([record(1, 'deployed')], 'previous')).toEqual({
      problem: 'there is no successful revision before the one serving',
    });
  });

  it('refuses a record this release did not write, naming why', () => {
    const good = encodeRecord(record(2, 'deployed'), 'ns');
    expect(() => decodeRecord({ ...good, type: 'Opaque' }, expected)).toThrow(
      'it is of type Opaque, not model-deploy.io/release.v1',
    );
    expect(() => decodeRecord(good, { release: 'other', namespace: 'ns' })).toThrow(
      'it belongs to release m',
    );
    expect(() =>
      decodeRecord(
        withManifests([
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: 'own' },
          },
        ]),
        expected,
      ),
    ).toThrow(/holds a ClusterRoleBinding, which a restore does not apply/);
    expect(() =>
      decodeRecord(
        withManifests([
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'm', namespace: 'kube-system' } },
        ]),
        expected,
      ),
    ).toThrow('it holds Service/m in namespace kube-system, not ns');
    expect(() => decodeRecord(withManifests({ not: 'a list' }), expected)).toThrow(
      'its manifests are not a list',
    );
  });

  it('stops unpacking a compression bomb at the cap', () => {
    // 64 MiB of one byte gzips to about 64 KiB, well inside a Secret.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(() => decodeRecord(withManifests(undefined, bomb), expected)).toThrow(
      'its manifests unpack to more than 8 MiB',
    );
  });

  it('relabels restored objects as this release and puts them in its namespace', () => {
    const decoded = decodeRecord(
      withManifests([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'c', labels: { 'model-deploy.io/release': 'other' } },
        },
      ]),
      expected,
    );
    expect(decoded.manifests[0]?.metadata).toMatchObject({
      namespace: 'ns',
      labels: { 'model-deploy.io/release': 'm', 'app.kubernetes.io/managed-by': 'model-deploy' },
    });
  });
});
