import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { writeRegistryAuthFile, type RegistryCredentials } from './registry.ts';
import { requireTool } from './tools.ts';

const execFileAsync = promisify(execFile);

const BUSYBOX = '/bin/busybox';
/** Applets linked in the image: enough to serve HTTP, fetch, and script a container. */
const APPLETS = [
  'sh',
  'echo',
  'cat',
  'ls',
  'env',
  'sleep',
  'true',
  'false',
  'test',
  'mkdir',
  'rm',
  'id',
  'wget',
  'httpd',
  'nc',
];

export const MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

export interface BusyboxImageOptions {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  /** e.g. ['8080/tcp'] */
  exposedPorts?: string[];
  /** Manifest (and index) annotations, as the package action writes them. */
  annotations?: Record<string, string>;
}

export interface BuiltLayout {
  dir: string;
  /** The descriptor in index.json: a manifest, or an index for multi-arch. */
  root: Descriptor;
  /** Per-platform manifests (one for a single-arch image). */
  manifests: Descriptor[];
  layer: Descriptor & { diffId: string };
}

export interface PushedImage {
  /** host/repository:tag */
  ref: string;
  /** host/repository@sha256:… */
  digestRef: string;
  /** The manifest digest, or the index digest for a multi-arch image. */
  digest: string;
  layout: BuiltLayout;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The OCI architecture name of this machine, the one whose busybox binary goes in the layer. */
export function hostArchitecture(): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
  };
  return map[process.arch] ?? process.arch;
}

let layerCache: Promise<{ gzip: Buffer; diffId: string }> | undefined;

/** One deterministic layer: fixed mtimes, uid/gid 0, sorted entries. Built once per process. */
function busyboxLayer(): Promise<{ gzip: Buffer; diffId: string }> {
  layerCache ??= (async () => {
    requireTool('busybox', 'busybox-static');
    const binary = readFileSync(BUSYBOX);
    const tar = pack();
    const mtime = new Date(0);
    const common = { mtime, uid: 0, gid: 0, uname: 'root', gname: 'root' };
    const chunks: Buffer[] = [];
    tar.on('data', (c: unknown) => chunks.push(c as Buffer));
    const done = new Promise<void>((resolve, reject) => {
      tar.on('end', resolve);
      tar.on('error', reject);
    });
    tar.entry({ ...common, name: 'bin/', type: 'directory', mode: 0o755 });
    tar.entry({ ...common, name: 'bin/busybox', type: 'file', mode: 0o755 }, binary);
    for (const applet of [...APPLETS].sort()) {
      tar.entry({
        ...common,
        name: `bin/${applet}`,
        type: 'symlink',
        linkname: 'busybox',
        mode: 0o777,
      });
    }
    tar.entry({ ...common, name: 'tmp/', type: 'directory', mode: 0o1777 });
    tar.entry({ ...common, name: 'www/', type: 'directory', mode: 0o755 });
    tar.finalize();
    await done;
    const raw = Buffer.concat(chunks);
    return { gzip: gzipSync(raw, { level: 6 }), diffId: sha256(raw) };
  })();
  return layerCache;
}

/**
 * Writes a tiny image made from Debian busybox-static as an OCI image layout.
 * `architectures` with more than one entry gives an image index whose
 * manifests share the same layer bytes (only the host one really runs).
 */
export async function buildBusyboxLayout(
  dir: string,
  tag: string,
  architectures: string[] = [hostArchitecture()],
  options: BusyboxImageOptions = {},
): Promise<BuiltLayout> {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const writeBlob = (data: Buffer | string, mediaType: string): Descriptor => {
    const bytes = Buffer.from(data);
    const digest = sha256(bytes);
    writeFileSync(join(blobs, digest.slice('sha256:'.length)), bytes);
    return { mediaType, digest, size: bytes.length };
  };

  const { gzip, diffId } = await busyboxLayer();
  const layer = writeBlob(gzip, MEDIA_TYPES.layerGzip);
  const manifests: Descriptor[] = [];
  for (const architecture of architectures) {
    const config = {
      created: '1970-01-01T00:00:00Z',
      architecture,
      os: 'linux',
      config: {
        Env: options.env ?? ['PATH=/bin'],
        ...(options.entrypoint ? { Entrypoint: options.entrypoint } : {}),
        Cmd: options.cmd ?? ['/bin/sh'],
        WorkingDir: '/',
        ...(options.exposedPorts
          ? { ExposedPorts: Object.fromEntries(options.exposedPorts.map((p) => [p, {}])) }
          : {}),
      },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: 'busybox-static test base' }],
    };
    const configDescriptor = writeBlob(JSON.stringify(config), MEDIA_TYPES.config);
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: configDescriptor,
      layers: [layer],
      ...(options.annotations ? { annotations: options.annotations } : {}),
    };
    manifests.push({
      ...writeBlob(JSON.stringify(manifest), MEDIA_TYPES.manifest),
      platform: { architecture, os: 'linux' },
    });
  }

  let root: Descriptor;
  if (architectures.length === 1) {
    const { platform: _platform, ...only } = manifests[0]!;
    root = only;
  } else {
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    };
    root = writeBlob(JSON.stringify(index), MEDIA_TYPES.index);
  }
  const refName = { 'org.opencontainers.image.ref.name': tag };
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [{ ...root, annotations: refName }],
    }),
  );
  return { dir, root, manifests, layer: { ...layer, diffId } };
}

