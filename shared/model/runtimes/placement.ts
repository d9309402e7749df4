import { InputError } from '../../common/errors.ts';
import type { ModelTree } from '../files.ts';
import type { RuntimePlan } from './types.ts';

/** Places every file, link and folder of the tree under `prefix`, except `skip` (relative paths). */
export function placeTree(
  tree: ModelTree,
  prefix: string,
  modelPath: string,
  skip: ReadonlySet<string> = new Set(),
): RuntimePlan {
  const at = (rel: string) => `${prefix}/${rel}`;
  return {
    modelPath,
    files: tree.files
      .filter((f) => !skip.has(f.path))
      .map((file) => ({ file, imagePath: at(file.path) })),
    symlinks: tree.symlinks
      .filter((l) => !skip.has(l.path))
      .map((l) => ({ imagePath: at(l.path), target: l.target })),
    directories: [prefix, ...tree.directories.map(at)],
    generated: [],
  };
}

export function hasFile(tree: ModelTree, path: string): boolean {
  return tree.files.some((f) => f.path === path) || tree.symlinks.some((l) => l.path === path);
}

export function extension(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(dot).toLowerCase();
}

export function doesNotFit(runtime: string, what: string, example: string): InputError {
  return new InputError('model', `does not fit the ${runtime} runtime: ${what}`, example);
}

export function requireNumericVersion(runtime: string, version: string): void {
  if (!/^\d+$/.test(version)) {
    throw new InputError(
      'version',
      `must be a whole number for the ${runtime} runtime, which loads numbered version folders; got '${version}'`,
      'version: 3',
    );
  }
}
