import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError, UserError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { objectStoreFor, objectStoreSchemes } from '../../clouds/registry.ts';
import type { ObjectReader } from '../../clouds/types.ts';

/**
 * Fetches a DVC-tracked model from its remote by hash, the way `dvc pull`
 * does, for local and `file://` remotes, and for remotes in a cloud's object
 * store with the runner's cloud credentials. The output comes from a
 * `.dvc` file or from a stage's outputs in `dvc.lock`. Every file is checked
 * against its hash while it is copied: DVC 3's `md5` (`hash: md5`), or the
 * `md5-dos2unix` of files written by DVC 2 (text files hashed with CRLF as LF).
 */

export interface DvcOutput {
  md5: string;
  size?: string;
  path: string;
  /** `md5` in DVC 3 files; absent in DVC 2 ones, whose md5 is `md5-dos2unix`. */
  hash?: string;
  remote?: string;
}

export interface DvcFetchResult {
  path: string;
  md5: string;
  remote: string;
  files: number;
  /** The file that names the output: a `.dvc` file or `dvc.lock`. */
  file: string;
  /** The stage in `dvc.lock` that writes the output. */
  stage?: string;
}

type HashName = 'md5' | 'md5-dos2unix';

const MD5 = /^[0-9a-f]{32}$/;

export function isDvcFile(path: string): boolean {
  return path.endsWith('.dvc') && existsSync(path);
}

/** Finds the DVC project root: the nearest folder up from `start` that has `.dvc/`. */
function projectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.dvc')) && statSync(join(dir, '.dvc')).isDirectory()) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** True when `path` is `folder` or inside it. */
function inside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Where DVC objects are read from: a local folder or a cloud bucket prefix. */
interface ObjectStore {
  /** For messages: the folder or the remote URL. */
  location: string;
  /** The object for a hash: DVC 3 `files/md5/ab/cdef…` first for `md5`, DVC 2 `ab/cdef…` first for `md5-dos2unix`. */
  find(md5: string, hash: HashName): Promise<string | undefined>;
  open(key: string): Promise<Readable>;
}

const layouts = (md5: string, hash: HashName): string[][] => {
  const dvc3 = ['files', 'md5', md5.slice(0, 2), md5.slice(2)];
  const dvc2 = [md5.slice(0, 2), md5.slice(2)];
  return hash === 'md5' ? [dvc3, dvc2] : [dvc2, dvc3];
};

function localStore(folder: string): ObjectStore {
  return {
    location: folder,
    async find(md5, hash) {
      for (const parts of layouts(md5, hash)) {
        const candidate = join(folder, ...parts);
        if (existsSync(candidate)) return candidate;
      }
      return undefined;
    },
    open: async (path) => createReadStream(path),
  };
}

/** A DVC remote in a bucket: objects under the URL's path, in either layout. */
function bucketStore(url: string, reader: ObjectReader): ObjectStore {
  const prefix = new URL(url).pathname.replace(/^\/+|\/+$/g, '');
  const key = (parts: string[]) => [prefix, ...parts].filter((p) => p !== '').join('/');
  return {
    location: url,
    async find(md5, hash) {
      for (const parts of layouts(md5, hash)) {
        if (await reader.exists(key(parts))) return key(parts);
      }
      return undefined;
    },
    open: (k) => reader.open(k),
  };
}

/** A config value as configobj writes it: `"…"` or `'…'` quotes around it are not part of it. */
function unquote(value: string): string {
  const first = value[0];
  return value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)
    ? value.slice(1, -1)
    : value;
}

/** A remote in a cloud's object store, read with the remote's settings from .dvc/config. */
async function cloudStore(
  url: string,
  remoteName: string,
  settings: Map<string, string>,
  logger: Logger,
): Promise<ObjectStore | undefined> {
  const store = objectStoreFor(url.slice(0, url.indexOf(':')).toLowerCase());
  if (store === undefined) return undefined;
  const reader = await store.reader({
    url,
    settings: Object.fromEntries(settings),
    source: `the DVC remote '${remoteName}'`,
    settingsFile: '.dvc/config',
    setCommand: (setting, value) => `dvc remote modify ${remoteName} ${setting} ${value}`,
    logger,
  });
  return bucketStore(url, reader);
}

