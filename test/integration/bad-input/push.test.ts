import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as packageRun } from '../../../actions/package/main.ts';
import { run } from '../../../actions/push/main.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import {
  declaredInputs,
  expectClearRefusal,
  runWithInputs,
  type BadInputRow,
} from '../../support/bad-input-table.ts';

const root = mkdtempSync(join(tmpdir(), 'md-bad-push-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const layout = join(root, 'layout');
/** Nothing listens here: a row that got as far as the network would fail differently. */
const destination = '127.0.0.1:9/models/m';
const valid = { layout, destinations: destination, tags: 'v1' };

beforeAll(async () => {
  const model = join(root, 'model');
  mkdirSync(model);
  writeFileSync(join(model, 'model.bin'), 'weights');
  const packaged = await runWithInputs(packageRun, {
    model,
    name: 'm',
    runtime: 'custom',
    'base-image': 'scratch',
    output: layout,
  });
  if (!packaged.ok) throw new Error(`packaging the fixture failed: ${packaged.failure}`);
  mkdirSync(join(root, 'not-a-layout'));
  writeFileSync(join(root, 'not-a-layout', 'x'), 'x');
});

const rows: BadInputRow[] = [
  {
    input: 'credentials-for',
    case: 'username and password with two generic registries and no credentials-for',
    inputs: {
      ...valid,
      destinations: '127.0.0.1:9/models/a\n127.0.0.1:10/models/a',
      username: 'robot',
      password: 'hunter2hunter2',
    },
  },
  {
    input: 'credentials-for',
    case: 'a host that is not a destination',
    inputs: {
      ...valid,
      destinations: '127.0.0.1:9/models/a',
      username: 'robot',
      password: 'hunter2hunter2',
      'credentials-for': 'ghcr.io',
    },
  },
  { input: 'layout', case: 'missing', inputs: { ...valid, layout: '' } },
  {
    input: 'layout',
    case: 'path that does not exist',
    inputs: { ...valid, layout: join(root, 'nope') },
  },
  {
    input: 'layout',
    case: 'a folder that is not an OCI layout',
    inputs: { ...valid, layout: join(root, 'not-a-layout') },
  },
  { input: 'destinations', case: 'missing', inputs: { ...valid, destinations: '' } },
  {
    input: 'destinations',
    case: 'upper case repository',
    inputs: { ...valid, destinations: '127.0.0.1:9/Models/M' },
  },
  {
    input: 'destinations',
    case: 'a URL with a scheme',
    inputs: { ...valid, destinations: 'https://ghcr.io/org/m' },
  },
  {
    input: 'destinations',
    case: 'a digest instead of a tag',
    inputs: { ...valid, destinations: 'ghcr.io/org/m@sha256:abc' },
  },
  {
    input: 'destinations',
    case: 'an unknown cloud prefix',
    inputs: { ...valid, destinations: 'ibm:us.icr.io/ns/m' },
  },
  {
    input: 'destinations',
    case: 'spaces inside a reference',
    inputs: { ...valid, destinations: 'ghcr.io/org/my model' },
  },
  {
    input: 'destinations',
    case: 'a port that is not a number',
    inputs: { ...valid, destinations: 'registry:port/m' },
  },
  { input: 'tags', case: 'a tag with a slash', inputs: { ...valid, tags: 'release/1' } },
  { input: 'tags', case: 'a tag starting with a dot', inputs: { ...valid, tags: '.hidden' } },
  { input: 'tags', case: '129 characters', inputs: { ...valid, tags: 'a'.repeat(129) } },
  {
    input: 'create-repository',
    case: 'yes instead of true',
    inputs: { ...valid, 'create-repository': 'yes' },
  },
  {
    input: 'immutable-tags',
    case: '1 instead of true',
    inputs: { ...valid, 'immutable-tags': '1' },
  },
  {
    input: 'username',
    case: 'missing while a password is given',
    inputs: { ...valid, password: 's3cret-s3cret' },
  },
  {
    input: 'password',
    case: 'missing while a user name is given',
    inputs: { ...valid, username: 'robot' },
  },
  {
    input: 'azure-client-id',
    case: 'not a GUID',
    inputs: {
      ...valid,
      destinations: 'myreg.azurecr.io/m',
      'azure-client-id': 'my-app',
      'azure-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
    },
  },
  {
    input: 'azure-client-id',
    case: 'given without the tenant',
    names: 'azure-tenant-id',
    inputs: {
      ...valid,
      destinations: 'myreg.azurecr.io/m',
      'azure-client-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
    },
  },
  {
    input: 'azure-tenant-id',
    case: 'not a GUID or domain',
    inputs: {
      ...valid,
      destinations: 'myreg.azurecr.io/m',
      'azure-client-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'azure-tenant-id': 'my tenant',
    },
  },
  {
    input: 'insecure-registries',
    case: 'a URL instead of a host',
    inputs: { ...valid, 'insecure-registries': 'http://registry.local:5000' },
  },
  {
    input: 'insecure-registries',
    case: 'a host with a path',
    inputs: { ...valid, 'insecure-registries': 'registry.local/v2' },
  },
];

/**
 * Values that are accepted, but not as a user might guess: the run says what
 * it did, as a warning annotation, against a real registry.
 */
describe('push: a destination written with a tag', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });
  const tagsOf = async (repository: string) =>
    (
      (await (await fetch(`${registry.url}/v2/${repository}/tags/list`)).json()) as {
        tags: string[];
      }
    ).tags;

  it('is tagged as written, and the log says the package version is not written to it', async () => {
    const line = `${registry.host}/models/own-tag:latest`;
    const outcome = await runWithInputs(run, {
      layout,
      destinations: `${line}\n${registry.host}/models/plain`,
    });
    expect(outcome.ok, outcome.failure).toBe(true);
    expect(outcome.warnings).toContain(
      `${line}: tagged 'latest' only, as written in destinations; '1' (the package version) is not written to this destination. To write both, drop the tag from the line and give tags: 1, latest`,
    );
    expect(await tagsOf('models/own-tag')).toEqual(['latest']);
    expect(await tagsOf('models/plain')).toEqual(['1']);
    // The images output is keyed by each line exactly as written, tag included.
    const images = JSON.parse(outcome.outputs.images ?? '{}') as Record<string, string>;
    expect(Object.keys(images).sort()).toEqual([`${registry.host}/models/plain`, line].sort());
    expect(images[line]).toMatch(
      new RegExp(`^${registry.host}/models/own-tag@sha256:[0-9a-f]{64}$`),
    );
  });

  it('says which tags from the tags input it does not get', async () => {
    const line = `${registry.host}/models/own-tag2:stable`;
    const outcome = await runWithInputs(run, { layout, destinations: line, tags: 'v3, latest' });
    expect(outcome.ok, outcome.failure).toBe(true);
    expect(outcome.warnings).toContain(
      `${line}: tagged 'stable' only, as written in destinations; 'v3', 'latest' (from tags) is not written to this destination`,
    );
    expect(await tagsOf('models/own-tag2')).toEqual(['stable']);
  });

  it('does not warn when its tag is the one the run would write anyway', async () => {
    const outcome = await runWithInputs(run, {
      layout,
      destinations: `${registry.host}/models/same:1`,
    });
    expect(outcome.ok, outcome.failure).toBe(true);
    expect(outcome.warnings).toBe('');
  });
});

describe('push: malformed inputs are refused, naming the input and the fix', () => {
  it('has a row for every input in push/action.yml', () => {
    const covered = new Set(rows.map((r) => r.input));
    expect(declaredInputs('push').filter((i) => !covered.has(i))).toEqual([]);
  });

  it.each(rows.map((r) => [`${r.input}: ${r.case}`, r] as const))('%s', async (_title, row) => {
    const outcome = await runWithInputs(run, row.inputs, row.env);
    expectClearRefusal(outcome, row);
  });
});
