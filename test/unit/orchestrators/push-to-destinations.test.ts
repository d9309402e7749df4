import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDestination } from '../../../shared/clouds/registry-access.ts';
import { InputError } from '../../../shared/common/errors.ts';
import { silentLogger, type Logger } from '../../../shared/common/logger.ts';
import {
  pushFailure,
  pushToDestinations,
  type PushRequest,
} from '../../../shared/orchestrators/push-to-destinations.ts';
import type { DestinationResult } from '../../../shared/registry/push-image.ts';
import { buildTestLayout, type TestLayout } from '../../support/layouts.ts';
import { freePort } from '../../support/processes.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';

function request(layout: string, destinations: string[], more: Partial<PushRequest> = {}) {
  return {
    layout,
    destinations: destinations.map((d) => parseDestination(d)),
    tags: [],
    createRepository: true,
    immutableTags: false,
    insecureRegistries: [],
    ...more,
  } satisfies PushRequest;
}

async function manifestDigest(registry: LocalRegistry, repository: string, tag: string) {
  const response = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  return response.headers.get('docker-content-digest');
}

describe('pushToDestinations', () => {
  let first: LocalRegistry;
  let second: LocalRegistry;
  let layout: TestLayout;
  beforeAll(async () => {
    [first, second, layout] = await Promise.all([
      startRegistry({ auth: 'none' }),
      startRegistry({ auth: 'none' }),
      buildTestLayout({ modelBytes: 64 * 1024, tag: '4' }),
    ]);
  });
  afterAll(async () => {
    layout?.cleanup();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('pushes one layout to every destination, tagged with the package version, each stage grouped', async () => {
    const groups: string[] = [];
    const outcome = await pushToDestinations(
      request(layout.dir, [`${first.host}/models/both`, `${second.host}/models/both`]),
      {
        logger: silentLogger,
        group: (title, body) => {
          groups.push(title);
          return body();
        },
      },
    );
    const digest = layout.layout.top.digest;
    expect(outcome.error).toBeUndefined();
    expect(outcome.digest).toBe(digest);
    expect(outcome.results.map((r) => [r.ok, r.ref])).toEqual([
      [true, `${first.host}/models/both@${digest}`],
      [true, `${second.host}/models/both@${digest}`],
    ]);
    expect(await manifestDigest(first, 'models/both', '4')).toBe(digest);
    expect(await manifestDigest(second, 'models/both', '4')).toBe(digest);
    expect(groups).toEqual(['Preparing destinations', `Pushing ${digest} to 2 destination(s)`]);
    expect(pushFailure(outcome.results)).toBeUndefined();
  });

  it('reports a destination that cannot be reached in its place and pushes the others', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (m) => errors.push(m) };
    const outcome = await pushToDestinations(
      request(layout.dir, [`${closed}/models/gone`, `${first.host}/models/partial`], {
        tags: ['v9'],
      }),
      { logger },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.results.map((r) => r.ok)).toEqual([false, true]);
    expect(outcome.results[0]!.name).toContain(closed);
    expect(errors.join('\n')).toContain(closed);
    expect(await manifestDigest(first, 'models/partial', 'v9')).toBe(layout.layout.top.digest);
    const failure = pushFailure(outcome.results);
    expect(failure?.message).toMatch(/^push failed for 1 of 2 destination\(s\): /);
    expect(failure?.message).toContain(`Pushed: ${outcome.results[1]!.name}`);
  });

  it('fails before any destination when the layout cannot be read', async () => {
    const groups: string[] = [];
    await expect(
      pushToDestinations(request('/nonexistent/layout', [`${first.host}/models/none`]), {
        logger: silentLogger,
        group: (title, body) => {
          groups.push(title);
          return body();
        },
      }),
    ).rejects.toThrow();
    expect(groups).toEqual([]);
  });
});

describe('pushFailure', () => {
  const result = (name: string, ok: boolean, error?: string): DestinationResult => ({
    name,
    ok,
    ...(error === undefined ? {} : { error }),
    digest: 'sha256:00',
    uploadedBytes: 0,
    skippedBytes: 0,
    mountedBytes: 0,
    ms: 1,
  });

  it('names every failed destination and the pushed ones', () => {
    const failure = pushFailure([
      result('a', false, 'denied'),
      result('b', true),
      result('c', false, 'gone'),
    ]);
    expect(failure?.message).toBe(
      'push failed for 2 of 3 destination(s): a: denied; c: gone. Pushed: b',
    );
    expect(failure).not.toBeInstanceOf(InputError);
  });
});
