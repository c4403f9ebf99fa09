// The Parallel sessions page on a small history made for real: the demo owner dispatches
// three script tasks that sleep long enough to overlap, so today has a daily max of 3. The
// live strip shows them running, the heatmap shows the day, and a click on its cell opens
// the day's timeline with the three sessions.
import { expect, type Page, test } from '@playwright/test';
import { fillSignIn } from './people.ts';

const DEMO = { email: 'demo@parallax.dev', password: 'parallax-demo' };
const tag = () => `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 4)}`;
const recipe = (name: string) =>
  JSON.stringify({ steps: [{ sleep: { ms: 20_000 } }, { write: { path: `${name}.txt`, content: 'hi\n' } }] });

async function dispatch(page: Page, title: string) {
  await page.goto('/o/demo/dispatch');
  await page.getByLabel('Repository').selectOption({ label: 'demo-app' });
  await page.getByLabel('Agent').selectOption({ label: 'script' });
  await page.getByLabel('Task type').selectOption('STANDARD');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Prompt').fill(recipe(title.replace(/\W+/g, '-')));
  await page.getByRole('button', { name: 'Dispatch', exact: true }).click();
  await expect(page).toHaveURL(/\/o\/demo\/sessions\/[\w-]+$/, { timeout: 20_000 });
}

test('the heatmap shows a day of three parallel sessions and a click opens its timeline', async ({ page }) => {
  test.setTimeout(240_000);
  const run = tag();
  await page.goto('/signin');
  await fillSignIn(page, DEMO);
  await expect(page).toHaveURL(/\/o\/|\/orgs\//, { timeout: 20_000 });

  for (const n of [1, 2, 3]) await dispatch(page, `Parallel ${run} ${n}`);

  await page.goto('/o/demo/parallel');
  await expect(page.getByRole('heading', { name: 'Parallel sessions', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Running now' })).toContainText(/[1-9]\d* running across/, { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/parallel-live.png', fullPage: true });

  // Once the three have ended the day's rollup holds them; reload until the cell says 3.
  const today = page.getByTestId('heatmap-cell').filter({ hasText: /^[3-9]$/ });
  await expect(async () => {
    await page.reload();
    await expect(today.first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await expect(page.getByTestId('criterion-3')).toContainText(/of \d+ developers meet criterion 3/);
  await today.first().hover();
  await expect(page.getByTestId('heatmap-tooltip')).toContainText(/daily max [3-9]/);
  await page.screenshot({ path: 'test-results/parallel-heatmap.png', fullPage: true });

  await today.first().click();
  const day = page.getByRole('region', { name: 'Developer day' });
  await expect(day).toContainText('Daily max');
  for (const n of [1, 2, 3]) await expect(day.getByRole('link', { name: `Parallel ${run} ${n}` })).toBeVisible();
  // The day opened is in the URL: a reload (or a shared link) opens it again.
  await expect(page).toHaveURL(/[?&]day=\d{4}-\d{2}-\d{2}/);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Developer day' })).toContainText('Daily max');
  await day.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/parallel-day.png', fullPage: true });

  // Concurrency is a developer's across repositories: no repository to pick, and a link that
  // names one (from Evidence) says it counts them all, with the same figures.
  const scopeBar = page.getByRole('group', { name: 'Scope of the figures' });
  await expect(scopeBar.getByLabel('Repository')).toHaveCount(0);
  const criterion = await page.getByTestId('criterion-3').textContent();
  await page.goto('/o/demo/evidence');
  await page.getByRole('group', { name: 'Scope of the figures' }).getByLabel('Repository').selectOption({ label: 'demo-app' });
  await expect(page).toHaveURL(/[?&]repo=/);
  await page.goto(page.url().replace('/evidence', '/parallel'));
  await expect(page.getByTestId('repository-not-applied')).toBeVisible();
  await expect(page.getByTestId('criterion-3')).toHaveText(criterion!);
});
