import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../common/errors.ts';

/** A regular file of the model, by its path relative to the model root (POSIX separators). */
export interface ModelFile {
  path: string;
  size: number;
  executable: boolean;
  /** Where to read it from. */
  source: string;
}

export interface ModelSymlink {
  path: string;
  /** Relative to the link's own folder, and always inside the model. */
  target: string;
}

/** What a model path holds, checked for what cannot go safely into an image. */
export interface ModelTree {
  /** The folder the paths are relative to (the file's folder for a single file). */
  root: string;
  /** The model was given as one file rather than a folder. */
  singleFile: boolean;
  files: ModelFile[];
  symlinks: ModelSymlink[];
  /** Folders, including empty ones, relative to the root. */
  directories: string[];
  totalSize: number;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A model given as one file. */
async function singleFileTree(
  given: string,
  size: number,
  mode: number,
  path: string,
  input: string,
): Promise<ModelTree> {
  // A lone 0-byte file is refused: no serving runtime loads an empty model, so
  // it is almost always a failed download or an LFS pointer not pulled.
  if (size === 0) {
    throw new InputError(
      input,
      `points at ${path}, an empty file`,
      'the model file itself, after git lfs pull or the download step',
    );
  }
  const real = await realpath(given);
  return {
    root: dirname(real),
    singleFile: true,
    files: [{ path: basename(given), size, executable: (mode & 0o111) !== 0, source: real }],
    symlinks: [],
    directories: [],
    totalSize: size,
  };
}

/** What a folder walk gathers, besides the tree: hard-linked files by inode. */
interface Walk {
  tree: ModelTree;
  links: Map<string, { path: string; nlink: number; seen: number }>;
  input: string;
}

/** Image layers carry UTF-8 names; a name that does not round-trip would be renamed silently. */
function checkUtf8Name(walk: Walk, folder: string, raw: Buffer): string {
  const name = raw.toString('utf8');
  // Decoding replaces every invalid sequence with U+FFFD: without one, the name round-trips.
  if (name.includes('\uFFFD') && !Buffer.from(name, 'utf8').equals(raw)) {
    throw new InputError(
      walk.input,
      `contains a file name that is not UTF-8: ${toPosix(relative(walk.tree.root, join(folder, name)))}`,
      'rename it to UTF-8, e.g. with convmv -f latin1 -t utf8',
    );
  }
  return name;
}

function addFile(walk: Walk, full: string, rel: string, entry: Stats): void {
  walk.tree.files.push({
    path: rel,
    size: entry.size,
    executable: (entry.mode & 0o111) !== 0,
    source: full,
  });
  walk.tree.totalSize += entry.size;
  if (entry.nlink > 1) {
    const key = `${entry.dev}:${entry.ino}`;
    const known = walk.links.get(key);
    if (known) known.seen++;
    else walk.links.set(key, { path: rel, nlink: entry.nlink, seen: 1 });
  }
}

/** A symlink is kept only when it and what it resolves to stay inside the model. */
async function addSymlink(walk: Walk, full: string, rel: string): Promise<void> {
  const { root } = walk.tree;
  const target = await readlink(full);
  const resolved = resolve(dirname(full), target);
  let real: string | undefined;
  try {
    real = await realpath(full);
  } catch {
    real = undefined;
  }
  if (!isInside(root, resolved) || real === undefined || !isInside(root, real)) {
    throw new InputError(
      walk.input,
      `contains a symlink that ${real === undefined ? 'leads nowhere' : 'leads outside the model folder'}: ${rel} -> ${target}`,
      'replace it with the file it points to, or remove it',
    );
  }
  walk.tree.symlinks.push({ path: rel, target: toPosix(relative(dirname(full), real)) });
}

function refuseSpecialFile(walk: Walk, rel: string, entry: Stats): never {
  const kind = entry.isSocket()
    ? 'a socket'
    : entry.isFIFO()
      ? 'a FIFO'
      : entry.isCharacterDevice() || entry.isBlockDevice()
        ? 'a device file'
        : 'a special file';
  throw new InputError(
    walk.input,
    `contains ${kind}, which cannot go into an image: ${rel}`,
    'a folder holding only the model files; remove it or point the input at a subfolder',
  );
}

/** An entry (or folder) that is gone or cannot be read by the time the walk reaches it. */
function unreadableEntry(walk: Walk, rel: string, err: unknown): InputError {
  const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
  const what = rel === '' ? 'the model folder' : rel;
  return new InputError(
    walk.input,
    gone
      ? `contains ${what}, which was removed while the model was read`
      : `contains ${what}, which could not be read (${(err as Error).message})`,
    undefined,
    gone ? 'package a folder that nothing writes to during the build' : undefined,
  );
}

function lstatListed(walk: Walk, full: string, rel: string): Stats {
  try {
    return lstatSync(full);
  } catch (err) {
    throw unreadableEntry(walk, rel, err);
  }
}

function listFolder(walk: Walk, folder: string, rel: string): Buffer[] {
  try {
    return readdirSync(folder, { encoding: 'buffer' });
  } catch (err) {
    throw unreadableEntry(walk, rel, err);
  }
}

/**
 * One folder, depth first. The listing and each entry's lstat are
 * synchronous: for thousands of small files, a promise per call (a round
 * trip through the thread pool) costs more than the call.
 * Paths relative to the root are built as the walk descends.
 */
async function walkFolder(walk: Walk, folder: string, relFolder: string): Promise<void> {
  const entries = listFolder(walk, folder, relFolder);
  for (const raw of entries) {
    const name = checkUtf8Name(walk, folder, raw);
    // A real path and a name from its listing: nothing for join to normalise.
    const full = folder.endsWith(sep) ? folder + name : folder + sep + name;
    const rel = relFolder === '' ? name : `${relFolder}/${name}`;
    const entry = lstatListed(walk, full, rel);
    if (entry.isDirectory()) {
      walk.tree.directories.push(rel);
      await walkFolder(walk, full, rel);
    } else if (entry.isFile()) {
      addFile(walk, full, rel, entry);
    } else if (entry.isSymbolicLink()) {
      await addSymlink(walk, full, rel);
    } else {
      refuseSpecialFile(walk, rel, entry);
    }
  }
}

/**
 * Reads a model file or folder. Refuses, naming the path: device files,
 * sockets and FIFOs, symlinks that lead outside the model folder (or nowhere),
 * and files hard-linked to a name outside the model (their bytes belong to
 * something else on the machine).
 */
export async function collectModel(path: string, input = 'model'): Promise<ModelTree> {
  const given = resolve(path);
  if (!existsSync(given)) {
    throw new InputError(input, `points at ${path}, which does not exist`, 'models/resnet50');
  }
  const info = await stat(given);
  if (info.isFile()) return singleFileTree(given, info.size, info.mode, path, input);
  if (!info.isDirectory()) {
    throw new InputError(
      input,
      `points at ${path}, which is neither a file nor a folder`,
      'models/resnet50',
    );
  }
  const root = await realpath(given);
  const walk: Walk = {
    tree: { root, singleFile: false, files: [], symlinks: [], directories: [], totalSize: 0 },
    links: new Map(),
    input,
  };
  await walkFolder(walk, root, '');
  for (const link of walk.links.values()) {
    if (link.seen < link.nlink) {
      throw new InputError(
        input,
        `contains ${link.path}, a file hard-linked to a name outside the model folder`,
        'copy the file into the model folder instead of linking it',
      );
    }
  }
  if (walk.tree.files.length === 0) {
    throw new InputError(
      input,
      `points at ${path}, a folder with no files in it`,
      'models/resnet50 holding model.onnx',
    );
  }
  return walk.tree;
}
