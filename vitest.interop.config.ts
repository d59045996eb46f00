import { defineConfig } from 'vitest/config';

/** Interop tests against real foreign peers from Debian packages (radclient); .ci/run installs them. */
export default defineConfig({
  test: {
    include: ['server/**/*.interop.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
