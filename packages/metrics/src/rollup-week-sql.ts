// The weekly rollups, each a plain sum of the daily ones (rollup-sql.ts) by org-local ISO week,
// so a page reading whole weeks reads about a seventh of the rows (EvidenceWeek and ChannelWeek
// also drop the developer: their cost follows weeks and repositories, whatever the org's size).
// A week is its Monday; days are already org-local, so no zone arithmetic is needed here.

import { weekOf } from './criteria.ts';

type Statement = { text: string; values: unknown[] };

/** EvidenceDay's additive columns, in the order every weekly table repeats them. */
export const EVIDENCE_COUNT_COLUMNS = [
  'finished',
  'succeeded',
  'unassisted',
  'intervened',
  'interventions',
  'unattended',
  'complexFinished',
  'costUsd',
  'costReported',
  'slaWithin',
  'slaBreached',
  'slaMissed',
  'slaOpen',
  'timeToPrMsSum',
  'prsOpened',
  'prsMerged',
  'mergedSteered',
  'mergedReviewed',
  'mergedUnreviewed',
  'reviewLatencyMsSum',
] as const;

const quoted = EVIDENCE_COUNT_COLUMNS.map((c) => `"${c}"`);
const sums = (alias = '') => quoted.map((c) => `sum(${alias}${c})`).join(', ');

/** The Monday of a date expression's ISO week, as a date. */
export const mondayOf = (day: string) => `date_trunc('week', (${day})::timestamp)::date`;

/** SQL: the first Monday on or after the date `first`, the last Monday whose Sunday is on or before `last`. */
export const firstWholeWeek = (first: string) => mondayOf(`(${first})::date + 6`);
export const lastWholeWeek = (last: string) => `(${mondayOf(`(${last})::date + 1`)} - 7)`;

/**
 * Days of the given weeks (null: all): the rows to sum. `$2` holds the weeks; the range bound
 * lets the (orgId, day) index find them.
 */
const inWeeks = `($2::date[] IS NULL OR (day >= (SELECT min(w) FROM unnest($2::date[]) w)
  AND day < (SELECT max(w) FROM unnest($2::date[]) w) + 7 AND ${mondayOf('day')} = ANY($2::date[])))`;

/**
 * Rewrites the org's rows summed over developers for `days` (org-local, null: all): EvidenceOrgDay
 * and ChannelOrgDay of those days from the daily rows, then EvidenceWeek and ChannelWeek of the
 * weeks holding them from the org days (a row per repository and day instead of one per
 * developer too), and OrgWeek (criterion 3's counts and the channels over every repository).
 * The caller holds the org's lock.
 */
