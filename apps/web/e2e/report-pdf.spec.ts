// The maturity report's charts and its PDF, on the generated demo history npm start seeds
// (org "demo-history", owned by the demo user): the page draws each group's weekly criteria,
// the Download PDF button yields a real A4 PDF made on the server whose text carries the org,
// every team, the period and the same figures as the page; the PDF route refuses the signed
// out (401), bad scopes (400 with the message) and another org's slug or team (404).
import { readFileSync } from 'node:fs';
import { type APIResponse, expect, type Page, test } from '@playwright/test';
import { fillSignIn, fillSignUp, newPerson } from './people.ts';

const DEMO = { email: 'demo@parallax.dev', password: 'parallax-demo' };
const PDF_ROUTE = '/api/o/demo-history/reports/pdf';

async function signIn(page: Page, to: string) {
  await page.goto(to);
  await fillSignIn(page, DEMO);
  await page.waitForURL((url) => url.pathname === new URL(to, 'http://x').pathname);
}

/**
 * The PDF's pages: the text of each (pdfjs, as a reader would extract it) and how many vector
 * paths each draws (the charts are SVG, printed as paths: a page of charts draws hundreds).
 */
async function readPdf(bytes: Uint8Array): Promise<{ pages: number; text: string[]; paths: number[] }> {
  const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const text: string[] = [];
  const paths: number[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    text.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
    const ops = await page.getOperatorList();
    paths.push(ops.fnArray.filter((fn) => fn === OPS.constructPath).length);
  }
  return { pages: doc.numPages, text, paths };
}

/** Text without its spacing: pdf text runs may split "63.2%" into "63.2" and "%". */
const squeeze = (s: string) => s.replace(/\s+/g, '');

async function errorOf(response: APIResponse): Promise<string> {
  expect(response.headers()['content-type']).toContain('application/json');
  return ((await response.json()) as { error: string }).error;
}

test('the report draws each group’s weekly criteria, and Download PDF yields the same report as a PDF', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, '/o/demo-history/reports');
  const matrix = page.locator('.report-matrix');
  await expect(matrix.locator('tbody tr').first()).toBeVisible();
  const rows = matrix.locator('tbody tr');
  const groups = await rows.count();
  expect(groups).toBeGreaterThan(1);
  // Two charts per group (criteria 4 and 5; criterion 3), each drawn with its target lines and legend.
  const charts = page.locator('.report-group .report-chart');
  await expect(charts).toHaveCount(groups * 2);
  const first = page.getByRole('figure', { name: /Completion without intervention and 5\. PR within SLA/ }).first();
  await expect(first.locator('svg.recharts-surface').first()).toBeVisible();
  await expect(first.locator('.recharts-reference-line')).toHaveCount(2);
  await expect(first.locator('.recharts-legend-wrapper')).toContainText('target 60%');
  await expect(first).toContainText('100%');

  // A period of 90 days never holds whole weeks only: its short weeks are named under the charts.
  const note = page.locator('.report-group .chart-note').first();
  await expect(note).toContainText(/^\* Part of the week only \(week of \w{3} \d+: /);

  const orgName = (await rows.first().locator('strong').textContent())!.trim();
  const teams: string[] = [];
  for (let i = 1; i < groups; i++) teams.push((await rows.nth(i).locator('strong').textContent())!.trim());
  const [, from, to] = (await page.locator('.page-header p.muted').textContent())!.match(/(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/)!;
  // Criterion 4 of the org (group, level, then criteria 1–5): "✓ 63.2%" on the page.
  const completion = (await rows.first().locator('td').nth(5).locator('div').first().textContent())!.replace(/[✓✗]/g, '').trim();
  expect(completion).toMatch(/^\d+(\.\d)?%$/);

  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Download PDF' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`parallax-maturity-demo-history-${from}-${to}.pdf`);
  // Kept beside the test's other output, to look at.
  await file.saveAs(test.info().outputPath('maturity-report.pdf'));
  const bytes = readFileSync((await file.path())!);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pdf = await readPdf(new Uint8Array(bytes));
  expect(pdf.pages).toBeGreaterThanOrEqual(2);
  const all = squeeze(pdf.text.join(' '));
  expect(all).toContain(squeeze(orgName));
  for (const team of teams) expect(all).toContain(squeeze(`Team ${team}`));
  expect(all).toContain(squeeze(`${from} to ${to}`));
  expect(all).toContain(squeeze(completion));
  expect(all).toContain(squeeze('* Part of the week only'));
  // Every group's page (the org's and each team's) draws its two charts: lines, points, grid and axes.
  const charted = pdf.text.map((t, i) =>
    /4\.Completionwithoutinterventionand5\.PRwithinSLA,byweek/.test(squeeze(t)) ? pdf.paths[i]! : null,
  );
  expect(charted.filter((n) => n !== null)).toHaveLength(groups);
  for (const n of charted) if (n !== null) expect(n).toBeGreaterThan(100);
  // The header and footer Chromium prints on every page: the org, the period, page X of Y.
  expect(squeeze(pdf.text[1]!)).toContain(squeeze(`${orgName} · ${from} to ${to}`));
  expect(squeeze(pdf.text[1]!)).toContain(squeeze(`Page 2 of ${pdf.pages}`));
  // No app chrome and no buttons in the printed report.
  expect(all).not.toContain('DownloadPDF');
  expect(all).not.toContain('Exports');
  expect(all).not.toContain('Print');
});

