// The Evidence page and the maturity report on the generated demo history npm start seeds
// (org "demo-history", owned by the demo user): the five tiles, each tile's rows count exactly
// what the tile says, the CSV carries the same rows, and the report names what to do next.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { fillSignIn } from './people.ts';

const DEMO = { email: 'demo@parallax.dev', password: 'parallax-demo' };
const SHOTS = path.resolve(__dirname, '../../../docs/screenshots');

async function signIn(page: Page, to: string) {
  await page.goto(to);
  await fillSignIn(page, DEMO);
  await page.waitForURL((url) => url.pathname === new URL(to, 'http://x').pathname);
}

/** The rows panel's count ("123 rows …"). */
async function rowsCount(page: Page): Promise<number> {
  const panel = page.getByRole('region', { name: 'Rows behind the figure' });
  await expect(panel.getByText(/^\d+ rows?/)).toBeVisible();
  return Number((await panel.getByText(/^\d+ rows?/).textContent())!.match(/^(\d+)/)![1]);
}

/** The rows panel's CSV, parsed (quoted cells may hold commas, quotes and line breaks): header, then rows. */
async function downloadRows(page: Page): Promise<{ header: string[]; rows: string[][] }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const text = readFileSync((await (await download).path())!, 'utf8');
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') cell += text[++i];
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  const [header, ...rows] = records;
  return { header: header!, rows };
}

/** The values of one column of a downloaded CSV. */
const column = (csv: { header: string[]; rows: string[][] }, label: string) => {
  const at = csv.header.indexOf(label);
  expect(at, `column "${label}" in ${csv.header.join(', ')}`).toBeGreaterThanOrEqual(0);
  return csv.rows.map((r) => r[at]!);
};

test('the Evidence tiles link to exactly the rows they count, and the CSV carries them', async ({ page }) => {
  await signIn(page, '/o/demo-history/evidence');
  await expect(page.getByRole('heading', { name: 'Evidence', level: 1 })).toBeVisible();
  await expect(page.getByText('Generated demo history')).toBeVisible();
  // Wait for the 90 days' figures to replace the default 30 days' before reading a tile.
  const detail = () =>
    page
      .getByRole('article', { name: /Criterion 4/ })
      .locator('.criterion-detail')
      .textContent();
  const thirtyDays = await detail();
  await page.getByLabel('Period').selectOption('90d');
  await expect.poll(detail).not.toBe(thirtyDays);
  const tiles = page.getByRole('article');
  await expect(tiles).toHaveCount(5);
  await expect(page.getByRole('region', { name: 'Maturity level' })).toContainText(/L4 for this period|Not L4 for this period/);

  // Criterion 4: "N of M finished sessions succeeded with no intervention" → M rows, N marked yes.
  const completion = page.getByRole('article', { name: /Criterion 4/ });
  const [, unassisted, finished] = (await completion.locator('.criterion-detail').textContent())!.match(/^(\d+) of (\d+) finished/)!;
  expect(Number(finished)).toBeGreaterThan(100);
  await completion.getByRole('button', { name: 'See the rows' }).click();
  await expect(page).toHaveURL(/rows=completion/);
  expect(await rowsCount(page)).toBe(Number(finished));

  // Criterion 5: the rows are the invocations whose window closed ("of N in time").
  const sla = page.getByRole('article', { name: /Criterion 5/ });
  const counted = Number((await sla.locator('.criterion-detail').textContent())!.match(/^\d+ of (\d+) in time/)![1]);
  await sla.getByRole('button', { name: 'See the rows' }).click();
  await expect(page).toHaveURL(/rows=sla/);
  await expect.poll(() => rowsCount(page)).toBe(counted);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^parallax-sla-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(csv[0]).toContain('Verdict');
  expect(csv.length - 1).toBe(counted);

  // "See breaches" lists only the windows missed: the tile's counted less those in time.
  const inTime = Number((await sla.locator('.criterion-detail').textContent())!.match(/^(\d+) of/)![1]);
  await page.getByRole('button', { name: 'See breaches' }).click();
  await expect(page).toHaveURL(/rows=sla-breaches/);
  await expect.poll(() => rowsCount(page)).toBe(counted - inTime);
  expect(counted - inTime).toBeGreaterThan(0);

  // Criterion 3: a row per active developer, those meeting it marked ("M of N active developers").
  const parallel = page.getByRole('article', { name: /Criterion 3/ });
  const [, meeting, active] = (await parallel.locator('.criterion-detail').textContent())!.match(/^(\d+) of (\d+) active developers/)!;
  await parallel.getByRole('button', { name: 'See the rows' }).click();
  await expect(page).toHaveURL(/rows=parallel/);
  await expect.poll(() => rowsCount(page)).toBe(Number(active));
  const developers = await downloadRows(page);
  expect(developers.rows).toHaveLength(Number(active));
  expect(column(developers, 'Meets criterion 3').filter((v) => v === 'true')).toHaveLength(Number(meeting));

  // Criterion 2: the rows are the period's invocations, and their channels are the tile's.
  const channels = page.getByRole('article', { name: /Criterion 2/ });
  const used = Number((await channels.locator('.criterion-value').textContent())!.match(/^(\d+) channels?/)![1]);
  await channels.getByRole('button', { name: 'See the rows' }).click();
  await expect(page).toHaveURL(/rows=channels/);
  const invocations = await rowsCount(page);
  expect(invocations).toBeGreaterThan(0);
  const invoked = await downloadRows(page);
  expect(invoked.rows).toHaveLength(invocations);
  expect(new Set(column(invoked, 'Channel')).size).toBe(used);

  // The merged agent PRs: "See the PRs" lists each one, with how it was approved.
  const prs = page.getByRole('region', { name: 'How merged agent PRs were approved' });
  const merged = Number(await prs.locator('.stat').filter({ hasText: 'Merged agent PRs' }).locator('.stat-value').textContent());
  expect(merged).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'See the PRs' }).click();
  await expect(page).toHaveURL(/rows=pull-requests/);
  await expect.poll(() => rowsCount(page)).toBe(merged);
  const approvals = column(await downloadRows(page), 'Approval');
  expect(approvals).toHaveLength(merged);
  for (const a of approvals) expect(['steered', 'reviewed', 'unreviewed']).toContain(a);

  // Back to criterion 4 from the panel's own picker; its "yes" rows are the tile's numerator.
  await page.getByLabel('Rows of').selectOption('completion');
  await expect.poll(() => rowsCount(page)).toBe(Number(finished));
  expect(Number(unassisted)).toBeLessThanOrEqual(Number(finished));

  // Each figure cites METRICS.md: the mark shows the definition on hover.
  await completion.getByRole('button', { name: /Definition: Completion without intervention rate/ }).hover();
  await expect(completion.getByRole('tooltip')).toContainText('SUCCEEDED with zero interventions');

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Close' }).click();
  await page.screenshot({ path: path.join(SHOTS, 'evidence.png'), fullPage: true });
});