export function rewriteOrgRollups(orgId: string, days: readonly string[] | null): Statement[] {
  const dayValues = [orgId, days ? [...days] : null];
  const weeks = days ? [...new Set(days.map(weekOf))].sort() : null;
  const weekValues = [orgId, weeks];
  const onDays = `($2::date[] IS NULL OR day = ANY($2::date[]))`;
  const del = (table: string, column: 'day' | 'week', values: unknown[]) => ({
    text: `DELETE FROM "${table}" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR ${column} = ANY($2::date[]))`,
    values,
  });
  return [
    del('EvidenceOrgDay', 'day', dayValues),
    {
      text: `INSERT INTO "EvidenceOrgDay" ("orgId", "repositoryId", day, ${quoted.join(', ')})
SELECT $1, "repositoryId", day, ${sums()}
FROM "EvidenceDay" WHERE "orgId" = $1 AND ${onDays}
GROUP BY 2, 3`,
      values: dayValues,
    },
    del('ChannelOrgDay', 'day', dayValues),
    {
      text: `INSERT INTO "ChannelOrgDay" ("orgId", "repositoryId", day, channel, invocations)
SELECT $1, "repositoryId", day, channel, sum(invocations)
FROM "ChannelDay" WHERE "orgId" = $1 AND ${onDays}
GROUP BY 2, 3, 4`,
      values: dayValues,
    },
    del('EvidenceWeek', 'week', weekValues),
    {
      text: `INSERT INTO "EvidenceWeek" ("orgId", "repositoryId", week, ${quoted.join(', ')})
SELECT $1, "repositoryId", ${mondayOf('day')}, ${sums()}
FROM "EvidenceOrgDay" WHERE "orgId" = $1 AND ${inWeeks}
GROUP BY 2, 3`,
      values: weekValues,
    },
    del('ChannelWeek', 'week', weekValues),
    {
      text: `INSERT INTO "ChannelWeek" ("orgId", "repositoryId", week, channel, invocations)
SELECT $1, "repositoryId", ${mondayOf('day')}, channel, sum(invocations)
FROM "ChannelOrgDay" WHERE "orgId" = $1 AND ${inWeeks}
GROUP BY 2, 3, 4`,
      values: weekValues,
    },
    del('OrgWeek', 'week', weekValues),
    {
      // FULL: a week's channels stand on their own, not only where DeveloperWeek has a row of the week.
      text: `INSERT INTO "OrgWeek" ("orgId", week, "activeDevelopers", "meetingParallel", channels)
SELECT $1, week, coalesce(p.active, 0), coalesce(p.meeting, 0), coalesce(c.channels, '{}')
FROM (
  SELECT week, ${parallelCounts('AS active', 'AS meeting')} FROM "DeveloperWeek"
  WHERE "orgId" = $1 AND ($2::date[] IS NULL OR week = ANY($2::date[])) GROUP BY week
) p
FULL JOIN (
  SELECT week, array_agg(DISTINCT channel ORDER BY channel) AS channels FROM "ChannelWeek"
  WHERE "orgId" = $1 AND ($2::date[] IS NULL OR week = ANY($2::date[])) GROUP BY week
) c USING (week)`,
      values: weekValues,
    },
    ...rewriteTeamRollups(orgId, { days }),
  ];
}

/** A developer-week's active days by daily max 1, 2, 3, 4, 5+ (DeveloperWeek's columns). */
export const HISTOGRAM = ['"daysAtMax1"', '"daysAtMax2"', '"daysAtMax3"', '"daysAtMax4"', '"daysAtMax5Plus"'] as const;

const ACTIVE = `${HISTOGRAM.join(' + ')} > 0`;
/** Over DeveloperWeek rows of one week: criterion 3's developers active, and those whose median daily max reaches 3. */
const parallelCounts = (active = '', meeting = '') =>
  `count(*) FILTER (WHERE ${ACTIVE})::int ${active}, count(*) FILTER (WHERE ${ACTIVE} AND ${medianAtLeastThree(HISTOGRAM)})::int ${meeting}`;

/**
 * Rewrites the org's team rollups, TeamDay and TeamWeek, of these days (and the weeks holding
 * them) for every team, or of every day and week for these teams (null days: all of both), from
 * the rows of each team's current members (only the org's own teams, whatever a member row
 * points at): EvidenceDay and ChannelDay for the days, DeveloperWeek for the weeks. The caller
 * holds the org's lock and has written those first.
 */
export function rewriteTeamRollups(orgId: string, which: { days: readonly string[] | null } | { teams: readonly string[] }): Statement[] {
  const days = 'days' in which && which.days ? [...new Set(which.days)].sort() : null;
  const teams = 'teams' in which ? [...which.teams] : null;
  return [...rewriteTeamDays(orgId, days, teams), ...rewriteTeamWeeks(orgId, days ? [...new Set(days.map(weekOf))].sort() : null, teams)];
}

/** A team's current members (team, dev), of the org's own teams; $1 the org, $3 the teams (null: all). */
const TEAM_MEMBERS = `SELECT tm."teamId" AS team, m."userId" AS dev FROM "TeamMember" tm
  JOIN "Membership" m ON m."orgId" = $1 AND m.id = tm."membershipId"
  JOIN "Team" t ON t."orgId" = $1 AND t.id = tm."teamId"
  WHERE tm."orgId" = $1 AND ($3::text[] IS NULL OR tm."teamId" = ANY($3::text[]))`;

