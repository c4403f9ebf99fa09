import { defineConfig, devices } from '@playwright/test';

// The app under test is started by scripts/e2e-server.mjs: a fresh embedded database,
// migrations, Temporal and the worker, then a production build of this app. Set
// E2E_BASE_URL to run against an app that is already up instead.
const port = Number(process.env.E2E_PORT ?? 3200);
const externalBaseUrl = process.env.E2E_BASE_URL;
const baseURL = externalBaseUrl ?? `http://localhost:${port}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // One app, one database: the user path runs in order, and two cores are busy enough with the server.
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: externalBaseUrl
    ? undefined
    : {
        command: 'node ../../scripts/e2e-server.mjs',
        url: `${baseURL}/api/health`,
        env: { PORT: String(port), PARALLAX_QUIET: '1' },
        // A first production build takes a few minutes on two cores.
        timeout: 600_000,
        reuseExistingServer: false,
        // Its stdout is shown with DEBUG=pw:webserver; failures go to stderr.
        stdout: 'ignore',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
      },
});
