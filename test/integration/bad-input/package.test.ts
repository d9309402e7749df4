import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/package/main.ts';
import { readLayout } from '../../../shared/oci/layout.ts';
import {
  declaredInputs,
  expectClearRefusal,
  runWithInputs,
  type BadInputRow,
} from '../../support/bad-input-table.ts';

const root = mkdtempSync(join(tmpdir(), 'md-bad-package-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string> = { 'model.bin': 'weights' }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

const goodModel = folder('good');
const valid = { model: goodModel, name: 'm', runtime: 'custom', 'base-image': 'scratch' };

const escapingLink = folder('escaping-link');
symlinkSync('../good/model.bin', join(escapingLink, 'weights.bin'));
const absoluteLink = folder('absolute-link');
symlinkSync(join(goodModel, 'model.bin'), join(absoluteLink, 'weights.bin'));
const absoluteInsideLink = folder('absolute-inside-link');
symlinkSync(join(absoluteInsideLink, 'model.bin'), join(absoluteInsideLink, 'alias.bin'));
const danglingLink = folder('dangling-link');
symlinkSync('missing.bin', join(danglingLink, 'weights.bin'));

/**
 * A device file when running as root (mknod), else a FIFO: either is a file
 * that has no bytes of its own to put in an image.
 */
const specialFile = folder('special-file');
let specialKind = 'a FIFO';
try {
  if (process.getuid?.() !== 0) throw new Error('not root');
  execFileSync('mknod', [join(specialFile, 'null-device'), 'c', '1', '3']);
  specialKind = 'a device file';
} catch {
  execFileSync('mkfifo', [join(specialFile, 'pipe')]);
}

const emptyFile = join(root, 'empty.onnx');
writeFileSync(emptyFile, '');
const emptyFolder = folder('empty-folder', {});

/** A name that is not UTF-8 (Latin-1 "é" as the single byte 0xE9). */
const nonUtf8 = folder('non-utf8');
writeFileSync(
  Buffer.concat([Buffer.from(`${nonUtf8}/caf`), Buffer.from([0xe9]), Buffer.from('.bin')]),
  'x',
);

const existingFile = join(root, 'a-file');
writeFileSync(existingFile, 'not a folder');
const dockerfile = join(root, 'Dockerfile');
writeFileSync(dockerfile, 'FROM scratch\n');
const twoRegistries = join(root, 'Dockerfile.two');
writeFileSync(
  twoRegistries,
  'FROM registry-a.example.com/base:1 AS build\nFROM registry-b.example.com/runtime:1\n',
);

const rows: BadInputRow[] = [
  { input: 'model', case: 'missing', inputs: { ...valid, model: '' } },
  {
    input: 'model',
    case: 'path that does not exist',
    inputs: { ...valid, model: join(root, 'nope') },
  },
  {
    input: 'model',
    case: 'symlink escaping the folder (relative ../)',
    inputs: { ...valid, model: escapingLink },
  },
  {
    input: 'model',
    case: 'absolute symlink to a file outside',
    inputs: { ...valid, model: absoluteLink },
  },
  { input: 'model', case: 'dangling symlink', inputs: { ...valid, model: danglingLink } },
  {
    input: 'model',
    case: `${specialKind} in the folder`,
    inputs: { ...valid, model: specialFile },
  },
  { input: 'model', case: 'a 0-byte model file', inputs: { ...valid, model: emptyFile } },
  { input: 'model', case: 'a folder with no files', inputs: { ...valid, model: emptyFolder } },
  { input: 'model', case: 'a file name that is not UTF-8', inputs: { ...valid, model: nonUtf8 } },
  {
    input: 'model',
    case: 'models:/ URI without a version or alias',
    inputs: { ...valid, model: 'models:/resnet' },
  },
  { input: 'model', case: 'the root folder', inputs: { ...valid, model: '/' } },
  { input: 'name', case: 'missing', inputs: { ...valid, name: '' } },
  { input: 'name', case: 'spaces and punctuation', inputs: { ...valid, name: 'my model!' } },
  { input: 'name', case: 'path traversal', inputs: { ...valid, name: '../../etc' } },
  { input: 'name', case: '64 characters', inputs: { ...valid, name: 'a'.repeat(64) } },
  // deploy would refuse it as a release name after the push; package refuses it first.
  { input: 'name', case: 'underscore and capitals', inputs: { ...valid, name: 'ResNet_50' } },
  {
    input: 'version',
    case: 'not a whole number for triton',
    inputs: { ...valid, runtime: 'triton', version: 'v1.2' },
  },
  {
    input: 'version',
    case: 'only punctuation (no tag can be made)',
    inputs: { ...valid, version: '../..' },
  },
  { input: 'runtime', case: 'unknown runtime', inputs: { ...valid, runtime: 'tensorrt' } },
  { input: 'base-image', case: 'missing for custom', inputs: { ...valid, 'base-image': '' } },
  {
    input: 'base-image',
    case: 'upper case repository and two colons',
    inputs: { ...valid, 'base-image': 'Example.com/Org/Image::1' },
  },
  {
    input: 'base-image',
    case: 'short digest',
    inputs: { ...valid, 'base-image': 'ghcr.io/org/img@sha256:abc' },
  },
  {
    input: 'base-image',
    case: 'a URL instead of a reference',
    inputs: { ...valid, 'base-image': 'https://ghcr.io/org/img:1' },
  },
  {
    input: 'base-image-username',
    case: 'without a password',
    names: 'base-image-password',
    inputs: { ...valid, 'base-image-username': 'robot' },
  },
  {
    input: 'base-image-password',
    case: 'without a user name',
    names: 'base-image-username',
    inputs: { ...valid, 'base-image-password': 'hunter2hunter2' },
  },
  {
    input: 'base-image-username',
    case: 'a Dockerfile pulling from two registries and no base-image to say which',
    inputs: {
      ...valid,
      'base-image': '',
      dockerfile: twoRegistries,
      context: root,
      'base-image-username': 'robot',
      'base-image-password': 'hunter2hunter2',
    },
  },
  { input: 'platforms', case: 'no architecture', inputs: { ...valid, platforms: 'linux' } },
  {
    input: 'platforms',
    case: 'too many parts',
    inputs: { ...valid, platforms: 'linux/arm64/v8/extra' },
  },
  {
    input: 'entrypoint',
    case: 'JSON array with a number',
    inputs: { ...valid, entrypoint: '["python", 1]' },
  },
  {
    input: 'entrypoint',
    case: 'broken JSON array',
    inputs: { ...valid, entrypoint: '["python", ' },
  },
  { input: 'cmd', case: 'JSON array of objects', inputs: { ...valid, cmd: '[{"a": 1}]' } },
  { input: 'cmd', case: 'broken JSON array', inputs: { ...valid, cmd: '[serve' } },
  { input: 'env', case: 'a line without =', inputs: { ...valid, env: 'JUST_A_NAME' } },
  {
    input: 'env',
    case: 'a JSON list instead of a mapping',
    inputs: { ...valid, env: '{"A": [1, 2' },
  },
  { input: 'ports', case: 'out of range', inputs: { ...valid, ports: '99999' } },
  { input: 'ports', case: 'a name instead of a number', inputs: { ...valid, ports: 'http' } },
  { input: 'labels', case: 'a line without =', inputs: { ...valid, labels: 'team' } },
  { input: 'annotations', case: 'a line without =', inputs: { ...valid, annotations: '=value' } },
  {
    input: 'annotations',
    case: 'broken JSON mapping',
    inputs: { ...valid, annotations: '{"a": ' },
  },
  { input: 'output', case: 'an existing file', inputs: { ...valid, output: existingFile } },
  { input: 'output', case: 'the model folder itself', inputs: { ...valid, output: goodModel } },
  { input: 'source-date-epoch', case: 'negative', inputs: { ...valid, 'source-date-epoch': '-1' } },
  {
    input: 'source-date-epoch',
    case: 'a date instead of seconds',
    inputs: { ...valid, 'source-date-epoch': '2024-01-01' },
  },
  {
    input: 'include-base-layers',
    case: 'yes instead of true',
    inputs: { ...valid, 'include-base-layers': 'yes' },
  },
  {
    input: 'insecure-registries',
    case: 'a URL with a path instead of a host',
    inputs: { ...valid, 'insecure-registries': 'http://registry.local:5000/v2' },
  },
  {
    input: 'mlflow-tracking-uri',
    case: 'not a URL',
    inputs: { ...valid, model: 'models:/resnet/1', 'mlflow-tracking-uri': 'mlflow server' },
  },
  {
    input: 'mlflow-tracking-uri',
    case: 'an unsupported scheme',
    inputs: { ...valid, model: 'models:/resnet/1', 'mlflow-tracking-uri': 'ftp://127.0.0.1:1/' },
  },
  {
    input: 'dockerfile',
    case: 'path that does not exist',
    inputs: { ...valid, dockerfile: join(root, 'nope', 'Dockerfile') },
  },
  { input: 'dockerfile', case: 'a folder', inputs: { ...valid, dockerfile: root } },
  {
    input: 'context',
    case: 'path that does not exist',
    inputs: { ...valid, dockerfile, context: join(root, 'no-context') },
  },
];

describe('package: malformed inputs are refused, naming the input and the fix', () => {
  it('has a row for every input in package/action.yml', () => {
    const covered = new Set(rows.map((r) => r.input));
    expect(declaredInputs('package').filter((i) => !covered.has(i))).toEqual([]);
  });

  it.each(rows.map((r) => [`${r.input}: ${r.case}`, r] as const))('%s', async (_title, row) => {
    const outcome = await runWithInputs(run, row.inputs, row.env);
    expectClearRefusal(outcome, row);
  });

  it('leaves the model folder untouched when output points into it', () => {
    expect(readFileSync(join(goodModel, 'model.bin'), 'utf8')).toBe('weights');
  });
});

describe('package: inputs at the edge that are accepted on purpose', () => {
  it('packages a folder holding 0-byte files (markers such as __init__.py are common)', async () => {
    const dir = folder('with-empty-files', {
      'model.bin': 'weights',
      '__init__.py': '',
      READY: '',
    });
    const outcome = await runWithInputs(run, {
      ...valid,
      model: dir,
      output: join(root, 'out-empty'),
    });
    expect(outcome.ok, outcome.failure).toBe(true);
  });

  it('packages a symlink that stays inside the folder, even written as an absolute path', async () => {
    const outcome = await runWithInputs(run, {
      ...valid,
      model: absoluteInsideLink,
      output: join(root, 'out-inside-link'),
    });
    expect(outcome.ok, outcome.failure).toBe(true);
  });

  it('packages 10,000 small files with the same digest twice', async () => {
    const many = join(root, 'many');
    for (let d = 0; d < 100; d++) {
      const sub = join(many, `shard-${String(d).padStart(3, '0')}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(sub, `${f}.txt`), `${d}:${f}\n`);
    }
    const digests: string[] = [];
    for (const out of ['out-many-1', 'out-many-2']) {
      const outcome = await runWithInputs(run, { ...valid, model: many, output: join(root, out) });
      expect(outcome.ok, outcome.failure).toBe(true);
      digests.push((await readLayout(join(root, out))).top.digest);
    }
    expect(digests[0]).toMatch(/^sha256:/);
    expect(digests[1]).toBe(digests[0]);
  });
});
