// Builds the four actions as one ncc bundle in dist/actions/, so the code they
// share and each cloud's SDK ship once, and gives each action its entry,
// dist/<name>/index.js, which loads that bundle (actions/index.ts tells the
// action from the entry's folder).
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const ACTIONS = ['package', 'push', 'deploy', 'smoke-test'];

// Build beside the bundle and swap it in, so a run in progress finds it missing only for a moment.
const staging = 'dist/.actions.building';
rmSync(staging, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    'node_modules/@vercel/ncc/dist/ncc/cli.js',
    'build',
    'actions/index.ts',
    '-o',
    staging,
    '--minify',
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { stdio: 'inherit' },
);
rmSync('dist/actions', { recursive: true, force: true });
renameSync(staging, 'dist/actions');

for (const name of ACTIONS) {
  rmSync(`dist/${name}`, { recursive: true, force: true });
  mkdirSync(`dist/${name}`, { recursive: true });
  writeFileSync(`dist/${name}/package.json`, '{\n  "type": "module"\n}\n');
  writeFileSync(
    `dist/${name}/index.js`,
    [
      `// The ${name} action: the bundle of all four, told which by this file's folder.`,
      "import { enableCompileCache } from 'node:module';",
      '',
      "// On a runner, V8's compiled code of the bundle is kept in the job's temp",
      "// folder (Node's compile cache), so the job's later model-deploy steps",
      '// start without compiling it again.',
      'const temp = process.env.RUNNER_TEMP;',
      'if (temp) enableCompileCache(`${temp}/model-deploy/compile-cache`);',
      "await import('../actions/index.js');",
      '',
    ].join('\n'),
  );
}

// A CommonJS-only name in an ES module bundle throws on the runner, in code
// no source-level test runs: fail the build instead.
execFileSync(process.execPath, ['scripts/check-esm.mjs', 'dist'], { stdio: 'inherit' });
