import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Integration tests mostly wait on child processes (registry, podman, moto),
// so one worker more than the cores keeps a 2-core machine busy without
// starving those processes. MODEL_DEPLOY_TEST_WORKERS overrides it.
const workers =
  Number(process.env.MODEL_DEPLOY_TEST_WORKERS) || Math.min(4, availableParallelism() + 1);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    // The workflow parser imports its JSON schemas without an import attribute,
    // which Node refuses; inlining lets vite load them (test/unit/workflows).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    coverage: {
      provider: 'v8',
      include: ['actions/**/*.ts', 'shared/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