/**
 * Copies an OCI layout into a registry with skopeo, preserving digests, and
 * returns the pushed reference. Credentials go through an auth file, not argv.
 */
export async function copyLayoutToRegistry(
  layoutDir: string,
  tag: string,
  registry: RegistryCredentials,
  repository: string,
  multiArch: boolean,
): Promise<string> {
  requireTool('skopeo', 'skopeo');
  const work = mkdtempSync(join(tmpdir(), 'md-skopeo-'));
  try {
    const digestFile = join(work, 'digest');
    const args = [
      'copy',
      '--quiet',
      '--preserve-digests',
      '--dest-tls-verify=false',
      ...(multiArch ? ['--all'] : []),
      ...(registry.username
        ? ['--dest-authfile', writeRegistryAuthFile(registry, join(work, 'auth.json'))]
        : []),
      '--digestfile',
      digestFile,
      `oci:${layoutDir}:${tag}`,
      `docker://${registry.host}/${repository}:${tag}`,
    ];
    await execFileAsync('skopeo', args).catch((err: { stderr?: string; message: string }) => {
      throw new Error(
        `skopeo copy to ${registry.host}/${repository}:${tag} failed: ${err.stderr ?? err.message}`,
      );
    });
    return readFileSync(digestFile, 'utf8').trim();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function pushBusybox(
  registry: RegistryCredentials,
  repository: string,
  tag: string,
  architectures: string[],
  options: BusyboxImageOptions,
): Promise<PushedImage> {
  const dir = mkdtempSync(join(tmpdir(), 'md-busybox-layout-'));
  const layout = await buildBusyboxLayout(dir, tag, architectures, options);
  const digest = await copyLayoutToRegistry(
    dir,
    tag,
    registry,
    repository,
    architectures.length > 1,
  );
  if (digest !== layout.root.digest) {
    throw new Error(`registry stored ${digest}, expected the layout's ${layout.root.digest}`);
  }
  return {
    ref: `${registry.host}/${repository}:${tag}`,
    digestRef: `${registry.host}/${repository}@${digest}`,
    digest,
    layout,
  };
}

/** Pushes a single-platform (host architecture) busybox-static image; a base image for tests. */
export function pushBusyboxImage(
  registry: RegistryCredentials,
  repository: string,
  tag: string,
  options: BusyboxImageOptions = {},
): Promise<PushedImage> {
  return pushBusybox(registry, repository, tag, [hostArchitecture()], options);
}

/**
 * Pushes a multi-arch busybox-static image: an OCI index with linux/amd64 and
 * linux/arm64 manifests sharing one layer. `digest` is the index digest.
 */
export function pushMultiArchBusyboxImage(
  registry: RegistryCredentials,
  repository: string,
  tag: string,
  options: BusyboxImageOptions = {},
): Promise<PushedImage> {
  return pushBusybox(registry, repository, tag, ['amd64', 'arm64'], options);
}

/**
 * Reads an image back from a registry into an OCI layout (skopeo copy
 * docker:// → oci:), to verify what a push wrote. Returns the layout folder;
 * the image is tagged `tag` in it.
 */
export async function pullToLayout(
  registry: RegistryCredentials,
  reference: string,
  dir: string,
  tag = 'pulled',
): Promise<string> {
  requireTool('skopeo', 'skopeo');
  const work = mkdtempSync(join(tmpdir(), 'md-skopeo-'));
  try {
    await execFileAsync('skopeo', [
      'copy',
      '--quiet',
      '--preserve-digests',
      '--src-tls-verify=false',
      ...(registry.username
        ? ['--src-authfile', writeRegistryAuthFile(registry, join(work, 'auth.json'))]
        : []),
      `docker://${reference}`,
      `oci:${dir}:${tag}`,
    ]).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`skopeo copy from ${reference} failed: ${err.stderr || err.message}`);
    });
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Unpacks an image from an OCI layout into a root filesystem with umoci, so a
 * test can read the files an image really contains. Returns the rootfs path.
 */
export async function unpackLayout(
  layoutDir: string,
  tag: string,
  bundleDir: string,
): Promise<string> {
  requireTool('umoci', 'umoci');
  await execFileAsync('umoci', ['unpack', '--image', `${layoutDir}:${tag}`, bundleDir]).catch(
    (err: { stderr?: string; message: string }) => {
      throw new Error(`umoci unpack ${layoutDir}:${tag} failed: ${err.stderr || err.message}`);
    },
  );
  return join(bundleDir, 'rootfs');
}
