import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  REQUIRED_DEBIAN_PACKAGES,
  ensureDebianPackages,
  missingDebianPackages,
} from '../../support/system-packages.ts';
import { requireTool } from '../../support/tools.ts';

const execFileAsync = promisify(execFile);

describe('Debian packages for the tests', () => {
  it('are all installed once the global setup has run', async () => {
    expect(await missingDebianPackages()).toEqual([]);
    expect(await ensureDebianPackages(REQUIRED_DEBIAN_PACKAGES, () => undefined)).toEqual([]);
  });

  it('reports a package dpkg does not know as missing', async () => {
    expect(await missingDebianPackages(['runc', 'md-no-such-package'])).toEqual([
      'md-no-such-package',
    ]);
  });

  it('tells a non-root user the exact command to install what is missing', async () => {
    const runuser = requireTool('runuser', 'util-linux');
    const script = `import(${JSON.stringify(new URL('../../support/system-packages.ts', import.meta.url).href)})
      .then((m) => m.ensureDebianPackages(['md-no-such-package']))
      .then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); });`;
    const result = await execFileAsync(runuser, [
      '-u',
      'nobody',
      '--',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ]).catch((err: { code?: number; stderr?: string }) => err);
    expect(result).toMatchObject({ code: 3 });
    expect((result as { stderr: string }).stderr).toContain(
      'sudo apt-get update && sudo apt-get install -y md-no-such-package',
    );
  });
});

describe('requireTool', () => {
  it('returns the path of an installed tool', () => {
    expect(requireTool('skopeo', 'skopeo')).toBe('/usr/bin/skopeo');
  });

  it('fails naming the tool and the install command', () => {
    expect(() => requireTool('md-no-such-tool', 'md-no-such-package')).toThrow(
      'the tests need `md-no-such-tool`, which is not installed. Install it with: ' +
        'sudo apt-get update && sudo apt-get install -y md-no-such-package',
    );
  });
});
