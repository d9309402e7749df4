import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pullToLayout,
  pushBusyboxImage,
  pushMultiArchBusyboxImage,
  unpackLayout,
} from '../../support/images.ts';
import { isAlive } from '../../support/processes.ts';
import {
  startRegistry,
  writeRegistryAuthFile,
  type LocalRegistry,
  type RegistryAuth,
} from '../../support/registry.ts';

const execFileAsync = promisify(execFile);

async function skopeo(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('skopeo', args);
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function authArgs(registry: LocalRegistry, password = registry.password): string[] {
  if (!registry.username) return [];
  const file = join(mkdtempSync(join(tmpdir(), 'md-auth-')), 'auth.json');
  return ['--authfile', writeRegistryAuthFile({ ...registry, password }, file)];
}

describe.each<RegistryAuth>(['none', 'basic', 'token'])('local registry, auth %s', (auth) => {
  let registry: LocalRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('answers the distribution API base endpoint', async () => {
    const res = await fetch(`${registry.url}/v2/`);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    if (auth === 'none') {
      expect(res.status).toBe(200);
    } else {
      expect(res.status).toBe(401);
      const challenge = res.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(auth === 'basic' ? /^Basic realm=/ : /^Bearer realm=/);
    }
  });

  it('stores an image copied in with skopeo and serves it back by digest', async () => {
    const image = await pushBusyboxImage(registry, 'team/base', 'v1');
    expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const inspected = await skopeo([
      'inspect',
      '--tls-verify=false',
      ...authArgs(registry),
      `docker://${image.digestRef}`,
    ]);
    expect(inspected.stderr).toBe('');
    const info = JSON.parse(inspected.stdout) as { Digest: string; Layers: string[] };
    expect(info.Digest).toBe(image.digest);
    expect(info.Layers).toEqual([image.layout.layer.digest]);
  });

  it('stores a multi-arch index with an amd64 and an arm64 manifest', async () => {
    const image = await pushMultiArchBusyboxImage(registry, 'team/multi', 'v1');
    const raw = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...authArgs(registry),
      `docker://${image.ref}`,
    ]);
    expect(raw.ok).toBe(true);
    const index = JSON.parse(raw.stdout) as {
      mediaType: string;
      manifests: { platform: { architecture: string } }[];
    };
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
  });

  if (auth !== 'none') {
    it('refuses a client without credentials', async () => {
      const pushed = await pushBusyboxImage(
        { host: registry.host, username: undefined, password: undefined },
        'team/anonymous',
        'v1',
      ).catch((err: Error) => err);
      expect(pushed).toBeInstanceOf(Error);
      expect((pushed as Error).message).toMatch(/unauthorized|authentication required|denied/i);
    });

    it('refuses a wrong password', async () => {
      const result = await skopeo([
        'inspect',
        '--tls-verify=false',
        ...authArgs(registry, 'not-the-password'),
        `docker://${registry.host}/team/base:v1`,
      ]);
      expect(result.ok).toBe(false);
      expect(result.stderr).toMatch(/unauthorized|authentication required|invalid username/i);
    });
  }

  if (auth === 'token') {
    it('issues tokens scoped to what the client asked for', () => {
      const requests = registry.tokenServer!.requests();
      const granted = requests.find(
        (r) => r.user === registry.username && r.scopes.includes('repository:team/base:pull,push'),
      );
      expect(granted?.granted).toEqual([
        { type: 'repository', name: 'team/base', actions: ['pull', 'push'] },
      ]);
      const anonymous = requests.filter((r) => r.user === undefined);
      expect(anonymous.length).toBeGreaterThan(0);
      for (const r of anonymous) expect(r.granted).toEqual([]);
    });
  }
});

describe('token auth with a read-only user', () => {
  let registry: LocalRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', readOnlyUser: true });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('lets the reader pull but refuses its push', async () => {
    const image = await pushBusyboxImage(registry, 'shared/base', 'v1');
    const reader = { host: registry.host, ...registry.readOnly! };
    const inspected = await skopeo([
      'inspect',
      '--tls-verify=false',
      ...authArgs({ ...registry, ...reader }),
      `docker://${image.ref}`,
    ]);
    expect(inspected.ok).toBe(true);
    await expect(pushBusyboxImage(reader, 'shared/base', 'v2')).rejects.toThrow(/denied/i);
    const grants = registry.tokenServer!.requests().filter((r) => r.user === reader.username);
    expect(grants.some((r) => r.granted.some((g) => g.actions.includes('push')))).toBe(false);
  });
});

describe('reading an image back', () => {
  it('gives the files that were pushed, through skopeo and umoci', async () => {
    const registry = await startRegistry();
    try {
      const image = await pushBusyboxImage(registry, 'readback/base', 'v1');
      const work = mkdtempSync(join(tmpdir(), 'md-readback-'));
      const layout = await pullToLayout(registry, image.digestRef, join(work, 'layout'));
      const rootfs = await unpackLayout(layout, 'pulled', join(work, 'bundle'));
      expect(readFileSync(join(rootfs, 'bin/busybox')).equals(readFileSync('/bin/busybox'))).toBe(
        true,
      );
      expect(lstatSync(join(rootfs, 'bin/sh')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(rootfs, 'bin/sh'))).toBe('busybox');
    } finally {
      await registry.stop();
    }
  });
});

describe('stopping a registry', () => {
  it('ends its processes and removes its storage', async () => {
    const registry = await startRegistry({ auth: 'token' });
    expect(registry.pids).toHaveLength(2);
    for (const pid of registry.pids) expect(isAlive(pid)).toBe(true);
    await pushBusyboxImage(registry, 'stop/base', 'v1');
    expect(existsSync(registry.storageDir)).toBe(true);
    await registry.stop();
    expect(existsSync(registry.storageDir)).toBe(false);
    for (const pid of registry.pids) expect(isAlive(pid)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });
});
