import { describe, expect, it } from 'vitest';
import type { ReleaseRecord } from '../../../shared/kube/history.ts';
import { RELEASE_LABEL, type KubeObject } from '../../../shared/kube/objects.ts';
import {
  pendingRecord,
  releaseContent,
  type ReleaseRequest,
} from '../../../shared/kube/release.ts';
import { silentLogger } from '../../../shared/common/logger.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'iris' },
  spec: { template: { metadata: { labels: { app: 'iris' } } } },
};

function request(extra: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    release: 'iris',
    namespace: 'models',
    objects: [deployment],
    image: 'reg/iris@' + DIGEST,
    imageDigest: DIGEST,
    modelVersion: '3',
    timeoutMs: 60_000,
    rollbackOnFailure: true,
    prune: true,
    dryRun: false,
    historyLimit: 10,
    holder: 'me',
    logger: silentLogger,
    ...extra,
  };
}

function record(revision: number, result: ReleaseRecord['result'], image: string): ReleaseRecord {
  return {
    release: 'iris',
    revision,
    result,
    hash: `h${revision}`,
    image,
    time: '2026-01-01T00:00:00.000Z',
    source: 'deploy',
    manifests: [{ ...deployment, metadata: { name: 'iris', namespace: 'models' } }],
    ...(revision === 1 ? { imageDigest: DIGEST, modelVersion: '1' } : {}),
  };
}

describe('what a release applies', () => {
  it('is the new render, labelled for the release and put in its namespace', () => {
    const content = releaseContent(request(), [], []);
    expect(content.source).toBe('deploy');
    expect(content.image).toBe(request().image);
    expect(content.imageDigest).toBe(DIGEST);
    expect(content.objects[0]!.metadata.namespace).toBe('models');
    expect(content.objects[0]!.metadata.labels).toMatchObject({
      [RELEASE_LABEL]: 'iris',
    });
    expect(deployment.metadata.namespace).toBeUndefined();
  });

  it('is the recorded revision for a restore, with its image, digest and version', () => {
    const records = [record(1, 'superseded', 'reg/iris:1'), record(2, 'deployed', 'reg/iris:2')];
    const content = releaseContent(request({ rollbackTo: 'previous' }), records, []);
    expect(content).toMatchObject({
      image: 'reg/iris:1',
      imageDigest: DIGEST,
      modelVersion: '1',
      source: 'rollback to 1',
    });
    expect(content.objects).toBe(records[0]!.manifests);
  });

  it('says why a restore has no target, naming a refused history Secret', () => {
    const records = [record(2, 'deployed', 'reg/iris:2')];
    expect(() => releaseContent(request({ rollbackTo: '5' }), records, [])).toThrow(
      /cannot roll iris back to 5: revision 5 is not in the history \(known: 2\)/,
    );
    const refused = [{ secret: 'model-deploy.iris.v5', revision: 5, reason: 'not ours' }];
    expect(() => releaseContent(request({ rollbackTo: '5' }), records, refused)).toThrow(
      /its history Secret model-deploy.iris.v5 was refused: not ours/,
    );
  });
});

describe('the pending record', () => {
  it('records the revision with who made it, only with the facts it has', () => {
    const content = releaseContent(request({ gitSha: 'abc', actor: 'octo' }), [], []);
    const now = new Date('2026-02-03T04:05:06Z');
    const pending = pendingRecord(request({ gitSha: 'abc', actor: 'octo' }), content, 4, 'h', now);
    expect(pending).toMatchObject({
      release: 'iris',
      revision: 4,
      result: 'pending',
      hash: 'h',
      time: '2026-02-03T04:05:06.000Z',
      source: 'deploy',
      imageDigest: DIGEST,
      modelVersion: '3',
      gitSha: 'abc',
      actor: 'octo',
    });
    expect(pending).not.toHaveProperty('runUrl');
    const bare = pendingRecord(
      request({ imageDigest: undefined, modelVersion: undefined }),
      {
        ...content,
        imageDigest: undefined,
        modelVersion: undefined,
      },
      1,
      'h',
    );
    expect(bare).not.toHaveProperty('imageDigest');
    expect(bare).not.toHaveProperty('modelVersion');
  });
});
