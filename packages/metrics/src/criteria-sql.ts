// criteria (criteria.ts) in PostgreSQL, from the rollups only, never the raw sessions. Whole
// ISO weeks of the period come from the weekly rollups (rollup-week-sql.ts) and only the days
// at its two ends from the daily ones (criteria-sources-sql.ts), so an org's year is about 52
// rows per repository whatever its size. The final verdicts (meets, rates, l4) are taken by criteriaFromTotals, the same code
// for every caller.
import { COMPLETION_TARGET, channelsUsed } from './completion.ts';
import { type CriteriaSummary, PARALLEL_GROUP_TARGET } from './criteria.ts';
import { CHANNEL_NAMES, type Kind, sources } from './criteria-sources-sql.ts';
import { medianAtLeastThree, mondayOf } from './rollup-week-sql.ts';

export interface CriteriaScope {
  orgId: string;
  from: string;
  to: string;
  /** Only these developers' rows (a team); null: the whole org. */
  developers: readonly string[] | null;
  /** The team whose current members `developers` are: its whole weeks then come from TeamWeek. */
  teamId?: string | null;
  repositoryId: string | null;
  slaTarget: number;
}

/** Criteria of several groups of one org at once (the report's teams): each a key and its developers. */
export interface CriteriaGroupsScope {
  orgId: string;
  from: string;
  to: string;
  /**
   * null: one group, the whole org (key ''). A group that is a team's current members names
   * the team: when every group does (and no repository is asked for), whole weeks come from
   * TeamWeek, a row per team and week, instead of a row per member.
   */
  groups: readonly { key: string; developers: readonly string[]; teamId?: string }[] | null;
  repositoryId: string | null;
}

/** The additive totals: [rollup column, result name, type]. */
const TOTALS: [string, string, 'int' | 'float8'][] = [
  ['finished', 'finished', 'int'],
  ['unassisted', 'unassisted', 'int'],
  ['unattended', 'unattended', 'int'],
  ['"slaWithin"', 'sla_within', 'int'],
  ['"slaBreached"', 'sla_breached', 'int'],
  ['"slaMissed"', 'sla_missed', 'int'],
  ['"slaOpen"', 'sla_open', 'int'],
  ['"prsOpened"', 'prs_opened', 'int'],
  ['"prsMerged"', 'prs_merged', 'int'],
  ['"mergedSteered"', 'merged_steered', 'int'],
  ['"mergedReviewed"', 'merged_reviewed', 'int'],
  ['"mergedUnreviewed"', 'merged_unreviewed', 'int'],
  ['"reviewLatencyMsSum"', 'review_latency_ms', 'float8'],
  ['"costUsd"', 'cost_usd', 'float8'],
  ['"costReported"', 'cost_reported', 'int'],
];
/** The totals summed (zero over no rows), and, for a LEFT JOINed relation, read with zeros for a missing row. */
const summed = TOTALS.map(([col, name, type]) => `coalesce(sum(${col}), 0)::${type} AS ${name}`).join(', ');
const orZero = (alias: string) => TOTALS.map(([, name]) => `coalesce(${alias}.${name}, 0) AS ${name}`).join(', ');

/** Per developer (the `key` columns end with dev), whether their median daily max reaches 3, over the active days in `hist`. */
const medians = (key: string, from = 'hist') => `
  SELECT ${key}, ${medianAtLeastThree(['n1', 'n2', 'n3', 'n4', 'n5'])} AS meets
  FROM (SELECT ${key}, sum(d1) AS n1, sum(d2) AS n2, sum(d3) AS n3, sum(d4) AS n4, sum(d5) AS n5 FROM ${from} GROUP BY ${key}) h
  WHERE n1 + n2 + n3 + n4 + n5 > 0`;

/** Which sources() a scope reads: teams only when every group names its team and no repository narrows the rows. */
function kindOf(scope: CriteriaGroupsScope): Kind {
  if (!scope.groups) return 'org';
  const teams = scope.groups.length > 0 && scope.repositoryId === null && scope.groups.every((g) => g.teamId);
  return teams ? 'teams' : 'developers';
}

function groupValues(scope: CriteriaGroupsScope): unknown[] {
  const pairs = (scope.groups ?? []).flatMap((g) => g.developers.map((dev) => [g.key, dev] as const));
  const values = [
    scope.orgId,
    scope.from,
    scope.to,
    scope.groups ? pairs.map(([, dev]) => dev) : null,
    scope.repositoryId,
    scope.groups ? pairs.map(([key]) => key) : null,
    scope.groups ? scope.groups.map((g) => g.key) : [''],
  ];
  // $8 only where it is read: PostgreSQL cannot type a parameter no statement mentions.
  return kindOf(scope) === 'teams' ? [...values, scope.groups!.map((g) => g.teamId)] : values;
}

