// The Variance page on a small generated history: ten developers whose rollups put them from
// 1× to 3.5× their single-agent baseline (one far beyond, one on the org baseline, one who never
// started). Their org's owner sees the box plot, the four scatters with their readings and the
// named table. Rows go straight into the app's database (the e2e server's own, on the server
// DATABASE_URL names), in an org of their own so no other test's data moves the figures.
import path from 'node:path';
import { rewriteDeveloperWeeks, rewriteOrgRollups } from '@parallax/metrics';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { fillSignUp, newPerson } from './people.ts';

const SCREENSHOT = path.resolve(__dirname, '../../../docs/screenshots/variance.png');
const SMALL_TEAM_SCREENSHOT = path.resolve(__dirname, '../../../docs/screenshots/variance-small-team.png');
const lead = newPerson('Lena Lead');
// A developer who signs in too: in the org (large enough for anonymous points) and in a team of four (too small).
const dora = newPerson('Dora Diaz');
const H = 3_600_000;
const tag = `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 4)}`;
const slug = `variance-${tag}`;

// Per developer: merged PRs in each of the four period weeks (baseline 2 a week), mean concurrency.
const PEOPLE: {
  name: string;
  prs: number;
  concurrency: number;
  intervened: number;
  complex: number;
  noSingleWeek?: boolean;
  idle?: boolean;
  /** Signed up through the page (so they can sign in), not inserted. */
  email?: string;
}[] = [
  { name: dora.name, prs: 4, concurrency: 2.2, intervened: 4, complex: 2, email: dora.email },
  { name: 'Ada Park', prs: 2, concurrency: 1.2, intervened: 6, complex: 1 },
  { name: 'Ben Ortiz', prs: 3, concurrency: 1.6, intervened: 5, complex: 2 },
  { name: 'Chen Wu', prs: 3, concurrency: 2.1, intervened: 5, complex: 2 },
  { name: 'Dana Ross', prs: 4, concurrency: 2.4, intervened: 4, complex: 3 },
  { name: 'Eli Novak', prs: 5, concurrency: 2.8, intervened: 3, complex: 3 },
  { name: 'Fay Lind', prs: 6, concurrency: 3.3, intervened: 2, complex: 4 },
  { name: 'Gus Hale', prs: 7, concurrency: 3.9, intervened: 1, complex: 5 },
  { name: 'Hana Sato', prs: 16, concurrency: 4.6, intervened: 1, complex: 2 },
  { name: 'Ivo Brandt', prs: 5, concurrency: 2.5, intervened: 3, complex: 3, noSingleWeek: true },
  { name: 'Jo Kim', prs: 0, concurrency: 0, intervened: 0, complex: 0, idle: true },
];
const BASELINE_WEEKS = ['2026-02-24', '2026-03-03', '2026-03-10'];
const PERIOD_WEEKS = ['2026-03-17', '2026-03-24', '2026-03-31', '2026-04-07'];

/** The e2e server's database on the DATABASE_URL server: the one holding the person just signed up (others may run their own). */
async function appDatabase(): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'parallax_e2e_%' ORDER BY datname DESC`,
  );
  await admin.end();
  for (const { datname } of rows) {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${datname}`;
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const found = await db.query(`SELECT 1 FROM "User" WHERE email = $1`, [lead.email]).catch(() => ({ rowCount: 0 }));
    if (found.rowCount) return db;
    await db.end();
  }
  throw new Error(`no e2e database holds ${lead.email}`);
}

