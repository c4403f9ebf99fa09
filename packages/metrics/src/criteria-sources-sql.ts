// The rollup rows every criteria query starts from (criteria-sql.ts), as CTEs over a period:
// which tables a scope reads (the org, a group of developers, teams) and how its whole weeks
// and end days are split between the weekly and daily rollups.
import {
  CUMULATIVE,
  developersWithWeeks,
  EVIDENCE_COUNT_COLUMNS,
  firstWholeWeek,
  HISTOGRAM,
  lastWholeWeek,
  medianAtLeastThree,
  mondayOf,
} from './rollup-week-sql.ts';

/**
 * A channel's bit in a set of channels (its place in the Channel enum: they are few, and an int
 * holds 31). The enum's values are read once per statement (an uncorrelated subquery), not once
 * per row.
 */
const channelBit = (channel: string) => `(1 << (array_position((SELECT enum_range(NULL::"Channel")), ${channel}) - 1))`;
/** The bit set of an array of channels, as a lateral join `cm(mask)` (planned far cheaper than a subquery per row). */
const channelMask = (channels: string) =>
  `CROSS JOIN LATERAL (SELECT coalesce(bit_or(${channelBit('c')}), 0) AS mask FROM unnest(${channels}) AS c) cm`;
/**
 * Every bit set of channels with its names, sorted: computed once per statement (a hundred-odd
 * sets), so that a result row names its channels by a join, not a subquery of its own.
 */
export const CHANNEL_NAMES = `channel_names AS (
  SELECT m AS mask, ARRAY(SELECT c::text FROM unnest(r.e) WITH ORDINALITY AS u(c, i) WHERE (m >> (i::int - 1)) & 1 = 1 ORDER BY c::text) AS names
  FROM (SELECT enum_range(NULL::"Channel") AS e) r, generate_series(0, (1 << array_length(r.e, 1)) - 1) AS m
)`;

/**
 * hist: per group of members and developer, the period's active days counted by daily max (what
 * its medians sum over): its whole weeks as the difference of two rows of the developer's
 * running sums (CUMULATIVE: the last week up to the period's last whole week, less the last
 * week before its first), two index probes per developer instead of a row per week; then a row
 * per end day from hist_days. `devs` is a relation of (grp, dev); first and last the whole
 * weeks' Mondays.
 */
function hist(devs: string, first: string, last: string): string {
  const probe = (bound: string) =>
    `SELECT ${CUMULATIVE.map((c, i) => `${c} AS c${i + 1}`).join(', ')} FROM "DeveloperWeek"
    WHERE "orgId" = $1 AND "developerId" = m.dev AND week ${bound} ORDER BY week DESC LIMIT 1`;
  return `hist_whole AS (
  SELECT m.grp, m.dev, ${CUMULATIVE.map((_, i) => `hi.c${i + 1} - coalesce(lo.c${i + 1}, 0) AS d${i + 1}`).join(', ')}
  FROM ${devs} m
  JOIN LATERAL (${probe(`<= ${last}`)}) hi ON ${first} <= ${last}
  LEFT JOIN LATERAL (${probe(`< ${first}`)}) lo ON true
), hist AS (
  SELECT grp, dev, d1, d2, d3, d4, d5 FROM hist_whole UNION ALL SELECT grp, dev, d1, d2, d3, d4, d5 FROM hist_days
)`;
}

export type Kind = 'org' | 'developers' | 'teams';

