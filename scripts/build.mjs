// Builds one ncc bundle per action into dist/<name>/index.js.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const actions = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['package', 'push', 'deploy', 'smoke-test'];

for (const name of actions) {
  rmSync(`dist/${name}`, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      `actions/${name}/index.ts`,
      '-o',
      `dist/${name}`,
      '--minify',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    { stdio: 'inherit' },
  );
}