function rewriteTeamDays(orgId: string, days: string[] | null, teams: string[] | null): Statement[] {
  const values = [orgId, days, teams];
  const onDays = (alias: string) => `${alias}."orgId" = $1 AND ($2::date[] IS NULL OR ${alias}.day = ANY($2::date[]))`;
  return [
    {
      text: `DELETE FROM "TeamDay" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR day = ANY($2::date[])) AND ($3::text[] IS NULL OR "teamId" = ANY($3::text[]))`,
      values,
    },
    {
      text: `WITH tm AS MATERIALIZED (
  ${TEAM_MEMBERS}
), e AS (
  SELECT tm.team, d.day, ${quoted.map((c) => `sum(d.${c}) AS ${c}`).join(', ')}
  FROM "EvidenceDay" d JOIN tm ON tm.dev = d."developerId" WHERE ${onDays('d')} GROUP BY 1, 2
), ch AS (
  SELECT tm.team, c.day, array_agg(DISTINCT c.channel ORDER BY c.channel) AS channels
  FROM "ChannelDay" c JOIN tm ON tm.dev = c."developerId" WHERE ${onDays('c')} GROUP BY 1, 2
), k AS (
  SELECT team, day FROM e UNION SELECT team, day FROM ch
)
INSERT INTO "TeamDay" ("orgId", "teamId", day, ${quoted.join(', ')}, channels)
SELECT $1, k.team, k.day, ${quoted.map((c) => `coalesce(e.${c}, 0)`).join(', ')}, coalesce(ch.channels, '{}')
FROM k LEFT JOIN e ON e.team = k.team AND e.day = k.day LEFT JOIN ch ON ch.team = k.team AND ch.day = k.day`,
      values,
    },
  ];
}

function rewriteTeamWeeks(orgId: string, weeks: string[] | null, teams: string[] | null): Statement[] {
  const values = [orgId, weeks, teams];
  const mine = `($2::date[] IS NULL OR dw.week = ANY($2::date[]))`;
  return [
    {
      text: `DELETE FROM "TeamWeek" WHERE "orgId" = $1 AND ($2::date[] IS NULL OR week = ANY($2::date[])) AND ($3::text[] IS NULL OR "teamId" = ANY($3::text[]))`,
      values,
    },
    {
      text: `WITH tm AS MATERIALIZED (
  ${TEAM_MEMBERS}
), dw AS MATERIALIZED (
  SELECT tm.team, dw.* FROM "DeveloperWeek" dw JOIN tm ON tm.dev = dw."developerId"
  WHERE dw."orgId" = $1 AND ${mine}
), ch AS (
  SELECT team, week, array_agg(DISTINCT channel ORDER BY channel) AS channels FROM dw CROSS JOIN unnest(dw.channels) AS channel GROUP BY 1, 2
)
INSERT INTO "TeamWeek" ("orgId", "teamId", week, ${quoted.join(', ')}, channels, "activeDevelopers", "meetingParallel")
SELECT $1, s.team, s.week, ${quoted.map((c) => `s.${c}`).join(', ')}, coalesce(ch.channels, '{}'), s.active, s.meeting
FROM (SELECT team, week, ${quoted.map((c) => `sum(${c}) AS ${c}`).join(', ')}, ${parallelCounts('AS active', 'AS meeting')}
      FROM dw GROUP BY team, week) s
LEFT JOIN ch ON ch.team = s.team AND ch.week = s.week`,
      values,
    },
  ];
}

/** The daily relations a DeveloperWeek is summed from; table names, never user input. */
export interface DailyRelations {
  evidence: string;
  concurrency: string;
  channels: string;
}

/**
 * Rewrites one developer's (or, null, every developer's) DeveloperWeek rows of `weeks` (null:
 * all): EvidenceDay summed over repositories beside ConcurrencyDay's week, whose active days are
 * counted by daily max, and the channels ChannelDay saw. `into` and `from` name other relations of the same columns (tests).
 */
