// The agent fleet from the web: the demo owner dispatches a script-agent task, follows
// the session to its pull request on the local forge, and finds it on the Fleet page;
// the fleet settings render, a repository the server refuses says why, and one with
// setup, teardown and a template schema is saved and listed.
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { fillSignIn } from './people.ts';

const FLEET_SCREENSHOT = path.resolve(__dirname, '../../../docs/screenshots/fleet.png');
const SESSION_SCREENSHOT = path.resolve(__dirname, '../../../docs/screenshots/session.png');
const DEMO = { email: 'demo@parallax.dev', password: 'parallax-demo' };
const RECIPE = JSON.stringify({ steps: [{ write: { path: 'hello.txt', content: 'hi\n' } }] });

/** Unique per run, so the test also passes against a long-lived app (E2E_BASE_URL). */
const tag = () => `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 4)}`;

async function signInAsDemoOwner(page: Page) {
  await page.goto('/signin');
  await fillSignIn(page, DEMO);
  await expect(page).toHaveURL(/\/o\/|\/orgs\//, { timeout: 20_000 });
}

test('a script task dispatched from the web runs unattended and ends in a pull request', async ({ page }) => {
  // The session runs for real: worktree, agent, checks, push and PR on the local forge.
  test.setTimeout(180_000);
  const title = `Say hello ${tag()}`;
  await signInAsDemoOwner(page);

  await test.step('the Fleet page offers to dispatch', async () => {
    await page.goto('/o/demo/fleet');
    await expect(page.getByRole('heading', { name: 'Fleet', level: 1 })).toBeVisible();
    await page.getByRole('main').getByRole('link', { name: 'Dispatch', exact: true }).click();
    await expect(page).toHaveURL(/\/o\/demo\/dispatch$/);
  });

  await test.step('dispatches a script recipe to demo-app and lands on the session page', async () => {
    await page.getByLabel('Repository').selectOption({ label: 'demo-app' });
    await page.getByLabel('Agent').selectOption({ label: 'script' });
    await page.getByLabel('Task type').selectOption('STANDARD');
    await page.getByLabel('Title').fill(title);
    // The script agent runs recipes, not prose: refused before anything runs, with the reason.
    await page.getByLabel('Prompt').fill('Please say hello');
    await page.getByRole('button', { name: 'Dispatch', exact: true }).click();
    await expect(page.getByText(/not a JSON recipe/)).toBeVisible();
    await expect(page).toHaveURL(/\/o\/demo\/dispatch$/);
    await page.getByRole('button', { name: 'Use the example recipe' }).click();
    await expect(page.getByLabel('Prompt')).toHaveValue(/"write"/);
    await page.getByLabel('Prompt').fill(RECIPE);
    await page.getByRole('button', { name: 'Dispatch', exact: true }).click();
    await expect(page).toHaveURL(/\/o\/demo\/sessions\/[\w-]+$/, { timeout: 20_000 });
    await expect(page.getByRole('heading', { name: title })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Dispatched from the web');
  });

  await test.step('watches it run to SUCCEEDED with a pull request, without reloading', async () => {
    await expect(page.getByTestId('session-status')).toHaveText('Succeeded', { timeout: 90_000 });
    const pullRequest = page.getByTestId('pull-request');
    await expect(pullRequest).toContainText(/Pull request #\d+/);
    await expect(pullRequest).toContainText(title);
    await expect(page.getByRole('link', { name: /^PR #\d+$/ })).toBeVisible();
  });

  await test.step('sees the log and the timeline; the controls are off once it has ended', async () => {
    await expect(page.getByTestId('session-log')).toContainText('hello.txt');
    const timeline = page.getByRole('region', { name: 'Timeline' });
    for (const event of ['Agent started', 'Checks passed', /Pull request #\d+ opened/, 'Ended: succeeded']) {
      await expect(timeline).toContainText(event);
    }
    await expect(page.getByRole('button', { name: 'Send correction' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Cancel session' })).toBeDisabled();
  });

  await test.step('merges the PR on the local forge from the session page, and sees who merged it', async () => {
    await page.getByRole('button', { name: 'Merge pull request' }).click();
    const pullRequest = page.getByTestId('pull-request');
    await expect(pullRequest.getByText('merged', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(pullRequest).toContainText('by you');
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Pull request merged by you', { timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Merge pull request' })).toHaveCount(0);
  });

  await test.step('the Fleet page lists it among the recently finished, with its PR', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
    await expect(finishedRow(page, title)).toContainText('Succeeded');
    await expect(finishedRow(page, title).getByRole('link', { name: /^PR #\d+$/ })).toBeVisible();
  });

  await test.step('"Dispatch again" pre-fills the form', async () => {
    await finishedRow(page, title).getByRole('link', { name: title }).click();
    await page.getByRole('link', { name: 'Dispatch again' }).click();
    await expect(page.getByLabel('Title')).toHaveValue(title);
    await expect(page.getByLabel('Prompt')).toHaveValue(RECIPE);
  });
});

test('a running session shows live on the Fleet board, takes a correction, and is cancelled from its page', async ({ page }) => {
  test.setTimeout(180_000);
  const title = `Wait for a hand ${tag()}`;
  const recipe = JSON.stringify({
    steps: [{ run: 'echo looking around' }, { waitForIntervention: { appendTo: 'NOTES.md' } }, { sleep: { ms: 600000 } }],
  });
  await signInAsDemoOwner(page);
  await page.goto('/o/demo/dispatch');
  await page.getByLabel('Repository').selectOption({ label: 'demo-app' });
  await page.getByLabel('Agent').selectOption({ label: 'script' });
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Prompt').fill(recipe);
  await page.getByRole('button', { name: 'Dispatch', exact: true }).click();
  await expect(page).toHaveURL(/\/o\/demo\/sessions\/[\w-]+$/, { timeout: 20_000 });
  const sessionUrl = page.url();
  await expect(page.getByTestId('session-status')).toHaveText('Running', { timeout: 60_000 });

  await test.step('the Fleet board shows it running, with its SLA clock and latest output, without a reload', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
    const row = page.getByRole('listitem').filter({ hasText: title });
    await expect(row).toContainText('Running');
    await expect(row).toContainText('SLA');
    await expect(row.locator('.log-tail')).toContainText('looking around', { timeout: 20_000 });
    await page.screenshot({ path: FLEET_SCREENSHOT, fullPage: true });
  });

  await test.step('a correction reaches the agent and is recorded with who sent it', async () => {
    await page.goto(sessionUrl);
    await page.getByLabel('Correction').fill('keep the greeting short');
    await page.getByRole('button', { name: 'Send correction' }).click();
    await expect(page.getByText('Sent to the agent and recorded.')).toBeVisible();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline).toContainText('by you', { timeout: 20_000 });
    await expect(page.getByTestId('session-log')).toContainText('intervention appended to NOTES.md', { timeout: 20_000 });
  });

  await test.step('cancel stops it, and the timeline says who asked', async () => {
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect(page.getByTestId('session-status')).toHaveText('Cancelled', { timeout: 60_000 });
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline).toContainText('Cancel requested by you');
    await expect(timeline).toContainText('Workspace cleaned up', { timeout: 20_000 });
    await page.screenshot({ path: SESSION_SCREENSHOT, fullPage: true });
  });

  await test.step('a retry of the cancelled session is linked to it and counted as a cancel-and-retry', async () => {
    await page.getByTestId('dispatch-again').click();
    await expect(page.getByRole('heading', { name: 'Retry', level: 2 })).toBeVisible();
    await expect(page.getByTestId('dispatch-purpose')).toContainText('counts as an intervention');
    await expect(page.getByLabel('Title')).toHaveValue(title);
    // A file of its own: the change is the retry's whatever earlier tests merged into main.
    await page.getByLabel('Prompt').fill(JSON.stringify({ steps: [{ write: { path: `retry-${tag()}.txt`, content: 'again\n' } }] }));
    await page.screenshot({ path: 'test-results/retry-form.png', fullPage: true });
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(page).toHaveURL(/\/o\/demo\/sessions\/[\w-]+$/, { timeout: 20_000 });
    expect(page.url()).not.toBe(sessionUrl);
    // Dispatched, then the intervention it counts as.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline.locator('[data-event]').nth(1)).toContainText('Cancelled and retried by you');
    await expect(timeline.locator('[data-event]').first()).toContainText('Dispatched from the web');
    await page.screenshot({ path: 'test-results/retry-session.png', fullPage: true });
    await page.getByTestId('session-tries').getByRole('link', { name: '← Earlier try' }).click();
    await expect(page).toHaveURL(sessionUrl);
    await expect(page.getByTestId('session-tries').getByRole('link', { name: 'Its retry →' })).toBeVisible();
    // Retried once: retrying it again retries the latest try, which has not ended without success.
    await page.getByTestId('dispatch-again').click();
    await expect(page.getByTestId('already-retried')).toBeVisible();
    await expect(page.getByLabel('Repository')).toBeDisabled();
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(page.getByText(/Its latest try (has not ended|succeeded)/)).toBeVisible();
  });
});

test('the fleet settings render, and a repository with neither URL nor path is refused with the reason', async ({ page }) => {
  await signInAsDemoOwner(page);
  await page.goto('/o/demo/settings');
  const tabs = page.getByRole('navigation', { name: 'Settings' });

  await tabs.getByRole('link', { name: 'Repositories' }).click();
  await expect(page.getByTestId('repository-demo-app')).toContainText('Local forge');
  const name = `orphan-${tag()}`;
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Add repository' }).click();
  await expect(page.getByText('Give a clone URL or a local path')).toBeVisible();
  await expect(page.getByTestId(`repository-${name}`)).toHaveCount(0);

  // Setup, teardown and a template schema: a name that is not a plain SQL identifier is refused on its field.
  const seeded = `seeded-${tag()}`;
  await page.getByLabel('Name').fill(seeded);
  await page.getByLabel('Clone URL').fill(`https://git.example.com/acme/${seeded}.git`);
  await page.getByLabel('Setup command').fill('npm ci && npm run db:migrate');
  await page.getByLabel('Teardown command').fill('npm run services:stop');
  await page.getByLabel('Create a database schema for each session').check();
  await page.getByLabel('Template schema').fill('Robert"; DROP');
  await page.getByRole('button', { name: 'Add repository' }).click();
  await expect(page.getByText(/A template schema is a plain SQL name/)).toBeVisible();
  await expect(page.getByTestId(`repository-${seeded}`)).toHaveCount(0);
  await page.getByLabel('Template schema').fill('app_template');
  await page.getByRole('button', { name: 'Add repository' }).click();
  await expect(page.getByTestId(`repository-${seeded}`)).toContainText('npm ci && npm run db:migrate');
  await expect(page.getByTestId(`repository-${seeded}`)).toContainText('Yes, from app_template');

  await tabs.getByRole('link', { name: 'Agents' }).click();
  await expect(page.getByTestId('agent-script')).toContainText('Script');
  await page.getByLabel('Name').fill(`broken-${tag()}`);
  await page.getByLabel('Config (JSON)').fill('{"model": ');
  await page.getByRole('button', { name: 'Add profile' }).click();
  await expect(page.getByText(/^This is not valid JSON/)).toBeVisible();

  await tabs.getByRole('link', { name: 'SLA' }).click();
  for (const type of ['STANDARD', 'COMPLEX', 'INVESTIGATION']) await expect(page.getByTestId(`sla-${type}`)).toBeVisible();
  await expect(page.getByTestId('sla-STANDARD')).toContainText('from dispatch to pull request');
});

function finishedRow(page: Page, title: string) {
  return page.getByRole('region', { name: 'Recently finished' }).getByRole('row').filter({ hasText: title });
}
