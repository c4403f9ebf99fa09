import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/.next/**', 'apps/web/e2e/**'];
// The web app's `~/` imports resolve as its tsconfig says, so its route handlers are testable.
const resolve = { tsconfigPaths: true };

// unit: pure, no services. integration (*.int.test.ts): real PostgreSQL and the
// real Temporal dev server, started once by test/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      { resolve, test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...exclude, '**/*.int.test.ts'] } },
      {
        resolve,
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