export function rewriteDeveloperWeeks(
  orgId: string,
  developerId: string | null,
  weeks: readonly string[] | null,
  into = '"DeveloperWeek"',
  from: DailyRelations = { evidence: '"EvidenceDay"', concurrency: '"ConcurrencyDay"', channels: '"ChannelDay"' },
): Statement[] {
  const values = [orgId, weeks ? [...weeks] : null, developerId];
  const mine = `"orgId" = $1 AND ($3::text IS NULL OR "developerId" = $3) AND ${inWeeks}`;
  const zeros = quoted.map((c) => `coalesce(e.${c}, 0)`).join(', ');
  return [
    {
      text: `DELETE FROM ${into} WHERE "orgId" = $1 AND ($3::text IS NULL OR "developerId" = $3) AND ($2::date[] IS NULL OR week = ANY($2::date[]))`,
      values,
    },
    {
      text: `WITH e AS (
  SELECT "developerId" AS dev, ${mondayOf('day')} AS week, ${quoted.map((c) => `sum(${c}) AS ${c}`).join(', ')}
  FROM ${from.evidence} WHERE ${mine} GROUP BY 1, 2
), c AS (
  SELECT "developerId" AS dev, ${mondayOf('day')} AS week, max("maxConcurrency") AS max_c, sum("activeMs") AS active_ms, sum("areaMs") AS area_ms,
         count(*) FILTER (WHERE "maxConcurrency" = 1) AS d1, count(*) FILTER (WHERE "maxConcurrency" = 2) AS d2,
         count(*) FILTER (WHERE "maxConcurrency" = 3) AS d3, count(*) FILTER (WHERE "maxConcurrency" = 4) AS d4,
         count(*) FILTER (WHERE "maxConcurrency" >= 5) AS d5
  FROM ${from.concurrency} WHERE ${mine} GROUP BY 1, 2
), ch AS (
  SELECT "developerId" AS dev, ${mondayOf('day')} AS week, array_agg(DISTINCT channel ORDER BY channel) AS channels
  FROM ${from.channels} WHERE ${mine} GROUP BY 1, 2
), k AS (
  SELECT dev, week FROM e UNION SELECT dev, week FROM c UNION SELECT dev, week FROM ch
)
INSERT INTO ${into} ("orgId", "developerId", week, ${quoted.join(', ')},
  "maxConcurrency", "activeMs", "areaMs", "daysAtMax1", "daysAtMax2", "daysAtMax3", "daysAtMax4", "daysAtMax5Plus", channels)
SELECT $1, k.dev, k.week, ${zeros},
       coalesce(c.max_c, 0), coalesce(c.active_ms, 0), coalesce(c.area_ms, 0),
       coalesce(c.d1, 0), coalesce(c.d2, 0), coalesce(c.d3, 0), coalesce(c.d4, 0), coalesce(c.d5, 0), coalesce(ch.channels, '{}')
FROM k LEFT JOIN e ON e.dev = k.dev AND e.week = k.week
LEFT JOIN c ON c.dev = k.dev AND c.week = k.week
LEFT JOIN ch ON ch.dev = k.dev AND ch.week = k.week`,
      values,
    },
    runningSums(orgId, developerId, into),
  ];
}

/**
 * A common table expression `name(dev)` for a statement that opens with WITH RECURSIVE: every
 * developer with weekly rows in org `org` (an SQL expression, as the index is on "orgId"), and a
 * last row of NULL to filter out, by a skip scan of DeveloperWeek's key: a probe per developer,
 * where DISTINCT reads every developer-week the org ever had. `when` (SQL) may turn it off: then
 * it is empty and costs nothing. `table` for a relation with DeveloperWeek's columns (tests).
 */
export function developersWithWeeks(name: string, org: string, options: { when?: string; table?: string } = {}): string {
  const table = options.table ?? '"DeveloperWeek"';
  return `${name} AS (
  (SELECT "developerId" AS dev FROM ${table} WHERE "orgId" = ${org}${options.when ? ` AND ${options.when}` : ''} ORDER BY "developerId" LIMIT 1)
  UNION ALL
  SELECT (SELECT w."developerId" FROM ${table} w WHERE w."orgId" = ${org} AND w."developerId" > ${name}.dev ORDER BY w."developerId" LIMIT 1)
  FROM ${name} WHERE ${name}.dev IS NOT NULL
)`;
}