/** One group: the org (developers null) or a team. */
const single = (scope: CriteriaScope): CriteriaGroupsScope => ({
  ...scope,
  groups: scope.developers ? [{ key: 'team', developers: scope.developers, ...(scope.teamId ? { teamId: scope.teamId } : {}) }] : null,
});

/** The criteria's totals for the period: one row (CriteriaTotals). */
export function criteriaQuery(scope: CriteriaScope): { text: string; values: unknown[] } {
  return criteriaGroupsQuery(single(scope));
}

/**
 * The criteria's totals for the period, one row per group (CriteriaTotals and `grp`, its key),
 * in the order given; a group without rows has zeros. One statement for all of them, so a
 * report of many teams costs about what one team does.
 */
export function criteriaGroupsQuery(scope: CriteriaGroupsScope): { text: string; values: unknown[] } {
  return {
    text: `WITH RECURSIVE ${sources(kindOf(scope))}, ${GROUPS}, ${WEEKLY.ctes}, ${PERIOD.ctes}\n${PERIOD.select}\nORDER BY g.ord`,
    values: groupValues(scope),
  };
}

/**
 * criteriaGroupsQuery and the same week by week (ISO weeks, clipped to the period; `week` their
 * Monday, YYYY-MM-DD), in one statement over the same rollup rows (read once): per group, first
 * its period row (week null), then its weeks in order, for the trend lines and charts.
 */
export function criteriaGroupsWithWeeksQuery(
  scope: CriteriaGroupsScope,
  /** Only these figures of each week (the others come back null): a chart of many groups' weeks needs few. */
  weekly: readonly (keyof CriteriaTotals)[] | null = null,
): { text: string; values: unknown[] } {
  return {
    text: `WITH RECURSIVE ${sources(kindOf(scope))}, ${GROUPS}, ${WEEKLY.ctes}, ${PERIOD.ctes}
SELECT * FROM (
${PERIOD.select}
UNION ALL
${WEEKLY.select(weekly)}
) r ORDER BY r.ord, r.week NULLS FIRST`,
    values: groupValues(scope),
  };
}

/**
 * Only the weeks of criteriaGroupsWithWeeksQuery, only the figures `weekly`, packed: one row whose
 * `weeks` is a JSON array of [group key, week, ...the figures in the order of `weekly`], by
 * group (in the order given) and week. A report of seventy teams has thousands of weeks: as rows
 * of some twenty columns each, parsing them in Node cost more than computing them (and Node and
 * PostgreSQL share the cores); one JSON text parses natively in a millisecond or two. A caller
 * that reads the period on its own (criteriaGroupsQuery) runs the two side by side; read it with
 * unpackWeeks.
 */
export function criteriaGroupsWeeksPackedQuery<F extends keyof CriteriaTotals>(
  scope: CriteriaGroupsScope,
  weekly: readonly F[],
): { text: string; values: unknown[] } {
  return {
    text: `WITH RECURSIVE ${sources(kindOf(scope))}, ${GROUPS}, ${WEEKLY.ctes}
SELECT coalesce(json_agg(json_build_array(r.grp, r.week, ${weekly.map((f) => `r.${f}`).join(', ')}) ORDER BY r.ord, r.week), '[]')::text AS weeks
FROM (${WEEKLY.select(weekly)}) r`,
    values: groupValues(scope),
  };
}

/** The rows of criteriaGroupsWeeksPackedQuery's `weeks`, by group and week, with the figures asked for. */
export function unpackWeeks<F extends keyof CriteriaTotals>(
  weeks: string,
  weekly: readonly F[],
): ({ grp: string; week: string } & Pick<CriteriaTotals, F>)[] {
  return (JSON.parse(weeks) as unknown[][]).map(([grp, week, ...figures]) => ({
    grp: grp as string,
    week: week as string,
    ...(Object.fromEntries(weekly.map((f, i) => [f, figures[i]])) as Pick<CriteriaTotals, F>),
  }));
}

/**
 * Only the additive totals of criteriaQuery (CriteriaTotals' counts, one row): no medians and
 * no channels, so only the evidence rollups are read. What a count of a tile's rows needs.
 */
export function criteriaCountsQuery(scope: CriteriaScope): { text: string; values: unknown[] } {
  // Never TeamWeek's rows here: the members' own, whose rows the tile lists.
  const g = single({ ...scope, teamId: null });
  // $7 (the groups' keys) only names the groups of a result: not used here.
  return { text: `WITH RECURSIVE ${sources(kindOf(g))}\nSELECT ${summed} FROM ev`, values: groupValues(g).slice(0, 6) };
}