/** The remote named by the output, or the default one from `.dvc/config` (and `config.local`). */
async function remoteStore(
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
      // `['remote "store"']` or `[core]`: read without a regular expression, in one pass.
      if (line.startsWith('[') && line.endsWith(']')) {
        section = unquote(line.slice(1, -1).trim()).replace(/"/g, '').split(/\s+/).join(' ');
        if (!sections.has(section)) sections.set(section, new Map());
        continue;
      }
      const eq = line.indexOf('=');
      if (eq > 0) {
        sections.get(section)?.set(line.slice(0, eq).trim(), unquote(line.slice(eq + 1).trim()));
      }
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
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const store = await cloudStore(url, name, settings, logger);
    if (store !== undefined) return store;
    const schemes = ['file', ...objectStoreSchemes()].map((scheme) => `${scheme}://`);
    throw new UserError(
      `the DVC remote '${name}' is ${url}; local, ${schemes.join(', ')} remotes are fetched directly`,
      {
        hint: 'run `dvc pull` in an earlier step and give the model path itself',
      },
    );
  }
  // Relative remote URLs are relative to the config file's folder, .dvc/.
  return localStore(isAbsolute(url) ? url : resolve(root, '.dvc', url));
}

/**
 * Hashes bytes as DVC does: `md5` over the bytes, or `md5-dos2unix`, which
 * reads 1 MiB blocks and hashes a block with CRLF turned into LF when its
 * first 512 bytes look like text (no NUL, at most 30% other than printable
 * ASCII and \n \r \t \f \b), as dvc-data's `Dos2UnixHashStreamFile` does.
 */
class DvcHasher {
  private readonly hash: Hash = createHash('md5');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly name: HashName;

  constructor(name: HashName) {
    this.name = name;
  }