/**
 * The CTEs every criteria query starts from, over the period $2..$3 of org $1 and repository $5
 * (null: all), each row with its group `grp`: '' for the whole org when $4 is null, else the
 * groups of the (group $6[i], developer $4[i]) pairs:
 * - ev: EvidenceDay's counts with a `week`: the org's (or a repository's) whole weeks from
 *   EvidenceWeek and end days from EvidenceOrgDay (both summed over developers); a group's whole
 *   weeks from DeveloperWeek and end days from EvidenceDay. A group in one repository reads
 *   EvidenceDay alone (no weekly table holds both).
 * - chan (the org's only): the channels invoked with their invocations, from ChannelWeek and
 *   ChannelOrgDay, for the channels by week.
 * - chan_weeks: the channels invoked as a bit set per row (channelBit), with a `week`: for an
 *   org, whole weeks from OrgWeek's channels (ChannelWeek's in one repository) and end days
 *   from ChannelOrgDay; DeveloperWeek's channels and ChannelDay for a group. A set of
 *   channels is one int to OR together, so a year of a team's weeks is never unnested,
 *   sorted and deduplicated.
 * - hist: per group and developer, the period's active days counted by daily max
 *   (concurrency spans all repositories, so $5 does not apply): whole weeks from the running
 *   sums (see hist()), for the org of every developer with weekly rows (a skip scan of the
 *   key, so the statement opens with WITH RECURSIVE); hist_days a row per end day from
 *   ConcurrencyDay. Its cost follows the developers, not how busy their weeks were.
 * - parallel_weeks: per group and whole week, criterion 3's developers active and meeting it:
 *   OrgWeek's for the org, TeamWeek's for teams, else counted from each member's DeveloperWeek.
 * Teams (every group a team's members, $8[i] the team of group $7[i], no repository): whole
 * weeks of ev, chan_weeks and parallel_weeks from TeamWeek, end days of ev and chan_weeks from
 * TeamDay.
 */
