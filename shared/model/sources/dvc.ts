import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError, UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { s3ObjectReader } from '../../clouds/aws/s3-objects.ts';
import { azureBlobReader } from '../../clouds/azure/blob-objects.ts';
import { gcsObjectReader } from '../../clouds/gcp/gcs-objects.ts';

/**
 * Fetches a DVC-tracked model from its remote by md5, the way `dvc pull` does,
 * for local and `file://` remotes, and for `s3://`, `azure://` and `gs://`
 * remotes with the runner's cloud credentials. Every file's md5 is checked against the
 * `.dvc` file (and the `.dir` listing for folders) while it is copied.
 */

export interface DvcOutput {
  md5: string;
  size?: string;
  path: string;
  /** `md5` in DVC 3 files; absent in DVC 2 ones. */
  hash?: string;
}

export interface DvcFetchResult {
  path: string;
  md5: string;
  remote: string;
  files: number;
}

export function isDvcFile(path: string): boolean {
  return path.endsWith('.dvc') && existsSync(path);
}

/** Finds the DVC project root: the nearest folder up from the `.dvc` file that has `.dvc/`. */
function projectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.dvc'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where DVC objects are read from: a local folder or a cloud bucket prefix. */
interface ObjectStore {
  /** For messages: the folder or the remote URL. */
  location: string;
  /** The object for a hash in the DVC 3 (`files/md5/ab/cdef…`) or DVC 2 (`ab/cdef…`) layout. */
  find(md5: string): Promise<string | undefined>;
  open(key: string): Promise<Readable>;
}

function localStore(folder: string): ObjectStore {
  return {
    location: folder,
    async find(md5) {
      const parts = [md5.slice(0, 2), md5.slice(2)];
      for (const candidate of [join(folder, 'files', 'md5', ...parts), join(folder, ...parts)]) {
        if (existsSync(candidate)) return candidate;
      }
      return undefined;
    },
    open: async (path) => createReadStream(path),
  };
}

/** Reads objects by key from a cloud bucket or container. */
interface ObjectReader {
  exists(key: string): Promise<boolean>;
  open(key: string): Promise<Readable>;
}

/** A DVC remote in a bucket: objects under the URL's path, in either layout. */
function bucketStore(url: string, reader: ObjectReader): ObjectStore {
  const prefix = new URL(url).pathname.replace(/^\/+|\/+$/g, '');
  const key = (...parts: string[]) => [prefix, ...parts].filter((p) => p !== '').join('/');
  return {
    location: url,
    async find(md5) {
      for (const candidate of [
        key('files', 'md5', md5.slice(0, 2), md5.slice(2)),
        key(md5.slice(0, 2), md5.slice(2)),
      ]) {
        if (await reader.exists(candidate)) return candidate;
      }
      return undefined;
    },
    open: (k) => reader.open(k),
  };
}

function s3Store(url: string, settings: Map<string, string>): ObjectStore {
  const reader = s3ObjectReader({
    bucket: new URL(url).hostname,
    ...(settings.get('endpointurl') ? { endpoint: settings.get('endpointurl') } : {}),
    ...(settings.get('region') ? { region: settings.get('region') } : {}),
  });
  return bucketStore(url, reader);
}

/** `Key=Value;…` pairs of an Azure Storage connection string. */
function connectionStringPart(connection: string | undefined, name: string): string | undefined {
  for (const part of (connection ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name.toLowerCase())
      return part.slice(eq + 1).trim();
  }
  return undefined;
}

function azureStore(
  url: string,
  remoteName: string,
  settings: Map<string, string>,
  logger: Logger,
): ObjectStore {
  const connection = settings.get('connection_string');
  const account =
    settings.get('account_name') ??
    connectionStringPart(connection, 'AccountName') ??
    process.env.AZURE_STORAGE_ACCOUNT;
  if (account === undefined || account === '') {
    throw new UserError(`the DVC remote '${remoteName}' (${url}) names no storage account`, {
      hint: `run \`dvc remote modify ${remoteName} account_name <account>\` and commit .dvc/config`,
    });
  }
  const blobEndpoint = connectionStringPart(connection, 'BlobEndpoint');
  const reader = azureBlobReader({
    account,
    container: new URL(url).hostname,
    logger,
    ...(blobEndpoint ? { endpoint: blobEndpoint } : {}),
  });
  return bucketStore(url, reader);
}

function gcsStore(url: string, logger: Logger): ObjectStore {
  return bucketStore(url, gcsObjectReader({ bucket: new URL(url).hostname, logger }));
}

/** The default remote from `.dvc/config` (and `config.local`). */
async function remoteFolder(
  root: string,
  remoteName: string | undefined,
  logger: Logger,
): Promise<ObjectStore> {
  const sections = new Map<string, Map<string, string>>();
  for (const file of ['config', 'config.local']) {
    const path = join(root, '.dvc', file);
    if (!existsSync(path)) continue;
    let section = '';
    for (const raw of (await readFile(path, 'utf8')).split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      const header = /^\[\s*'?([^'\]]+?)'?\s*\]$/.exec(line);
      if (header) {
        section = (header[1] as string).replace(/\s+/g, ' ').replace(/"/g, '');
        if (!sections.has(section)) sections.set(section, new Map());
        continue;
      }
      const eq = line.indexOf('=');
      if (eq > 0) sections.get(section)?.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  const name = remoteName ?? sections.get('core')?.get('remote');
  if (name === undefined) {
    throw new UserError(`the DVC project at ${root} has no default remote`, {
      hint: 'run `dvc remote add -d <name> <url>` and commit .dvc/config',
    });
  }
  const url = sections.get(`remote ${name}`)?.get('url');
  if (url === undefined)
    throw new UserError(
      `the DVC remote '${name}' is not defined in ${join(root, '.dvc', 'config')}`,
    );
  if (url.startsWith('file://')) return localStore(fileURLToPath(url));
  const settings = sections.get(`remote ${name}`)!;
  if (url.startsWith('s3://')) return s3Store(url, settings);
  if (url.startsWith('azure://')) return azureStore(url, name, settings, logger);
  if (url.startsWith('gs://')) return gcsStore(url, logger);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new UserError(
      `the DVC remote '${name}' is ${url}; local, file://, s3://, azure:// and gs:// remotes are fetched directly`,
      {
        hint: 'run `dvc pull` in an earlier step and give the model path itself',
      },
    );
  }
  // Relative remote URLs are relative to the config file's folder, .dvc/.
  return localStore(isAbsolute(url) ? url : resolve(root, '.dvc', url));
}

