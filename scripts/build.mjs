// Builds one ncc bundle per action into dist/<name>/index.js.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';

const actions = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['package', 'push', 'deploy', 'smoke-test'];

for (const name of actions) {
  // Build beside the bundle and swap it in, so a run in progress never finds it missing.
  const staging = `dist/.${name}.building`;
  rmSync(staging, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      `actions/${name}/index.ts`,
      '-o',
      staging,
      '--minify',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
  rmSync(`dist/${name}`, { recursive: true, force: true });
  renameSync(staging, `dist/${name}`);
}

// A CommonJS-only name in an ES module bundle throws on the runner, in code
// no source-level test runs: fail the build instead.
execFileSync(process.execPath, ['scripts/check-esm.mjs', 'dist'], { stdio: 'inherit' });
