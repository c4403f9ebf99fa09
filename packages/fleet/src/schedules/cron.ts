// Five-field cron expressions as Temporal Schedules read them (minute, hour, day of
// month, month, day of week). Checked here so a person's typo gets a message that
// names the field, instead of a gRPC error from the Temporal server.
import { z } from 'zod';

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names accepted instead of numbers (any prefix of three letters or more), numbered from `min`. */
  names?: readonly string[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of the month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 0 and 7 are both Sunday.
  { name: 'day of the week', min: 0, max: 7, names: DAYS },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type CronCheck = { ok: true; cron: string } | { ok: false; message: string };

/**
 * Checks a cron expression and returns it normalized (single spaces; `@daily` and
 * the other shorthands spelled out), or says what is wrong with it.
 */
export function checkCron(expression: string): CronCheck {
  const trimmed = expression.trim().replace(/\s+/g, ' ');
  if (!trimmed) return fail('Give a cron expression, e.g. "0 9 * * 1-5" for 09:00 on weekdays.');
  const cron = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const parts = cron.split(' ');
  if (parts.length !== 5) {
    return fail(
      `A cron expression has five fields (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1-5"; this one has ${parts.length}.`,
    );
  }
  const values: Set<number>[] = [];
  for (const [i, field] of FIELDS.entries()) {
    const parsed = parseField(parts[i]!, field);
    if (typeof parsed === 'string') return fail(parsed);
    values.push(parsed);
  }
  const [, , dayOfMonth, , dayOfWeek] = parts as [string, string, string, string, string];
  // Classic cron runs when either day field matches; Temporal only when both do.
  // Rather than let the same text mean something else here, ask for one of them.
  if (!dayOfMonth.startsWith('*') && !dayOfWeek.startsWith('*')) {
    return fail('Restrict either the day of the month or the day of the week, not both (use * for the other).');
  }
  const days = values[2]!;
  const months = values[3]!;
  if (![...months].some((m) => [...days].some((d) => d <= DAYS_IN_MONTH[m - 1]!))) {
    return fail('This schedule would never run: none of its months has that day.');
  }
  return { ok: true, cron };
}

/** A field's matching values, or what is wrong with it. */
function parseField(text: string, field: CronField): Set<number> | string {
  const matched = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    if (!match) return `The ${field.name} "${text}" is not valid: use a number, a range like 1-5, a list like 1,15, * or a step like */10.`;
    const [, base, stepText] = match as unknown as [string, string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || step > field.max) return `The step in the ${field.name} must be between 1 and ${field.max}.`;
    let start = field.min;
    let end = field.max;
    if (base !== '*') {
      const [from, to] = base.split('-') as [string, string | undefined];
      const first = numberOf(from, field);
      if (typeof first === 'string') return first;
      start = first;
      if (to !== undefined) {
        const last = numberOf(to, field);
        if (typeof last === 'string') return last;
        if (last < first) return `The range ${base} in the ${field.name} runs backwards; write it low to high.`;
        end = last;
      } else {
        // "5/15" means from 5 to the end, every 15; a bare "5" is just 5.
        end = stepText === undefined ? first : field.max;
      }
    }
    for (let v = start; v <= end; v += step) matched.add(v);
  }
  if (field.names === DAYS && matched.has(7)) matched.add(0);
  return matched;
}

function numberOf(token: string, field: CronField): number | string {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < field.min || n > field.max) return `The ${field.name} must be between ${field.min} and ${field.max} (got ${token}).`;
    return n;
  }
  const lower = token.toLowerCase();
  const index = lower.length >= 3 ? (field.names?.findIndex((name) => name.startsWith(lower)) ?? -1) : -1;
  if (index < 0) {
    const names = field.names ? ` or a name like ${field.names === DAYS ? 'MON' : 'JAN'}` : '';
    return `"${token}" is not a ${field.name}: use a number from ${field.min} to ${field.max}${names}.`;
  }
  return field.names === MONTHS ? index + 1 : index;
}

function fail(message: string): CronCheck {
  return { ok: false, message };
}

/** A cron expression field: normalized on success, a message naming the problem otherwise. */
export const ZCron = z
  .string()
  .max(100, { message: 'A cron expression is at most 100 characters.' })
  .transform((value, ctx) => {
    const checked = checkCron(value);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.message });
      return z.NEVER;
    }
    return checked.cron;
  });
