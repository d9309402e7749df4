// Rebuilds the bundles and fails when the committed dist/ differs from the rebuild.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const status = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' });
if (status.trim() !== '') {
  console.error('dist/ is stale; run `npm run build` and commit dist/:\n' + status);
  process.exit(1);
}
console.log('dist/ is up to date');