export function sources(kind: Kind): string {
  const first = firstWholeWeek('$2');
  const last = lastWholeWeek('$3');
  const cols = EVIDENCE_COUNT_COLUMNS.map((c) => `"${c}"`).join(', ');
  const whole = `week BETWEEN ${first} AND ${last}`;
  const endDay = `(day < ${first} OR day > ${last} + 6)`;
  const period = `day BETWEEN $2::date AND $3::date`;
  // The period's days outside its whole weeks, as two ranges an index on the day finds.
  const endDayRanges = `(day BETWEEN $2::date AND least($3::date, ${first} - 1) OR day BETWEEN greatest($2::date, ${last} + 7) AND $3::date)`;
  const repo = `($5::text IS NULL OR "repositoryId" = $5)`;
  const buckets = `("maxConcurrency" = 1)::int AS d1, ("maxConcurrency" = 2)::int AS d2, ("maxConcurrency" = 3)::int AS d3,
         ("maxConcurrency" = 4)::int AS d4, ("maxConcurrency" >= 5)::int AS d5`;
  // Only the branches of the scope's kind are written: the planner then plans half the
  // statement (it shows on the embedded PGlite), and never probes an empty member list.
  const members = `
members AS (
  SELECT DISTINCT m.grp, m.dev FROM unnest($6::text[], $4::text[]) AS m(grp, dev)
)`;
  if (kind === 'org') {
    const org = `"orgId" = $1 AND $4::text[] IS NULL`;
    return `${members}, ev AS (
  SELECT ''::text AS grp, week, ${cols} FROM "EvidenceWeek" WHERE ${org} AND ${repo} AND ${whole}
  UNION ALL
  SELECT ''::text, ${mondayOf('day')}, ${cols} FROM "EvidenceOrgDay" WHERE ${org} AND ${period} AND ${repo} AND ${endDay}
), chan_whole AS NOT MATERIALIZED (
  SELECT ''::text AS grp, week, channel, invocations FROM "ChannelWeek" WHERE ${org} AND ${repo} AND ${whole}
), chan_ends AS NOT MATERIALIZED (
  SELECT ''::text AS grp, ${mondayOf('day')} AS week, channel, invocations FROM "ChannelOrgDay" WHERE ${org} AND ${period} AND ${repo} AND ${endDay}
), chan AS (
  SELECT * FROM chan_whole UNION ALL SELECT * FROM chan_ends
), chan_weeks AS (
  -- Whole weeks of every repository from OrgWeek's channels (a row per week, not per repository and channel).
  SELECT ''::text AS grp, week, cm.mask FROM "OrgWeek" ${channelMask('channels')} WHERE ${org} AND $5::text IS NULL AND ${whole}
  UNION ALL
  SELECT grp, week, ${channelBit('channel')} FROM chan_whole WHERE $5::text IS NOT NULL
  UNION ALL
  SELECT grp, week, ${channelBit('channel')} FROM chan_ends
), hist_days AS NOT MATERIALIZED (
  SELECT ''::text AS grp, ${mondayOf('day')} AS week, "developerId" AS dev, ${buckets}
  FROM "ConcurrencyDay" WHERE ${org} AND ${period} AND "maxConcurrency" > 0 AND ${endDay}
), ${developersWithWeeks('org_devs', '$1', { when: '$4::text[] IS NULL' })}, org_members AS (
  SELECT ''::text AS grp, dev FROM org_devs WHERE dev IS NOT NULL
), ${hist('org_members', first, last)}, parallel_weeks AS (
  SELECT ''::text AS grp, week, "activeDevelopers" AS active_developers, "meetingParallel" AS meeting_parallel FROM "OrgWeek" WHERE ${org} AND ${whole}
)`;
  }
  const endDays = `SELECT m.grp, ${mondayOf('day')}, ${cols} FROM "EvidenceDay" JOIN members m ON m.dev = "developerId"
  WHERE "orgId" = $1 AND ${period} AND ${repo} AND (${endDay} OR $5::text IS NOT NULL)`;
  const endChannels = `SELECT m.grp, ${mondayOf('day')}, ${channelBit('channel')} FROM "ChannelDay" JOIN members m ON m.dev = "developerId"
  WHERE "orgId" = $1 AND ${period} AND ${repo} AND (${endDay} OR $5::text IS NOT NULL)`;
  const histDays = `hist_days AS NOT MATERIALIZED (
  SELECT m.grp, ${mondayOf('day')} AS week, "developerId" AS dev, ${buckets}
  FROM "ConcurrencyDay" JOIN members m ON m.dev = "developerId"
  WHERE "orgId" = $1 AND ${period} AND "maxConcurrency" > 0 AND ${endDay}
), ${hist('members', first, last)}`;
  if (kind === 'teams') {
    const teamWeeks = (join = '') =>
      `"TeamWeek" JOIN teams t ON t.team = "teamId" ${join} WHERE "orgId" = $1 AND $5::text IS NULL AND ${whole}`;
    const teamDays = (join = '') =>
      `"TeamDay" JOIN teams t ON t.team = "teamId" ${join} WHERE "orgId" = $1 AND $5::text IS NULL AND ${endDayRanges}`;
    return `${members}, teams AS (
  SELECT t.grp, t.team FROM unnest($7::text[], $8::text[]) AS t(grp, team)
), ev AS (
  SELECT t.grp, week, ${cols} FROM ${teamWeeks()}
  UNION ALL
  SELECT t.grp, ${mondayOf('day')}, ${cols} FROM ${teamDays()}
), chan_weeks AS (
  SELECT t.grp, week, cm.mask FROM ${teamWeeks(channelMask('channels'))}
  UNION ALL
  SELECT t.grp, ${mondayOf('day')}, cm.mask FROM ${teamDays(channelMask('channels'))}
), ${histDays}, parallel_weeks AS (
  SELECT t.grp, week, "activeDevelopers" AS active_developers, "meetingParallel" AS meeting_parallel FROM ${teamWeeks()}
)`;
  }
  return `${members}, ev AS (
  SELECT m.grp, week, ${cols} FROM "DeveloperWeek" JOIN members m ON m.dev = "developerId"
  WHERE "orgId" = $1 AND $5::text IS NULL AND ${whole}
  UNION ALL
  ${endDays}
), chan_weeks AS (
  -- Whole weeks from DeveloperWeek's channels, unless one repository.
  SELECT m.grp, week, cm.mask FROM "DeveloperWeek" JOIN members m ON m.dev = "developerId" ${channelMask('channels')}
  WHERE "orgId" = $1 AND $5::text IS NULL AND ${whole}
  UNION ALL
  ${endChannels}
), ${histDays}, parallel_weeks AS (
  -- A whole week is one DeveloperWeek row per developer: its median needs no grouping.
  SELECT grp, week, count(*)::int AS active_developers, count(*) FILTER (WHERE meets)::int AS meeting_parallel
  FROM (
    SELECT m.grp, week, ${medianAtLeastThree(HISTOGRAM)} AS meets
    FROM "DeveloperWeek" JOIN members m ON m.dev = "developerId"
    WHERE "orgId" = $1 AND ${whole} AND ${HISTOGRAM.join(' + ')} > 0
  ) w
  GROUP BY grp, week
)`;
}
