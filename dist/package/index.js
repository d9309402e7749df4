// The package action: the bundle of all four, told which by this file's folder.
import { enableCompileCache } from 'node:module';

// On a runner, V8's compiled code of the bundle is kept in the job's temp
// folder (Node's compile cache), so the job's later model-deploy steps
// start without compiling it again.
const temp = process.env.RUNNER_TEMP;
if (temp) enableCompileCache(`${temp}/model-deploy/compile-cache`);
await import('../actions/index.js');