async function seedHistory() {
  const db = await appDatabase();
  const orgId = `org_${tag}`;
  await db.query(`INSERT INTO "Organization" (id, slug, name, "timeZone") VALUES ($1, $2, 'Variance Labs', 'Europe/Berlin')`, [
    orgId,
    slug,
  ]);
  await db.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) SELECT $1, $2, id, 'OWNER' FROM "User" WHERE email = $3`, [
    `m_owner_${tag}`,
    orgId,
    lead.email,
  ]);
  const teamId = `team_${tag}`;
  await db.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ($1, $2, 'Platform', 'platform')`, [teamId, orgId]);
  for (const [i, p] of PEOPLE.entries()) {
    let userId = `u_${tag}_${i}`;
    if (p.email) userId = (await db.query(`SELECT id FROM "User" WHERE email = $1`, [p.email])).rows[0].id;
    else
      await db.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
        userId,
        `${userId}@acme.test`,
        p.name,
      ]);
    await db.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, 'DEVELOPER')`, [
      `m_${userId}`,
      orgId,
      userId,
    ]);
    const day = async (d: string, prs: number, finished: number, intervened: number, complex: number, max: number, mean: number) => {
      await db.query(
        `INSERT INTO "EvidenceDay" ("orgId", "developerId", "repositoryId", day, finished, succeeded, intervened, "complexFinished", "slaWithin", "slaBreached", "prsMerged")
         VALUES ($1, $2, 'repo', $3, $4, $4, $5, $6, $7, $8, $9)`,
        [orgId, userId, d, finished, intervened, complex, Math.max(0, finished - intervened), Math.min(finished, intervened), prs],
      );
      await db.query(
        `INSERT INTO "ConcurrencyDay" ("orgId", "developerId", day, "maxConcurrency", "activeMs", "areaMs") VALUES ($1, $2, $3, $4, $5, $6)`,
        [orgId, userId, d, max, 6 * H, 6 * H * mean],
      );
    };
    // Dora and the next three: the Platform team, four people.
    if (i < 4) {
      await db.query(`INSERT INTO "TeamMember" (id, "orgId", "teamId", "membershipId") VALUES ($1, $2, $3, $4)`, [
        `tm_${userId}`,
        orgId,
        teamId,
        `m_${userId}`,
      ]);
    }
    if (p.idle) continue;
    for (const d of BASELINE_WEEKS) await day(d, 2, 3, 2, 0, p.noSingleWeek ? 2 : 1, p.noSingleWeek ? 1.5 : 1);
    for (const d of PERIOD_WEEKS) await day(d, p.prs, p.prs + 4, p.intervened, p.complex, Math.ceil(p.concurrency) + 1, p.concurrency);
  }
  // The weekly rollups summed from those days, by the product's own statements.
  for (const s of [...rewriteDeveloperWeeks(orgId, null, null), ...rewriteOrgRollups(orgId, null)]) await db.query(s.text, s.values);
  await db.end();
  return { teamId };
}

test('the Variance page shows the spread of multipliers and what goes with them, and each person only what they may see', async ({
  page,
  browser,
}) => {
  if (!process.env.DATABASE_URL)
    throw new Error('Set DATABASE_URL: the e2e server then makes its database on that server, where this test writes its history');
  await page.goto('/signup');
  await fillSignUp(page, lead);
  await expect(page).toHaveURL(/\/orgs\/new$/, { timeout: 20_000 });
  const developer = await (await browser.newContext()).newPage();
  await developer.goto('/signup');
  await fillSignUp(developer, dora);
  await expect(developer).toHaveURL(/\/orgs\/new$/, { timeout: 20_000 });
  const { teamId } = await seedHistory();
  await page.goto(`/o/${slug}/variance?from=2026-03-16&to=2026-04-12`);
  await expect(page.getByRole('heading', { name: 'Variance', level: 1 })).toBeVisible();

  await test.step('the box and strip plot with the summary figures', async () => {
    const box = page.getByTestId('variance-box');
    await expect(box).toBeVisible();
    // Ten with a multiplier: 1, 1.5, 1.5, 2, 2, 2.5, 2.5, 3, 3.5, 8 → median 2.25×, q1 1.625, q3 2.875; 8× is the outlier.
    await expect(box).toHaveAttribute('aria-label', /10 multipliers, median 2\.25×/);
    await expect(box.locator('.recharts-scatter-symbol').first()).toBeVisible();
    await expect(page.getByLabel('Spread of multipliers')).toContainText('2.25×');
    await expect(page.getByLabel('Spread of multipliers')).toContainText(/Outliers.*1/s);
  });

  await test.step('four scatters, each with its rho and a reading', async () => {
    for (const factor of ['meanConcurrency', 'interventionRate', 'prWithinSlaRate', 'complexShare']) {
      await expect(page.getByTestId(`scatter-${factor}`).locator('.recharts-scatter-symbol').first()).toBeVisible();
    }
    await expect(page.getByTestId('reading-meanConcurrency')).toHaveText('Higher concurrency goes with higher multipliers (rho 0.99).');
    await expect(page.getByTestId('reading-interventionRate')).toContainText('lower multipliers');
  });

  await test.step('the named table, the org-baseline person flagged', async () => {
    const table = page.getByTestId('variance-people');
    await expect(table.getByRole('row', { name: /Hana Sato/ })).toContainText('outlier');
    await expect(table.getByRole('row', { name: /Ivo Brandt/ })).toContainText('org baseline');
    await expect(table.getByRole('row', { name: /Jo Kim/ })).toContainText('no agent work in the period');
  });

  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  await test.step('a developer in the org sees anonymous points, their own marked, and no names', async () => {
    await developer.goto(`/o/${slug}/variance?from=2026-03-16&to=2026-04-12`);
    await expect(developer.getByTestId('variance-visibility')).toContainText('without names');
    await expect(developer.getByTestId('variance-box')).toContainText('You');
    await expect(developer.getByTestId('variance-people').getByRole('row', { name: /^You\b/ })).toContainText('2.00×');
    await expect(developer.getByTestId('scatter-meanConcurrency')).toBeVisible();
    await expect(developer.getByRole('main')).not.toContainText('Ada Park');
  });

  await test.step('in their team of four (minimum 5) only the aggregates and their own figures', async () => {
    await developer.goto(`/o/${slug}/variance?from=2026-03-16&to=2026-04-12&team=${teamId}`);
    await expect(developer.getByTestId('variance-visibility')).toContainText('No per-person breakdown');
    await expect(developer.getByTestId('variance-correlations-hidden')).toBeVisible();
    await expect(developer.getByTestId('variance-people')).toContainText('2.00×');
    await expect(developer.getByTestId('variance-people').getByRole('row')).toHaveCount(2);
    await expect(developer.getByRole('main')).not.toContainText('Ben Ortiz');
    await developer.screenshot({ path: SMALL_TEAM_SCREENSHOT, fullPage: true });
  });
});