/** criteriaQuery and its weeks in one statement: the period's row (week null), then its weeks. */
export function criteriaWithWeeksQuery(scope: CriteriaScope): { text: string; values: unknown[] } {
  return criteriaGroupsWithWeeksQuery(single(scope));
}

const GROUPS = `groups AS (
  SELECT g.grp, g.ord FROM unnest($7::text[]) WITH ORDINALITY AS g(grp, ord)
), ${CHANNEL_NAMES}`;

/**
 * The period's figures per group, over the CTEs of sources(), GROUPS and WEEKLY: summed from
 * WEEKLY's rows where a figure adds up over weeks (the totals, the weeks with an unattended
 * session, the channels), so that the rollup rows are read once whether or not the weeks are
 * asked for too (WEEKLY's CTEs nobody reads are never computed); the medians of criterion 3 do
 * not add up and come from hist.
 */
const PERIOD = {
  ctes: `totals AS (
  SELECT grp, ${TOTALS.map(([, name, type]) => `coalesce(sum(${name}), 0)::${type} AS ${name}`).join(', ')} FROM by_week GROUP BY grp
), weeks AS (
  SELECT count(*)::int AS weeks FROM week_list
), unattended_weeks AS (
  SELECT grp, count(*) FILTER (WHERE unattended > 0)::int AS weeks FROM by_week GROUP BY grp
), channels AS (
  SELECT grp, bit_or(mask) AS mask FROM week_channels GROUP BY grp
), parallel AS (
  SELECT grp, count(*)::int AS active_developers, count(*) FILTER (WHERE meets)::int AS meeting_parallel
  FROM (${medians('grp, dev')}) m GROUP BY grp
)`,
  select: `SELECT g.grp, NULL::text AS week, ${orZero('t')}, w.weeks, coalesce(uw.weeks, 0) AS unattended_weeks, coalesce(cn.names, '{}') AS channels,
       coalesce(p.active_developers, 0) AS active_developers, coalesce(p.meeting_parallel, 0) AS meeting_parallel, g.ord
FROM groups g CROSS JOIN weeks w
LEFT JOIN totals t ON t.grp = g.grp
LEFT JOIN unattended_weeks uw ON uw.grp = g.grp
LEFT JOIN channels c ON c.grp = g.grp
LEFT JOIN channel_names cn ON cn.mask = c.mask
LEFT JOIN parallel p ON p.grp = g.grp`,
};

export interface CriteriaTotals {
  finished: number;
  unassisted: number;
  unattended: number;
  sla_within: number;
  sla_breached: number;
  sla_missed: number;
  sla_open: number;
  prs_opened: number;
  prs_merged: number;
  merged_steered: number;
  merged_reviewed: number;
  merged_unreviewed: number;
  review_latency_ms: number;
  cost_usd: number;
  cost_reported: number;
  weeks: number;
  unattended_weeks: number;
  channels: string[];
  active_developers: number;
  meeting_parallel: number;
}

/** The verdicts from the query's one row: the same thresholds as the pure functions. */
export function criteriaFromTotals(t: CriteriaTotals, slaTarget: number): CriteriaSummary {
  const counted = t.sla_within + t.sla_breached + t.sla_missed;
  const completionRate = t.finished > 0 ? t.unassisted / t.finished : null;
  const slaRate = counted > 0 ? t.sla_within / counted : null;
  const share = t.active_developers > 0 ? t.meeting_parallel / t.active_developers : null;
  const summary: Omit<CriteriaSummary, 'l4'> = {
    unattended: {
      weeks: t.weeks,
      weeksWithUnattended: t.unattended_weeks,
      unattended: t.unattended,
      finished: t.finished,
      meets: t.weeks > 0 && t.unattended_weeks === t.weeks,
    },
    channels: channelsUsed(t.channels.map((channel) => ({ channel }))),
    parallel: {
      activeDevelopers: t.active_developers,
      meeting: t.meeting_parallel,
      share,
      meets: share !== null && share >= PARALLEL_GROUP_TARGET,
    },
    completion: {
      finished: t.finished,
      unassisted: t.unassisted,
      rate: completionRate,
      meets: completionRate !== null && completionRate > COMPLETION_TARGET,
    },
    sla: {
      within: t.sla_within,
      breached: t.sla_breached,
      missed: t.sla_missed,
      open: t.sla_open,
      counted,
      rate: slaRate,
      meets: slaRate !== null && slaRate >= slaTarget,
    },
    pullRequests: {
      opened: t.prs_opened,
      merged: t.prs_merged,
      steered: t.merged_steered,
      reviewed: t.merged_reviewed,
      unreviewed: t.merged_unreviewed,
      withoutOversight: t.merged_reviewed + t.merged_unreviewed,
      meanReviewLatencyMs: t.merged_reviewed > 0 ? t.review_latency_ms / t.merged_reviewed : null,
    },
    cost: {
      reportedUsd: t.cost_usd,
      reported: t.cost_reported,
      sessions: t.finished,
      usdPerMergedPr: t.prs_merged > 0 && t.cost_reported > 0 ? t.cost_usd / t.prs_merged : null,
      coverage: t.finished > 0 ? t.cost_reported / t.finished : null,
    },
  };
  return {
    ...summary,
    l4: summary.unattended.meets && summary.channels.meets && summary.parallel.meets && summary.completion.meets && summary.sla.meets,
  };
}

