// Weeks on the evidence charts' axes. A period cuts its first and last ISO weeks short (and the
// current week is not over): their figures are of fewer days, and a short week reads as a drop
// unless the chart says so. Each chart marks them alike: an asterisk on the axis, a hollow point
// (week-marks.tsx), and a line under the chart or in its tooltip with the days they hold.

export interface Period {
  from: string;
  to: string;
}

export const shortWeek = (w: string) =>
  new Date(`${w}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** The days of `week` (its Monday) inside the period, when they are not the whole week; else null. */
export function partOfWeek(week: string, period: Period): { first: string; last: string } | null {
  const sunday = new Date(Date.parse(`${week}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
  const first = week < period.from ? period.from : week;
  const last = sunday > period.to ? period.to : sunday;
  return first === week && last === sunday ? null : { first, last };
}

/** The days a short week holds: "Dec 7", "Dec 2–Dec 6". */
export const days = ({ first, last }: { first: string; last: string }) =>
  first === last ? shortWeek(first) : `${shortWeek(first)}–${shortWeek(last)}`;

/** "Part of the week only: Dec 7" (a tooltip's line), or null for a whole week. */
export function partOfWeekText(week: string, period: Period): string | null {
  const part = partOfWeek(week, period);
  return part ? `Part of the week only: ${days(part)}` : null;
}

/** An axis tick: the week's Monday, with an asterisk when the period holds only part of it. */
export const weekTick = (period: Period) => (week: string) => `${shortWeek(week)}${partOfWeek(week, period) ? '*' : ''}`;
