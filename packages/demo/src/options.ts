// What a history is made of, checked at the boundary (the CLI and generateHistory alike).
import { z } from 'zod';

const ZDay = z.iso.date({ message: 'Use a day as YYYY-MM-DD' });

export const ZHistoryOptions = z.object({
  developers: z.number().int().min(1, { message: 'At least 1 developer' }).max(5000, { message: 'At most 5000 developers' }),
  months: z.number().int().min(1, { message: 'At least 1 month' }).max(36, { message: 'At most 36 months' }),
  /**
   * How much of the usual rhythm the org runs, in percent: the days a developer runs agents and
   * the unattended runs both scale by it. An org early in adoption; the benchmark's way to
   * compare one org at a tenth of the sessions with itself.
   */
  activity: z
    .number()
    .int()
    .min(1, { message: 'At least 1 (percent of the usual rhythm)' })
    .max(100, { message: 'At most 100 (percent of the usual rhythm)' })
    .default(100),
  orgSlug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, { message: 'The org slug is lowercase letters, digits and dashes (2–48)' })
    .default('demo-history'),
  orgName: z.string().trim().min(2).max(80).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** The history ends at the start of this org-local day; without it, now. */
  end: ZDay.optional(),
  timeZone: z.string().default('Europe/Berlin'),
  replace: z.boolean().default(false),
  /** A real user who gets an OWNER membership, so a person can look at the org. */
  ownerEmail: z.email({ message: 'The owner email is not an email address' }).optional(),
  /** 'auto' uses COPY on PostgreSQL and multi-row INSERT … unnest on PGlite (which cannot COPY FROM STDIN). */
  method: z.enum(['auto', 'copy', 'insert']).default('auto'),
  /** Also COPY the first rows again into bare temporary tables, to compare rates. */
  measureBaseline: z.boolean().default(false),
  rebuildRollups: z.boolean().default(true),
});
export type THistoryOptions = z.input<typeof ZHistoryOptions>;
export type HistoryOptions = z.output<typeof ZHistoryOptions>;

export class UsageError extends Error {
  override name = 'UsageError';
}

const FLAGS = {
  developers: 'number',
  months: 'number',
  activity: 'number',
  'org-slug': 'string',
  'org-name': 'string',
  seed: 'number',
  end: 'string',
  'time-zone': 'string',
  'owner-email': 'string',
  method: 'string',
  replace: 'boolean',
  'no-baseline': 'boolean',
  'no-rollups': 'boolean',
} as const;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses `--developers 40 --months 6 …` into options; throws UsageError with what is wrong. */
export function parseHistoryArgs(argv: readonly string[]): HistoryOptions {
  const raw: Record<string, unknown> = { measureBaseline: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unexpected argument "${arg}" (flags look like --developers 40)`);
    const name = match[1] as string;
    const kind = FLAGS[name as keyof typeof FLAGS];
    if (!kind) throw new UsageError(`Unknown flag --${name}`);
    if (kind === 'boolean') {
      if (name === 'no-baseline') raw.measureBaseline = false;
      else if (name === 'no-rollups') raw.rebuildRollups = false;
      else raw[camel(name)] = true;
      continue;
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    if (kind === 'number') {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
      raw[camel(name)] = Number(value);
    } else raw[camel(name)] = value;
  }
  if (raw.developers === undefined) throw new UsageError('--developers is required (e.g. --developers 40)');
  if (raw.months === undefined) throw new UsageError('--months is required (e.g. --months 6)');
  const parsed = ZHistoryOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path[0] ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
    throw new UsageError(`${flag}${issue?.message ?? 'invalid options'}`);
  }
  return parsed.data;
}