test('the weekly charts read at a glance: the rate on a 0–100 % axis with its target, the counts beneath, the week in the tooltip', async ({
  page,
}, testInfo) => {
  await signIn(page, '/o/demo-history/evidence');
  await page.getByLabel('Period').selectOption('90d');
  const panel = (title: string) => page.locator('section.card', { has: page.getByRole('heading', { name: title }) });
  const charts = [
    { title: 'PR within SLA, week by week', legend: ['Within SLA (rate)', 'PR in time', 'PR late', 'No PR'], unit: 'invocations' },
    {
      title: 'Completion without intervention, week by week',
      legend: ['Without intervention (rate)', 'Succeeded unassisted', 'Intervened or failed'],
      unit: 'sessions',
    },
  ];
  for (const { title, legend, unit } of charts) {
    const chart = panel(title);
    await expect(chart.locator('.recharts-legend-item-text')).toHaveText(legend);
    await expect(chart.getByText(/^target \d+%$/)).toBeVisible();
    await expect(chart.getByText(`${unit} / week`)).toBeVisible();
    await expect(chart.getByText('100%', { exact: true })).toBeVisible();
    await chart.screenshot({ path: testInfo.outputPath(`${unit}-weekly.png`) });
    // A week in the middle of the period: its rate and counts in the tooltip.
    await chart.getByRole('application').hover();
    const tip = chart.locator('.chart-tooltip');
    await expect(tip).toContainText(new RegExp(`^Week of .+: [\\d.]+% of \\d+ ${unit}`));
    for (const label of legend.slice(1)) await expect(tip).toContainText(new RegExp(`${label}: \\d+`));
    await chart.screenshot({ path: testInfo.outputPath(`${unit}-weekly-tooltip.png`) });
  }
  const channels = panel('Channels used over time');
  await channels.getByRole('application').hover();
  await expect(channels.locator('.recharts-tooltip-wrapper')).toContainText(/Week of .+: \d+ invocations/);
  await channels.screenshot({ path: testInfo.outputPath('channels-weekly.png') });
});

test('a team scope changes the figures and the URL keeps it', async ({ page }) => {
  await signIn(page, '/o/demo-history/evidence');
  await page.getByLabel('Period').selectOption('90d');
  const finished = async () =>
    (await page
      .getByRole('article', { name: /Criterion 4/ })
      .locator('.criterion-detail')
      .textContent())!;
  const whole = await finished();
  const team = page.getByLabel('Team');
  await expect(team.locator('option')).not.toHaveCount(1);
  const first = await team.locator('option').nth(1).getAttribute('value');
  await team.selectOption(first!);
  await expect(page).toHaveURL(new RegExp(`team=${first}`));
  await expect.poll(finished).not.toBe(whole);
  await page.reload();
  await expect(page.getByLabel('Team')).toHaveValue(first!);
});

test('the maturity report shows each team against the criteria and what to do next', async ({ page }) => {
  await signIn(page, '/o/demo-history/reports');
  await expect(page.getByRole('heading', { name: 'Maturity report' })).toBeVisible();
  const matrix = page.locator('.report-matrix');
  await expect(matrix.locator('tbody tr')).not.toHaveCount(1);
  await expect(matrix).toContainText(/L4|below L4/);
  // The generated history has developers who stall: some criterion fails somewhere, with its gap and action.
  expect(await page.locator('.report-criteria li.fail').count()).toBeGreaterThan(0);
  await expect(page.locator('.next-step').first()).toContainText('Gap:');
  await expect(page.locator('.next-step').first()).toContainText('Next:');
  const rowsLink = page.locator('.report-group').first().getByRole('link', { name: 'the rows' }).first();
  await rowsLink.click();
  await expect(page).toHaveURL(/\/evidence\?.*rows=unattended/);
  await expect(page.getByRole('region', { name: 'Rows behind the figure' })).toBeVisible();
  await page.goto('/o/demo-history/reports');
  await expect(matrix).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'report.png'), fullPage: true });
});
