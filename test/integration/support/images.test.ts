import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { buildBusyboxLayout, hostArchitecture } from '../../support/images.ts';

const blob = (dir: string, digest: string) =>
  readFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));

async function tarHeaders(gzip: Buffer): Promise<Header[]> {
  const headers: Header[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    headers.push(header);
    stream.resume();
    stream.on('end', next);
  });
  const done = new Promise<void>((resolve, reject) => {
    reader.on('finish', () => resolve());
    reader.on('error', reject);
  });
  reader.end(gunzipSync(gzip));
  await done;
  return headers;
}

describe('busybox-static test images', () => {
  it('are deterministic: the same inputs give the same digest in another folder', async () => {
    const a = await buildBusyboxLayout(mkdtempSync(join(tmpdir(), 'md-img-')), 'v1');
    const b = await buildBusyboxLayout(mkdtempSync(join(tmpdir(), 'md-img-')), 'v1');
    expect(a.root.digest).toBe(b.root.digest);
    const c = await buildBusyboxLayout(mkdtempSync(join(tmpdir(), 'md-img-')), 'v1', undefined, {
      cmd: ['httpd', '-f'],
    });
    expect(c.root.digest).not.toBe(a.root.digest);
    expect(c.layer.digest).toBe(a.layer.digest);
  });

  it('hold busybox and its applet links with fixed owners and times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-img-'));
    const layout = await buildBusyboxLayout(dir, 'v1');
    const headers = await tarHeaders(blob(dir, layout.layer.digest));
    const byName = new Map(headers.map((h) => [h.name, h]));
    expect(byName.get('bin/busybox')).toMatchObject({ type: 'file', mode: 0o755, uid: 0, gid: 0 });
    for (const applet of ['sh', 'echo', 'httpd', 'wget']) {
      expect(byName.get(`bin/${applet}`)).toMatchObject({ type: 'symlink', linkname: 'busybox' });
    }
    for (const h of headers) expect(h.mtime?.getTime()).toBe(0);
  });

  it('carry the entrypoint, command and ports given, for the host platform', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-img-'));
    const layout = await buildBusyboxLayout(dir, 'v1', undefined, {
      entrypoint: ['/bin/httpd'],
      cmd: ['-f', '-p', '8080'],
      exposedPorts: ['8080/tcp'],
    });
    const manifest = JSON.parse(blob(dir, layout.root.digest).toString());
    const config = JSON.parse(blob(dir, manifest.config.digest).toString());
    expect(config).toMatchObject({
      architecture: hostArchitecture(),
      os: 'linux',
      config: {
        Entrypoint: ['/bin/httpd'],
        Cmd: ['-f', '-p', '8080'],
        ExposedPorts: { '8080/tcp': {} },
      },
      rootfs: { type: 'layers', diff_ids: [layout.layer.diffId] },
    });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    expect(index.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('v1');
  });

  it('as multi-arch, index amd64 and arm64 manifests that share one layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-img-'));
    const layout = await buildBusyboxLayout(dir, 'v1', ['amd64', 'arm64']);
    const index = JSON.parse(blob(dir, layout.root.digest).toString());
    expect(layout.root.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(
      index.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture),
    ).toEqual(['amd64', 'arm64']);
    const layers = index.manifests.map(
      (m: { digest: string }) => JSON.parse(blob(dir, m.digest).toString()).layers[0].digest,
    );
    expect(layers).toEqual([layout.layer.digest, layout.layer.digest]);
  });
});