/** The figures per group and week, over the CTEs of sources() and GROUPS (names apart from PERIOD's). */
const WEEKLY = {
  ctes: `week_list AS (
  SELECT DISTINCT ${mondayOf('d')} AS week FROM generate_series($2::date, $3::date, interval '1 day') AS d
), by_week AS (
  SELECT grp, week, ${summed} FROM ev GROUP BY grp, week
), week_channels AS (
  SELECT grp, week, bit_or(mask) AS mask FROM chan_weeks GROUP BY grp, week
), week_parallel AS (
  -- Whole weeks counted by sources(); the end weeks' days summed per developer first.
  SELECT grp, week, active_developers, meeting_parallel FROM parallel_weeks
  UNION ALL
  SELECT grp, week, count(*)::int, count(*) FILTER (WHERE meets)::int FROM (${medians('grp, week, dev', 'hist_days')}) m GROUP BY grp, week
)`,
  select: (only: readonly (keyof CriteriaTotals)[] | null) => {
    const figures: [keyof CriteriaTotals, string, string][] = [
      ...TOTALS.map(([, name, type]): [keyof CriteriaTotals, string, string] => [
        name as keyof CriteriaTotals,
        `coalesce(e.${name}, 0)`,
        type,
      ]),
      ['weeks', '1', 'int'],
      ['unattended_weeks', '(coalesce(e.unattended, 0) > 0)::int', 'int'],
      ['channels', `coalesce(cn.names, '{}')`, 'text[]'],
      ['active_developers', 'coalesce(p.active_developers, 0)', 'int'],
      ['meeting_parallel', 'coalesce(p.meeting_parallel, 0)', 'int'],
    ];
    const wanted = (name: keyof CriteriaTotals) => !only || only.includes(name);
    // A figure not asked for is a typed null (UNION ALL with the period's row): nothing to compute, send or parse.
    const columns = figures.map(([name, expression, type]) => `${wanted(name) ? expression : `NULL::${type}`} AS ${name}`);
    const channels = wanted('channels')
      ? `LEFT JOIN week_channels c ON c.grp = g.grp AND c.week = w.week
LEFT JOIN channel_names cn ON cn.mask = c.mask`
      : '';
    return `SELECT g.grp, to_char(w.week, 'YYYY-MM-DD') AS week, ${columns.join(', ')}, g.ord
FROM groups g CROSS JOIN week_list w
LEFT JOIN by_week e ON e.grp = g.grp AND e.week = w.week
${channels}
LEFT JOIN week_parallel p ON p.grp = g.grp AND p.week = w.week`;
  },
};

/** Invocations per channel per week of the period (its Monday, YYYY-MM-DD): rows week, channel, invocations. */
export function channelsByWeekQuery(scope: CriteriaScope): { text: string; values: unknown[] } {
  // The org's from its weekly rollup and end days; a team's, which needs counts, from the days.
  const text = scope.developers
    ? `SELECT to_char(${mondayOf('day')}, 'YYYY-MM-DD') AS week, channel::text AS channel, sum(invocations)::int AS invocations
FROM "ChannelDay" WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date AND "developerId" = ANY($4::text[])
  AND ($5::text IS NULL OR "repositoryId" = $5)
GROUP BY 1, 2 ORDER BY 1, 2`
    : `
WITH RECURSIVE ${sources('org')}
SELECT to_char(week, 'YYYY-MM-DD') AS week, channel::text AS channel, sum(invocations)::int AS invocations
FROM chan GROUP BY week, channel ORDER BY week, channel`;
  const v = groupValues(single({ ...scope, teamId: null }));
  return { text, values: scope.developers ? v.slice(0, 5) : v.slice(0, 6) };
}
