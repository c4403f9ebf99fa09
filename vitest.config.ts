import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/.next/**', 'apps/web/e2e/**'];

// unit: pure, no services. integration (*.int.test.ts): real PostgreSQL and the
// real Temporal dev server, started once by test/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...exclude, '**/*.int.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: more workers only queue on PostgreSQL and Temporal.
          maxWorkers: 2,
        },
      },
    ],
  },
});
