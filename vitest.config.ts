import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The workflow parser imports its JSON schemas without an import attribute,
    // which Node refuses; inlining lets vite load them.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    coverage: {
      provider: 'v8',
      include: ['actions/**/*.ts', 'shared/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
