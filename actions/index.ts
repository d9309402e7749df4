import { basename, dirname } from 'node:path';

/**
 * The one bundle of the four actions (dist/actions/). Each action's
 * dist/<name>/index.js imports it, and the folder that file sits in names the
 * action. The code the actions share, and each cloud's SDK, ship once in
 * dist/; a run loads only its own action's part.
 */
const ACTIONS: Record<string, () => Promise<{ run(): Promise<boolean> }>> = {
  package: () => import('./package/main.ts'),
  push: () => import('./push/main.ts'),
  deploy: () => import('./deploy/main.ts'),
  'smoke-test': () => import('./smoke-test/main.ts'),
};

const started = process.argv[1] ?? '';
const load = ACTIONS[basename(dirname(started))];
if (load) {
  await (await load()).run();
  // The work is done and its outputs written: exit now, not after what Node
  // would still wait for (V8 optimising undici's WebAssembly HTTP parser,
  // sockets closing).
  process.exit();
} else {
  process.stderr.write(
    `::error::model-deploy: started as ${started}; run dist/<action>/index.js of one of ${Object.keys(ACTIONS).join(', ')}\n`,
  );
  process.exitCode = 1;
}