  update(chunk: Buffer): void {
    if (this.name === 'md5') {
      this.hash.update(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < DOS2UNIX_BLOCK) return;
    let all = Buffer.concat(this.pending);
    while (all.length >= DOS2UNIX_BLOCK) {
      this.block(all.subarray(0, DOS2UNIX_BLOCK));
      all = all.subarray(DOS2UNIX_BLOCK);
    }
    this.pending = [all];
    this.pendingBytes = all.length;
  }

  digest(): string {
    if (this.pendingBytes > 0) this.block(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    return this.hash.digest('hex');
  }

  private block(block: Buffer): void {
    if (!isTextBlock(block.subarray(0, 512))) {
      this.hash.update(block);
      return;
    }
    let start = 0;
    for (let i = block.indexOf('\r\n'); i !== -1; i = block.indexOf('\r\n', i + 2)) {
      this.hash.update(block.subarray(start, i));
      start = i + 1;
    }
    this.hash.update(block.subarray(start));
  }
}

const DOS2UNIX_BLOCK = 1024 * 1024;
const TEXT_BYTES = new Set([...Array.from({ length: 95 }, (_, i) => i + 32), 10, 13, 9, 12, 8]);

function isTextBlock(block: Buffer): boolean {
  if (block.length === 0) return true;
  if (block.includes(0)) return false;
  let other = 0;
  for (const byte of block) if (!TEXT_BYTES.has(byte)) other++;
  return other / block.length <= 0.3;
}

/** Passes bytes through while hashing them. */
class HashCheck extends Transform {
  readonly hasher: DvcHasher;
  constructor(name: HashName) {
    super();
    this.hasher = new DvcHasher(name);
  }
  override _transform(
    chunk: Buffer,
    _e: BufferEncoding,
    done: (e?: Error | null, c?: Buffer) => void,
  ): void {
    this.hasher.update(chunk);
    done(null, chunk);
  }
}

/** The hash of bytes already in memory (a `.dir` listing). */
function hashBytes(data: Buffer, name: HashName): string {
  const hasher = new DvcHasher(name);
  hasher.update(data);
  return hasher.digest();
}

/** What a fetch names in its messages: the model as the user wrote it and the remote. */
interface Context {
  model: string;
  remote: ObjectStore;
  hash: HashName;
  destination: string;
}

async function copyVerified(
  context: Context,
  md5: string,
  target: string,
  label: string,
): Promise<void> {
  const { remote } = context;
  if (!inside(context.destination, target)) {
    throw new UserError(`${context.model}: DVC names a path outside the model folder: ${label}`);
  }
  const source = await remote.find(md5, context.hash);
  if (source === undefined) {
    throw new UserError(
      `${context.model}: DVC object ${md5} for ${label} is not in the remote ${remote.location}`,
      { hint: 'run `dvc push` from where the model was added, then run this again' },
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const check = new HashCheck(context.hash);
  await pipeline(await remote.open(source), check, createWriteStream(target));
  const actual = check.hasher.digest();
  if (actual !== md5) {
    throw new UserError(
      `${context.model}: DVC hash mismatch for ${label}: the bytes in the remote ${remote.location} hash to ${context.hash} ${actual}, DVC recorded ${md5}`,
      {
        hint: 'the remote copy is corrupt or was overwritten; push the model again with `dvc push --force` from where it was added',
      },
    );
  }
}

/** Checks an output entry: a 32-hex-digit md5 (`.dir` for folders), a path, a known hash. */
function checkOutput(out: unknown, file: string, input: string): DvcOutput {
  const o = out as Partial<DvcOutput> | undefined;
  if (typeof o?.md5 !== 'string' || typeof o.path !== 'string') {
    throw new InputError(input, `points at ${file}, whose output has no md5 and path`);
  }
  const md5 = o.md5.endsWith('.dir') ? o.md5.slice(0, -'.dir'.length) : o.md5;
  if (!MD5.test(md5)) {
    throw new InputError(
      input,
      `points at ${file}, whose output ${o.path} has md5 '${o.md5}', not 32 hex digits`,
    );
  }
  if (o.hash !== undefined && o.hash !== 'md5' && o.hash !== 'md5-dos2unix') {
    throw new InputError(
      input,
      `points at ${file}, whose output ${o.path} uses the hash '${o.hash}'; md5 (DVC 3) and md5-dos2unix (DVC 2) are supported`,
    );
  }
  return o as DvcOutput;
}

async function readYaml(file: string, input: string, what: string): Promise<unknown> {
  try {
    // failsafe: every scalar stays a string, so an all-digit md5 is not read as a number.
    return parse(await readFile(file, 'utf8'), { schema: 'failsafe' });
  } catch (err) {
    throw new InputError(
      input,
      `points at ${file}, which is not a readable ${what}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** Reads the `.dvc` file, fetches its single output into `destination`, verifying every hash. */
export async function fetchDvcModel(
  dvcFile: string,
  destination: string,
  logger: Logger,
  input = 'model',
  model = dvcFile,
): Promise<DvcFetchResult> {
  const doc = (await readYaml(dvcFile, input, '.dvc file')) as { outs?: unknown[] } | null;
  const outs = doc?.outs ?? [];
  if (!Array.isArray(outs) || outs.length !== 1) {
    throw new InputError(input, `points at ${dvcFile}, which must have exactly one output`);
  }
  const out = checkOutput(outs[0], dvcFile, input);
  return fetchOutput({ out, file: dvcFile, base: dirname(resolve(dvcFile)) }, destination, logger, {
    input,
    model,
  });
}

/**
 * Finds the `dvc.lock` stage output at `path` (a path that is not on disk):
 * `dvc.lock` files in the path's folder and each folder above it, up to the
 * project root, whose outputs are relative to the lock file's folder.
 */
export async function findDvcLockOutput(
  path: string,
  input = 'model',
): Promise<{ file: string; stage: string; out: DvcOutput } | undefined> {
  const wanted = resolve(path);
  let dir = dirname(wanted);
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  const root = projectRoot(dir);
  if (root === undefined) return undefined;
  for (;;) {
    const lock = join(dir, 'dvc.lock');
    if (existsSync(lock)) {
      const doc = (await readYaml(lock, input, 'dvc.lock')) as {
        stages?: Record<string, { outs?: unknown[] }>;
      } | null;
      for (const [stage, body] of Object.entries(doc?.stages ?? {})) {
        for (const out of Array.isArray(body?.outs) ? body.outs : []) {
          const o = out as { path?: unknown };
          if (typeof o?.path === 'string' && resolve(dir, o.path) === wanted) {
            return { file: lock, stage, out: checkOutput(out, `${lock} (stage ${stage})`, input) };
          }
        }
      }
    }
    if (dir === root) return undefined;
    dir = dirname(dir);
  }
}

/** Fetches one `dvc.lock` stage output into `destination`, verifying every hash. */
export async function fetchDvcLockOutput(
  found: { file: string; stage: string; out: DvcOutput },
  destination: string,
  logger: Logger,
  input = 'model',
  model = found.out.path,
): Promise<DvcFetchResult> {
  const result = await fetchOutput(
    { out: found.out, file: found.file, base: dirname(found.file) },
    destination,
    logger,
    { input, model },
  );
  return { ...result, stage: found.stage };
}

async function fetchOutput(
  source: { out: DvcOutput; file: string; base: string },
  destination: string,
  logger: Logger,
  names: { input: string; model: string },
): Promise<DvcFetchResult> {
  const { out, file } = source;
  const root = projectRoot(source.base);
  if (root === undefined)
    throw new InputError(
      names.input,
      `points at ${file}, which is not inside a DVC project (no .dvc/ folder above it)`,
    );
  const remote = await remoteStore(root, out.remote, logger);
  // The output keeps its own name under a folder of ours; its path never leaves that folder.
  const name = out.path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (name.length === 0 || name.includes('..') || isAbsolute(out.path)) {
    throw new InputError(
      names.input,
      `points at ${file}, whose output path is unsafe: ${out.path}`,
    );
  }
  await rm(destination, { recursive: true, force: true });
  const target = join(destination, ...name);
  const context: Context = {
    model: names.model,
    remote,
    hash: out.hash === 'md5' ? 'md5' : 'md5-dos2unix',
    destination,
  };
  const base = { md5: out.md5, remote: remote.location, file };
  try {
    if (!out.md5.endsWith('.dir')) {
      await copyVerified(context, out.md5, target, out.path);
      logger.info(`DVC: fetched ${out.path} (md5 ${out.md5}) from ${remote.location}`);
      return { ...base, path: target, files: 1 };
    }
    const entries = await readListing(context, out);
    for (const entry of entries) {
      await copyVerified(
        context,
        entry.md5,
        join(target, ...entry.relpath.split('/')),
        `${out.path}/${entry.relpath}`,
      );
    }
    logger.info(
      `DVC: fetched ${out.path} (${entries.length} files, md5 ${out.md5}) from ${remote.location}`,
    );
    return { ...base, path: target, files: entries.length };
  } catch (err) {
    // Nothing half-fetched is left to package.
    await rm(destination, { recursive: true, force: true });
    throw err;
  }
}

/** A folder's `.dir` object: a JSON list of {md5, relpath}, itself addressed by its hash. */
async function readListing(
  context: Context,
  out: DvcOutput,
): Promise<Array<{ md5: string; relpath: string }>> {
  const { remote } = context;
  const listingMd5 = out.md5.slice(0, -'.dir'.length);
  const listingSource =
    (await remote.find(`${listingMd5}.dir`, context.hash)) ??
    (await remote.find(listingMd5, context.hash));
  if (listingSource === undefined) {
    throw new UserError(
      `${context.model}: DVC folder listing ${out.md5} for ${out.path} is not in the remote ${remote.location}`,
      { hint: 'run `dvc push` from where the model was added, then run this again' },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await remote.open(listingSource)) chunks.push(chunk as Buffer);
  const listingBytes = Buffer.concat(chunks);
  const listingActual = hashBytes(listingBytes, context.hash);
  if (listingActual !== listingMd5) {
    throw new UserError(
      `${context.model}: DVC hash mismatch for the folder listing of ${out.path} in the remote ${remote.location}: ${context.hash} ${listingActual}, DVC recorded ${listingMd5}`,
      { hint: 'push the model again with `dvc push --force` from where it was added' },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(listingBytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) {
    throw new UserError(
      `${context.model}: the DVC folder listing of ${out.path} in ${remote.location} is not a JSON list`,
    );
  }
  const seen = new Set<string>();
  return parsed.map((entry: { md5?: unknown; relpath?: unknown }) => {
    const md5 = entry?.md5;
    const relpath = entry?.relpath;
    const parts = typeof relpath === 'string' ? relpath.split('/') : [];
    if (
      typeof md5 !== 'string' ||
      !MD5.test(md5) ||
      typeof relpath !== 'string' ||
      parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')) ||
      seen.has(relpath)
    ) {
      throw new UserError(
        `${context.model}: the DVC folder listing of ${out.path} has an unsafe entry: ${JSON.stringify(entry).slice(0, 200)}`,
        {
          hint: 'the listing must give each file a 32-hex-digit md5 and a relative path inside the folder',
        },
      );
    }
    seen.add(relpath);
    return { md5, relpath };
  });
}
