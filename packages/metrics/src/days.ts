// Days in the organization's time zone (METRICS.md: "a day is a calendar day in the
// organization's time zone"), as `YYYY-MM-DD` keys and the UTC instants that bound them.
// A day is not always 24 hours: across a daylight-saving change it is 23 or 25.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for a zone the runtime does not know: callers validate zones at the boundary.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return {
    y: Number(parts.year),
    m: Number(parts.month),
    d: Number(parts.day),
    h: Number(parts.hour),
    min: Number(parts.minute),
    s: Number(parts.second),
  };
}

/** Whether the runtime knows `timeZone` (an IANA name such as Europe/Berlin). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar day `instant` falls on, in `timeZone`. */
export function dayOf(instant: Date | number, timeZone: string): string {
  const { y, m, d } = localParts(+instant, timeZone);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The offset of `timeZone` from UTC at `instant`, in ms (local − UTC). */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(instant / 1000) * 1000;
}

/** The first instant of the local day `day` in `timeZone` (local midnight, or the first moment after a gap at midnight). */
export function startOfDay(day: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`not a day: ${day} (YYYY-MM-DD)`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Local midnight is wall − offset; the offset there may differ from the one at `wall` (a change
  // within the day), so settle it in two steps.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  // Midnight skipped by a change (some zones spring forward at 00:00): the day starts at the first instant on it.
  if (dayOf(guess, timeZone) !== day) guess += 3_600_000;
  while (dayOf(guess - 60_000, timeZone) === day) guess -= 60_000;
  return new Date(guess);
}

/** The day after `day` (calendar arithmetic; no time zone involved). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}
