import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable on PATH, or undefined. */
export function findTool(name: string): string | undefined {
  // sbin folders hold runc and are missing from some non-login PATHs.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The path of a tool the tests need. A missing tool fails the test with the
 * command that installs it: a test never skips because its component is absent.
 */
export function requireTool(
  name: string,
  debianPackage: string,
  installCommand = `sudo apt-get update && sudo apt-get install -y ${debianPackage}`,
): string {
  const path = findTool(name);
  if (path) return path;
  throw new Error(
    `the tests need \`${name}\`, which is not installed. Install it with: ${installCommand}`,
  );
}