class Md5Check extends Transform {
  readonly hash = createHash('md5');
  override _transform(
    chunk: Buffer,
    _e: BufferEncoding,
    done: (e?: Error | null, c?: Buffer) => void,
  ): void {
    this.hash.update(chunk);
    done(null, chunk);
  }
}

async function copyVerified(
  remote: ObjectStore,
  md5: string,
  target: string,
  label: string,
): Promise<void> {
  const source = await remote.find(md5);
  if (source === undefined) {
    throw new UserError(`DVC object ${md5} for ${label} is not in the remote ${remote.location}`, {
      hint: 'run `dvc push` from where the model was added',
    });
  }
  await mkdir(dirname(target), { recursive: true });
  const check = new Md5Check();
  await pipeline(await remote.open(source), check, createWriteStream(target));
  const actual = check.hash.digest('hex');
  if (actual !== md5) {
    await rm(target, { force: true });
    throw new UserError(
      `DVC hash mismatch for ${label}: the remote's bytes hash to md5 ${actual}, the .dvc file says ${md5}`,
      {
        hint: 'the remote copy is corrupt or was overwritten; push the model again with `dvc push`',
      },
    );
  }
}

/** Reads the `.dvc` file, fetches its single output into `destination`, verifying md5s. */
export async function fetchDvcModel(
  dvcFile: string,
  destination: string,
  logger: Logger,
  input = 'model',
): Promise<DvcFetchResult> {
  let doc: { outs?: DvcOutput[] };
  try {
    // failsafe: every scalar stays a string, so an all-digit md5 is not read as a number.
    doc = parse(await readFile(dvcFile, 'utf8'), { schema: 'failsafe' }) as { outs?: DvcOutput[] };
  } catch (err) {
    throw new InputError(
      input,
      `points at ${dvcFile}, which is not a readable .dvc file: ${(err as Error).message}`,
    );
  }
  const outs = doc?.outs ?? [];
  if (outs.length !== 1 || typeof outs[0]?.md5 !== 'string' || typeof outs[0]?.path !== 'string') {
    throw new InputError(
      input,
      `points at ${dvcFile}, which must have exactly one output with md5 and path`,
    );
  }
  const out = outs[0] as DvcOutput & { remote?: string };
  const root = projectRoot(dirname(resolve(dvcFile)));
  if (root === undefined)
    throw new InputError(
      input,
      `points at ${dvcFile}, which is not inside a DVC project (no .dvc/ folder above it)`,
    );
  const remote = await remoteFolder(root, out.remote, logger);
  const name = normalize(out.path);
  if (name.startsWith('..') || isAbsolute(name))
    throw new InputError(input, `has an output path outside its folder: ${out.path}`);
  await rm(destination, { recursive: true, force: true });
  const target = join(destination, name);

  if (!out.md5.endsWith('.dir')) {
    await copyVerified(remote, out.md5, target, out.path);
    logger.info(`DVC: fetched ${out.path} (md5 ${out.md5}) from ${remote.location}`);
    return { path: target, md5: out.md5, remote: remote.location, files: 1 };
  }
  // A folder: the `.dir` object is a JSON list of {md5, relpath}, itself addressed by its md5.
  const listingMd5 = out.md5.slice(0, -'.dir'.length);
  const listingSource = (await remote.find(`${listingMd5}.dir`)) ?? (await remote.find(listingMd5));
  if (listingSource === undefined) {
    throw new UserError(
      `DVC folder listing ${out.md5} for ${out.path} is not in the remote ${remote.location}`,
      { hint: 'run `dvc push`' },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await remote.open(listingSource)) chunks.push(chunk as Buffer);
  const listingBytes = Buffer.concat(chunks);
  const listingActual = createHash('md5').update(listingBytes).digest('hex');
  if (listingActual !== listingMd5) {
    throw new UserError(
      `DVC hash mismatch for the folder listing of ${out.path}: md5 ${listingActual}, the .dvc file says ${listingMd5}`,
    );
  }
  const entries = JSON.parse(listingBytes.toString('utf8')) as Array<{
    md5: string;
    relpath: string;
  }>;
  for (const entry of entries) {
    const rel = normalize(entry.relpath);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new UserError(
        `DVC folder listing of ${out.path} has a path outside it: ${entry.relpath}`,
      );
    await copyVerified(remote, entry.md5, join(target, rel), `${out.path}/${entry.relpath}`);
  }
  logger.info(
    `DVC: fetched ${out.path} (${entries.length} files, md5 ${out.md5}) from ${remote.location}`,
  );
  return { path: target, md5: out.md5, remote: remote.location, files: entries.length };
}