/** HISTOGRAM's running sums over a developer's weeks up to each one (DeveloperWeek's columns). */
export const CUMULATIVE = ['"cumDaysAtMax1"', '"cumDaysAtMax2"', '"cumDaysAtMax3"', '"cumDaysAtMax4"', '"cumDaysAtMax5Plus"'] as const;

/** A single-agent week (METRICS.md "Baseline"): activity, and a daily max never above 1. */
const SINGLE_AGENT_WEEK = `("activeMs" > 0 AND "maxConcurrency" <= 1)`;

/**
 * Every running sum DeveloperWeek keeps, as [column, the week's own value]: CUMULATIVE, and what
 * Variance reads (developerThroughputQuery). The migration that added a column backfills it
 * with the same expression.
 */
export const RUNNING_SUMS: readonly (readonly [string, string])[] = [
  ...CUMULATIVE.map((c, i) => [c, HISTOGRAM[i]!] as const),
  ['"cumSingleWeeks"', `${SINGLE_AGENT_WEEK}::int`],
  ['"cumSingleMerged"', `CASE WHEN ${SINGLE_AGENT_WEEK} THEN "prsMerged" ELSE 0 END`],
  ['"cumFinished"', 'finished'],
  ['"cumSucceeded"', 'succeeded'],
  ['"cumIntervened"', 'intervened'],
  ['"cumComplexFinished"', '"complexFinished"'],
  ['"cumSlaWithin"', '"slaWithin"'],
  ['"cumSlaLate"', '"slaBreached" + "slaMissed"'],
  ['"cumPrsMerged"', '"prsMerged"'],
  ['"cumActiveMs"', '"activeMs"'],
  ['"cumAreaMs"', '"areaMs"'],
];

/**
 * Sets the running sums (RUNNING_SUMS) on all the developer's (null: every developer's) rows,
 * from all their rows; a row already right is not written. Rewriting a week moves every later
 * week's sums. Every row is checked, not only those after the week rewritten: a row written
 * without its sums (by a process from before a column was added, during a rollout) is then
 * repaired by the developer's next refresh, whichever week that rewrites.
 */
function runningSums(orgId: string, developerId: string | null, into: string): Statement {
  const running = RUNNING_SUMS.map(([, value], i) => `sum(${value}) OVER w AS c${i + 1}`).join(', ');
  const columns = RUNNING_SUMS.map(([c]) => c);
  return {
    text: `UPDATE ${into} dw SET ${columns.map((c, i) => `${c} = r.c${i + 1}`).join(', ')}
FROM (SELECT "developerId" AS dev, week, ${running} FROM ${into}
      WHERE "orgId" = $1 AND ($2::text IS NULL OR "developerId" = $2)
      WINDOW w AS (PARTITION BY "developerId" ORDER BY week)) r
WHERE dw."orgId" = $1 AND dw."developerId" = r.dev AND dw.week = r.week
  AND (${columns.map((c) => `dw.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((_, i) => `r.c${i + 1}`).join(', ')})`,
    values: [orgId, developerId],
  };
}

/**
 * Whether a developer's median daily max is at least 3 (criterion 3), from their active days
 * counted by daily max (SQL expressions n1..n4 for 1..4, n5 for 5 or more). The median of n
 * sorted values is the mean of the values at positions (n+1)/2 and n/2+1 (integer division);
 * it reaches 3 exactly when those two sum to at least 6, and for that 5 and above may be one
 * bucket (the lower one is then below 3 only if it is 1 or 2, which need 5+ or 4+ above it).
 */
export function medianAtLeastThree(n: readonly [string, string, string, string, string]): string {
  const [n1, n2, n3, n4, n5] = n;
  const total = `(${n1} + ${n2} + ${n3} + ${n4} + ${n5})`;
  const at = (position: string) =>
    `CASE WHEN ${position} <= ${n1} THEN 1 WHEN ${position} <= ${n1} + ${n2} THEN 2 WHEN ${position} <= ${n1} + ${n2} + ${n3} THEN 3 WHEN ${position} <= ${n1} + ${n2} + ${n3} + ${n4} THEN 4 ELSE 5 END`;
  return `(${at(`((${total} + 1) / 2)`)} + ${at(`(${total} / 2 + 1)`)} >= 6)`;
}
