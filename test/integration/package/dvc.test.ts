import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { resolveModel } from '../../../shared/model/sources/resolve.ts';
import { silentLogger } from '../../../shared/common/logger.ts';
import { createDvcProject, type DvcProject } from '../../support/dvc-project.ts';
import { float32Weights } from '../../support/model-files.ts';
import { startMoto, type LocalMoto } from '../../support/moto.ts';

const temps: string[] = [];
const temp = (prefix = 'md-dvc-test-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
const projects: DvcProject[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  for (const p of projects) p.remove();
});

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
/** Where DVC 3 keeps an md5 object in a remote. */
const objectPath = (remote: string, hash: string) =>
  join(remote, 'files', 'md5', hash.slice(0, 2), hash.slice(2));
const resolve = (model: string, workDir = temp()) =>
  resolveModel(model, { mlflowAuth: {}, workDir, logger: silentLogger });

describe('DVC-tracked models (real dvc add / dvc push / dvc repro, local remote)', () => {
  let project: DvcProject;
  let remote: string;
  const v1 = float32Weights(8192, 1);
  const v2 = float32Weights(8192, 2);
  const weights = float32Weights(4096, 3);
  const tokenizer = Buffer.from('{"vocab": ["a", "b"]}\n');
  let first: string;

  beforeAll(async () => {
    project = await createDvcProject();
    projects.push(project);
    remote = temp('md-dvc-remote-');
    await project.dvc('remote', 'add', '-d', 'storage', remote);
    // A file changed between two commits.
    project.write('models/classifier.onnx', v1);
    await project.dvc('add', 'models/classifier.onnx');
    first = await project.commit('classifier v1');
    await project.dvc('push', '-q');
    project.write('models/classifier.onnx', v2);
    await project.dvc('add', 'models/classifier.onnx');
    // A folder output (.dir listing).
    project.write('llm/model.safetensors', weights);
    project.write('llm/tokenizer/tokenizer.json', tokenizer);
    await project.dvc('add', 'llm');
    // A stage output recorded in dvc.lock.
    project.write(
      'export.py',
      [
        'import os',
        'os.makedirs("exported", exist_ok=True)',
        'with open("exported/model.onnx", "wb") as f:',
        '    f.write(bytes(range(256)) * 64)',
      ].join('\n'),
    );
    await project.dvc(
      'stage',
      'add',
      '-q',
      '-n',
      'export',
      '-d',
      'export.py',
      '-o',
      'exported/model.onnx',
      'python3 export.py',
    );
    await project.dvc('repro', '-q');
    await project.commit('classifier v2, llm, export stage');
    await project.dvc('push', '-q');
    // The workspace copies are gone, as on a fresh CI checkout.
    rmSync(join(project.root, 'models', 'classifier.onnx'));
    rmSync(join(project.root, 'llm'), { recursive: true });
    rmSync(join(project.root, 'exported'), { recursive: true });
    rmSync(join(project.root, '.dvc', 'cache'), { recursive: true });
  }, 600_000);

  it('fetches a file by the md5 in its .dvc file, and the older bytes at the older commit', async () => {
    const latest = await resolve(join(project.root, 'models', 'classifier.onnx'));
    expect(latest.source.kind).toBe('dvc');
    expect(latest.source.dvc).toMatchObject({ md5: md5(v2), remote });
    expect(readFileSync(latest.path).equals(v2)).toBe(true);

    await project.git('checkout', '-q', first, '--', 'models/classifier.onnx.dvc');
    try {
      const older = await resolve(join(project.root, 'models', 'classifier.onnx.dvc'));
      expect(older.source.dvc?.md5).toBe(md5(v1));
      expect(readFileSync(older.path).equals(v1)).toBe(true);
    } finally {
      await project.git('checkout', '-q', 'HEAD', '--', 'models/classifier.onnx.dvc');
    }
  });

  it('fetches a folder output through its .dir listing, verifying every file', async () => {
    const resolved = await resolve(join(project.root, 'llm'));
    expect(resolved.source.dvc?.md5).toMatch(/^[0-9a-f]{32}\.dir$/);
    expect(readFileSync(join(resolved.path, 'model.safetensors')).equals(weights)).toBe(true);
    expect(readFileSync(join(resolved.path, 'tokenizer', 'tokenizer.json')).equals(tokenizer)).toBe(
      true,
    );
  });

  it('fetches a stage output named in dvc.lock', async () => {
    const resolved = await resolve(join(project.root, 'exported', 'model.onnx'));
    const expected = Buffer.from(Array.from({ length: 64 }, () => [...Array(256).keys()]).flat());
    expect(readFileSync(resolved.path).equals(expected)).toBe(true);
    expect(resolved.source.dvc).toMatchObject({
      file: join(project.root, 'dvc.lock'),
      stage: 'export',
      md5: md5(expected),
    });
  });

  it('refuses when the remote misses one file, naming the model, the remote and the fix', async () => {
    const missing = objectPath(remote, md5(tokenizer));
    const kept = readFileSync(missing);
    unlinkSync(missing);
    try {
      const workDir = temp();
      const model = join(project.root, 'llm');
      const err = (await resolve(model, workDir).catch((e: unknown) => e)) as Error & {
        hint?: string;
      };
      expect(err.message).toBe(
        `${model}: DVC object ${md5(tokenizer)} for llm/tokenizer/tokenizer.json is not in the remote ${remote}`,
      );
      expect(err.hint).toMatch(/dvc push/);
      expect(existsSync(join(workDir, 'dvc'))).toBe(false);
    } finally {
      writeFileSync(missing, kept);
    }
  });

  it('refuses bytes that do not match their hash, and leaves nothing to package', async () => {
    const object = objectPath(remote, md5(weights));
    const kept = readFileSync(object);
    const corrupt = Buffer.from(kept);
    corrupt[10] = corrupt[10]! ^ 0xff;
    writeFileSync(object, corrupt);
    try {
      const workDir = temp();
      const model = join(project.root, 'llm');
      const err = (await resolve(model, workDir).catch((e: unknown) => e)) as Error & {
        hint?: string;
      };
      expect(err.message).toBe(
        `${model}: DVC hash mismatch for llm/model.safetensors: the bytes in the remote ${remote} hash to md5 ${md5(corrupt)}, DVC recorded ${md5(weights)}`,
      );
      expect(err.hint).toMatch(/dvc push --force/);
      expect(existsSync(join(workDir, 'dvc'))).toBe(false);
    } finally {
      writeFileSync(object, kept);
    }
  });
});

