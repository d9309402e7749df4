import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ObjectReader } from '../../../../shared/clouds/aws/s3-objects.ts';
import { UserError } from '../../../../shared/common/errors.ts';
import { mapConcurrently } from '../../../../shared/common/concurrency.ts';
import { startMoto, type LocalMoto } from '../../../support/moto.ts';
import { freePort } from '../../../support/processes.ts';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

describe('S3 object reader against moto', () => {
  let moto: LocalMoto;
  const saved = { ...process.env };
  /** More keys than one ListObjectsV2 page (1000) holds. */
  const MANY = 1005;
  beforeAll(async () => {
    moto = await startMoto();
    // Credentials for the default chain the reader uses; the endpoint is given to it.
    Object.assign(process.env, moto.env);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'models' }));
    const put = (key: string, body: string) =>
      s3.send(new PutObjectCommand({ Bucket: 'models', Key: key, Body: body }));
    await put('dvc/files/md5/ab/cdef', 'weights-bytes');
    await put('dvc/files/md5/ab/0123', '{"labels": 3}');
    await put('other/readme', 'x');
    const keys = Array.from({ length: MANY }, (_, i) => `many/${String(i).padStart(4, '0')}`);
    await mapConcurrently(keys, 16, (key) => put(key, 'y'));
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await moto?.stop();
  });

  const reader = () => s3ObjectReader({ bucket: 'models', endpoint: moto.endpoint });

  it('says whether an object exists', async () => {
    await expect(reader().exists('dvc/files/md5/ab/cdef')).resolves.toBe(true);
    await expect(reader().exists('dvc/files/md5/ab/missing')).resolves.toBe(false);
  });

  it('opens an object as a stream of its bytes', async () => {
    await expect(text(await reader().open('dvc/files/md5/ab/cdef'))).resolves.toBe('weights-bytes');
  });

  it('lists the objects under a prefix with their sizes', async () => {
    const listed = await reader().list('dvc/');
    expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'dvc/files/md5/ab/0123', size: '{"labels": 3}'.length },
      { key: 'dvc/files/md5/ab/cdef', size: 'weights-bytes'.length },
    ]);
    await expect(reader().list('nothing-here/')).resolves.toEqual([]);
  });

  it('follows continuation tokens past the first page', async () => {
    const listed = await reader().list('many/');
    expect(listed).toHaveLength(MANY);
    expect(new Set(listed.map((o) => o.key)).size).toBe(MANY);
    expect(listed.every((o) => o.size === 1)).toBe(true);
  });

  it("lets the SDK's NoSuchKey through for a missing object, not a made-up explanation", async () => {
    const failure = await reader()
      .open('dvc/files/md5/ab/missing')
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    // Not a credential, network or refusal problem: the SDK's own error goes through.
    expect((failure as Error).name).toBe('NoSuchKey');
  });
});

describe('S3 object reader failures', () => {
  const saved = { ...process.env };
  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('names the object and the endpoint variables when the endpoint is unreachable', async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_MAX_ATTEMPTS: '1',
    });
    const port = await freePort();
    const r = s3ObjectReader({
      bucket: 'models',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
    });
    for (const attempt of [r.exists('a/b'), r.open('a/b')]) {
      const failure = await attempt.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(UserError);
      expect((failure as UserError).message).toMatch(/^reading s3:\/\/models\/a\/b: .*refused/);
      expect((failure as UserError).hint).toMatch(/AWS_ENDPOINT_URL/);
    }
    const listing = await r.list('a/').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((listing as UserError).message).toMatch(/^listing s3:\/\/models\/a\/: /);
  });
});
