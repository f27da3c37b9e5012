import { defineConfig } from 'vitest/config';

/**
 * Tests that run the real bot (or PostgreSQL, or a shell) as child processes spend their time waiting on those
 * children: they form a project of their own so they start at once beside the in-process tests instead of queuing
 * behind them, and the suite ends with the slowest of the two rather than their sum.
 */
const processTests = [
  'test/ops/process-crash.test.ts',
  'test/ops/crash-after-commit.test.ts',
  'test/ops/two-processes.test.ts',
  'test/ops/two-replicas.test.ts',
  'test/ops/discord-slack-processes.test.ts',
  'test/ops/docker-rehearsal.test.ts',
  'test/ops/graceful-shutdown.test.ts',
  'test/ops/postgres-restart.test.ts',
  'test/shell/cli.test.ts',
];

export default defineConfig({
  test: {
    // PGlite starts from the schema snapshot in about a second and the platform fakes spin real clients: generous
    // but bounded timeouts, for a machine that runs two projects side by side.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker keeps its modules from one test file to the next: each file no longer re-imports the whole bot
    // through vite (about 2–4 s of a small file's time). Tests hold no module-level state to leak: no vi.mock, no
    // fake timers, and the one test that sets an environment variable puts it back.
    isolate: false,
    reporters: ['default'],
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        // Two workers, not vitest's default of one on a 2-core machine (cores − 1): much of a test's time is spent
        // in PostgreSQL, the fakes' sockets and child processes, and one worker left a core idle half the run.
        test: { name: 'core', include: ['test/**/*.test.ts'], exclude: processTests, maxWorkers: 2 },
      },
      {
        extends: true,
        // Each starts its own bot processes on its own databases (postgres-restart a throwaway cluster of its
        // own), and they mostly wait on those children: two at a time.
        test: { name: 'process', include: processTests, maxWorkers: 2 },
      },
    ],
  },
});