describe('DVC 2 outputs: md5-dos2unix, hashed by dvc-data itself', () => {
  it('verifies a CRLF text file (two 1 MiB blocks) and a binary file in the DVC 2 remote layout', async () => {
    const project = await createDvcProject();
    projects.push(project);
    const remote = temp('md-dvc2-remote-');
    await project.dvc('remote', 'add', '-d', 'legacy', remote);
    const lines = Array.from({ length: 90_000 }, (_, i) => `label ${i}\r\n`).join('');
    const text = Buffer.from(lines);
    const binary = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('\r\n'.repeat(100))]);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    project.write('labels.txt', text);
    project.write('weights.bin', binary);
    const textHash = await project.dvcHash(join(project.root, 'labels.txt'), 'md5-dos2unix');
    const binaryHash = await project.dvcHash(join(project.root, 'weights.bin'), 'md5-dos2unix');
    expect(textHash).not.toBe(md5(text));
    expect(binaryHash).toBe(md5(binary));
    for (const [hash, data] of [
      [textHash, text],
      [binaryHash, binary],
    ] as const) {
      mkdirSync(join(remote, hash.slice(0, 2)), { recursive: true });
      writeFileSync(join(remote, hash.slice(0, 2), hash.slice(2)), data);
    }
    // As DVC 2 wrote .dvc files: no `hash:` field.
    project.write(
      'labels.txt.dvc',
      `outs:\n- md5: ${textHash}\n  size: ${text.length}\n  path: labels.txt\n`,
    );
    project.write(
      'weights.bin.dvc',
      `outs:\n- md5: ${binaryHash}\n  size: ${binary.length}\n  path: weights.bin\n`,
    );
    rmSync(join(project.root, 'labels.txt'));
    rmSync(join(project.root, 'weights.bin'));

    const labels = await resolve(join(project.root, 'labels.txt'));
    expect(readFileSync(labels.path).equals(text)).toBe(true);
    const weights = await resolve(join(project.root, 'weights.bin.dvc'));
    expect(readFileSync(weights.path).equals(binary)).toBe(true);

    // DVC 3 `hash: md5` is the plain md5: the dos2unix hash no longer matches the bytes.
    project.write(
      'labels.txt.dvc',
      `outs:\n- md5: ${textHash}\n  size: ${text.length}\n  hash: md5\n  path: labels.txt\n`,
    );
    await expect(resolve(join(project.root, 'labels.txt.dvc'))).rejects.toThrow(
      `the bytes in the remote ${remote} hash to md5 ${md5(text)}, DVC recorded ${textHash}`,
    );
  });

  it('refuses an md5 that is not 32 hex digits and a .dir listing entry outside the folder', async () => {
    const project = await createDvcProject();
    projects.push(project);
    const remote = temp('md-dvc-bad-remote-');
    await project.dvc('remote', 'add', '-d', 'store', remote);
    project.write('m.dvc', 'outs:\n- md5: ../../etc/passwd\n  path: m.onnx\n');
    await expect(resolve(join(project.root, 'm.dvc'))).rejects.toThrow(
      "has md5 '../../etc/passwd', not 32 hex digits",
    );
    const listing = JSON.stringify([{ md5: md5('x'), relpath: '../escape.txt' }]);
    const listingMd5 = md5(listing);
    mkdirSync(join(remote, 'files', 'md5', listingMd5.slice(0, 2)), { recursive: true });
    writeFileSync(objectPath(remote, `${listingMd5}.dir`), listing);
    project.write('folder.dvc', `outs:\n- md5: ${listingMd5}.dir\n  hash: md5\n  path: folder\n`);
    const workDir = temp();
    await expect(resolve(join(project.root, 'folder.dvc'), workDir)).rejects.toThrow(
      'has an unsafe entry',
    );
    expect(existsSync(join(workDir, 'dvc'))).toBe(false);
  });
});

