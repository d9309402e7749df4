import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../actions/push/main.ts';
import { withActionEnv } from '../../support/actions-env.ts';
import { startRegistry, type LocalRegistry } from '../../support/registry.ts';
import { buildTestLayout, skopeoInspect, type TestLayout } from '../../support/layouts.ts';

describe('push action', () => {
  let basic: LocalRegistry;
  let open: LocalRegistry;
  let layout: TestLayout;
  beforeAll(async () => {
    [basic, open, layout] = await Promise.all([
      startRegistry({ auth: 'basic' }),
      startRegistry({ auth: 'none' }),
      buildTestLayout({ modelBytes: 2 * 1024 * 1024, tag: '7' }),
    ]);
  });
  afterAll(async () => {
    layout?.cleanup();
    await Promise.all([basic?.stop(), open?.stop()]);
  });

  it('pushes to two registries, tags with the package version, and writes outputs and a summary', async () => {
    const env = withActionEnv({
      layout: layout.dir,
      destinations: `${basic.host}/models/action\n${open.host}/models/action`,
      username: basic.username!,
      password: basic.password!,
      'credentials-for': basic.host,
    });
    try {
      expect(await run()).toBe(true);
      const outputs = env.outputs();
      const digest = layout.layout.top.digest;
      expect(outputs.digest).toBe(digest);
      expect(JSON.parse(outputs.images!)).toEqual({
        [`${basic.host}/models/action`]: `${basic.host}/models/action@${digest}`,
        [`${open.host}/models/action`]: `${open.host}/models/action@${digest}`,
      });
      // The first destination listed, as deploy's image input takes it.
      expect(outputs.image).toBe(`${basic.host}/models/action@${digest}`);
      const total = layout.layout.blobs.reduce((n, b) => n + b.size, 0);
      expect(Number(outputs['bytes-uploaded'])).toBe(2 * total);
      expect(env.summary()).toContain(`${basic.host}/models/action`);
      expect(env.summary()).toContain('pushed');
      expect((await skopeoInspect(`${basic.host}/models/action:7`, basic)).digest).toBe(digest);
    } finally {
      env.restore();
    }

    const again = withActionEnv({
      layout: layout.dir,
      destinations: `${basic.host}/models/action`,
      tags: 'latest, 7',
      username: basic.username!,
      password: basic.password!,
    });
    try {
      expect(await run()).toBe(true);
      expect(again.outputs()['bytes-uploaded']).toBe('0');
      expect(Number(again.outputs()['bytes-skipped'])).toBeGreaterThan(0);
    } finally {
      again.restore();
    }
  });

  it('uses a stored Docker login and fails with the registry named when one destination refuses', async () => {
    const dockerConfig = mkdtempSync(join(tmpdir(), 'md-docker-config-'));
    const auth = Buffer.from(`${basic.username}:${basic.password}`).toString('base64');
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [basic.host]: { auth } } }),
      {
        mode: 0o600,
      },
    );
    const env = withActionEnv(
      {
        layout: layout.dir,
        destinations: `${basic.host}/stored/login\n${open.host}/stored/login`,
      },
      { DOCKER_CONFIG: dockerConfig },
    );
    try {
      expect(await run()).toBe(true);
      expect(Object.keys(JSON.parse(env.outputs().images!))).toHaveLength(2);
    } finally {
      env.restore();
      rmSync(dockerConfig, { recursive: true, force: true });
    }

    const denied = withActionEnv({
      layout: layout.dir,
      destinations: `${basic.host}/denied/one\n${open.host}/allowed/one`,
      username: 'md-test',
      password: 'wrong-password',
      'credentials-for': basic.host,
    });
    try {
      expect(await run()).toBe(false);
      expect(process.exitCode).toBe(1);
      const images = JSON.parse(denied.outputs().images!) as Record<string, string>;
      expect(Object.keys(images)).toEqual([`${open.host}/allowed/one`]);
      // The first destination failed: no image to deploy rather than another registry's.
      expect(denied.outputs().image).toBe('');
      expect(denied.summary()).toContain(`${basic.host}/denied/one`);
      expect(denied.summary()).toMatch(/refused the credentials/);
    } finally {
      denied.restore();
    }
  });

  it('pushes the other destinations when one cannot log in, then fails naming it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'md-no-gcp-'));
    const env = withActionEnv(
      {
        layout: layout.dir,
        destinations: `gcp:${open.host}/proj/repo/image\n${open.host}/still/pushed`,
      },
      // No Google credentials anywhere, and no metadata server to ask.
      { HOME: home, METADATA_SERVER_DETECTION: 'none', GOOGLE_APPLICATION_CREDENTIALS: '' },
    );
    try {
      expect(await run()).toBe(false);
      expect(Object.keys(JSON.parse(env.outputs().images!))).toEqual([`${open.host}/still/pushed`]);
      expect(env.summary()).toContain(`${open.host}/proj/repo/image`);
      expect(env.summary()).toMatch(/Google access token/);
    } finally {
      env.restore();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('names the input when a destination or tag is malformed', async () => {
    const env = withActionEnv({ layout: layout.dir, destinations: `${open.host}/Bad Name` });
    try {
      expect(await run()).toBe(false);
    } finally {
      env.restore();
    }
    const tags = withActionEnv({
      layout: layout.dir,
      destinations: `${open.host}/ok`,
      tags: 'no/slashes',
    });
    try {
      expect(await run()).toBe(false);
    } finally {
      tags.restore();
    }
  });
});