test('the PDF route refuses the signed out, bad scopes and another org’s slug or team, with a clear message', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const anonymous = await playwright.request.newContext({ baseURL });
  const signedOut = await anonymous.get(PDF_ROUTE);
  expect(signedOut.status()).toBe(401);
  expect(await errorOf(signedOut)).toBe('Sign in to download the report.');
  await anonymous.dispose();

  await signIn(page, '/o/demo-history/reports');
  const bad = async (query: string, status: number, message: RegExp) => {
    const response = await page.request.get(`${PDF_ROUTE}?${query}`);
    expect(response.status(), query).toBe(status);
    expect(await errorOf(response), query).toMatch(message);
  };
  await bad('from=2026-13-01&to=2026-12-31', 400, /^from: Give a day as YYYY-MM-DD$/);
  await bad('from=2026-06-01&to=2026-05-01', 400, /The period starts \(2026-06-01\) after it ends \(2026-05-01\)/);
  await bad('from=2020-01-01&to=2026-01-01', 400, /too long: at most 800/);
  await bad(`from=2026-01-01&to=2026-01-31&team=${'x'.repeat(65)}`, 400, /^team: /);
  await bad('from=2026-01-01&to=2026-01-31&team=no-such-team', 404, /^Team not found$/);
  const teamOption = page.getByLabel('Team').locator('option').nth(1);
  const demoTeamId = (await teamOption.getAttribute('value'))!;
  const demoTeamName = (await teamOption.textContent())!.trim();

  // Someone of another org: the demo org's slug and its team read as not found, and say nothing of them.
  await page.context().clearCookies();
  await page.goto('/signup');
  await fillSignUp(page, newPerson('Outsider Otto'));
  await expect(page).toHaveURL(/\/orgs\/new$/);
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Organization name').fill('Other Works');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/fleet$/, { timeout: 20_000 });
  const ownSlug = new URL(page.url()).pathname.split('/')[2]!;
  const otherSlug = await page.request.get(`${PDF_ROUTE}?from=2026-01-01&to=2026-01-31`);
  expect(otherSlug.status()).toBe(404);
  expect(await errorOf(otherSlug)).toBe('Organization not found');
  const otherTeam = await page.request.get(`/api/o/${ownSlug}/reports/pdf?from=2026-01-01&to=2026-01-31&team=${demoTeamId}`);
  expect(otherTeam.status()).toBe(404);
  const body = await errorOf(otherTeam);
  expect(body).toBe('Team not found');
  expect(body).not.toContain(demoTeamName);
});