describe('DVC-tracked models (dvc push to S3 with dvc-s3, against moto)', () => {
  let moto: LocalMoto;
  const saved: Record<string, string | undefined> = {};
  const weights = float32Weights(4096, 21);
  const card = Buffer.from('{"labels": 10}');
  let s3: S3Client;
  let project: Awaited<ReturnType<typeof createDvcProject>>;
  // The DVC CLI's part (five Python processes) is the setup; the test is what package does.
  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(moto.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1' });
    await s3.send(new CreateBucketCommand({ Bucket: 'dvc-store' }));
    project = await createDvcProject({ ...moto.env });
    projects.push(project);
    await project.dvc('remote', 'add', '-d', 's3', 's3://dvc-store/cache');
    await project.dvc('remote', 'modify', 's3', 'endpointurl', moto.endpoint);
    project.write('classifier/model.onnx', weights);
    project.write('classifier/labels.json', card);
    await project.dvc('add', 'classifier');
    await project.commit('classifier');
    await project.dvc('push', '-q');
    rmSync(join(project.root, 'classifier'), { recursive: true });
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto?.stop();
  });

  it('fetches what dvc push wrote to s3:// with the standard AWS credentials, and refuses a tampered object', async () => {
    const resolved = await resolve(join(project.root, 'classifier.dvc'));
    expect(resolved.source.dvc?.remote).toBe('s3://dvc-store/cache');
    expect(readFileSync(join(resolved.path, 'model.onnx')).equals(weights)).toBe(true);
    expect(readFileSync(join(resolved.path, 'labels.json')).equals(card)).toBe(true);

    const hash = md5(card);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'dvc-store',
        Key: `cache/files/md5/${hash.slice(0, 2)}/${hash.slice(2)}`,
        Body: '{"labels": 11}',
      }),
    );
    await expect(resolve(join(project.root, 'classifier.dvc'))).rejects.toThrow(
      'DVC hash mismatch for classifier/labels.json: the bytes in the remote s3://dvc-store/cache',
    );
  });
});
