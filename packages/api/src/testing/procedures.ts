// The walk of the app router the boundary tests share: every procedure, the fields of
// its zod input (nested objects included), and an input that passes validation built
// from them. A procedure added later is walked without editing any test.
import { TRPCError } from '@trpc/server';
import type { AnyProcedure } from '@trpc/server';
import { appRouter } from '../root.ts';
import type { callerFor } from './fixtures.ts';

export const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).sort(([a], [b]) =>
  a.localeCompare(b),
);

export type ZodLike = { _zod: { def: Record<string, unknown> & { type: string } } };
export type FieldPath = (string | number)[];

/** The top-level fields of a procedure's input (all its `.input()` objects merged). */
export function shapeOf(proc: AnyProcedure): Record<string, ZodLike> {
  const shape: Record<string, ZodLike> = {};
  for (const parser of proc._def.inputs as unknown as ZodLike[]) {
    const def = unwrap(parser)._zod.def;
    if (def.type === 'object') Object.assign(shape, def.shape as Record<string, ZodLike>);
  }
  return shape;
}

/** The schema that decides a value's shape, under optional/default/nullable and the input side of pipes. */
export function unwrap(schema: ZodLike): ZodLike {
  const def = schema._zod.def;
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') return unwrap(def.innerType as ZodLike);
  if (def.type === 'pipe') return unwrap(def.in as ZodLike);
  return schema;
}

export const isOptional = (schema: ZodLike) => ['optional', 'default'].includes(schema._zod.def.type);

export interface Field {
  path: FieldPath;
  /** As declared (wrappers included). */
  declared: ZodLike;
  /** Unwrapped: what `_zod.def.type` of the value is. */
  schema: ZodLike;
}

/** Every field of a procedure's input, depth first: objects, then their fields; array elements as index 0. */
export function fieldsOf(proc: AnyProcedure): Field[] {
  const out: Field[] = [];
  const visit = (path: FieldPath, declared: ZodLike) => {
    const schema = unwrap(declared);
    out.push({ path, declared, schema });
    const def = schema._zod.def;
    if (def.type === 'object') for (const [k, f] of Object.entries(def.shape as Record<string, ZodLike>)) visit([...path, k], f);
    if (def.type === 'array') visit([...path, 0], def.element as ZodLike);
  };
  for (const [k, f] of Object.entries(shapeOf(proc))) visit([k], f);
  return out;
}

const keyOf = (path: FieldPath) => String(path[path.length - 1]);

export const NAMED_SAMPLES: Record<string, unknown> = {
  name: 'Harness-Name',
  password: 'correct horse battery staple',
  token: 'inv_not-a-real-token',
  role: 'DEVELOPER',
  scopes: ['sessions:read'],
  timeZone: 'UTC',
  url: 'https://example.test/harness.git',
  title: 'Harness task',
  prompt: JSON.stringify({ steps: [{ write: { path: 'harness.txt', content: 'x\n' } }] }),
  message: 'Harness correction',
  minutes: 30,
  cron: '0 3 * * *',
  from: '2026-11-01',
  to: '2026-11-30',
  day: '2026-11-15',
};

/**
 * Values that pass each field's validation. Ids (at any depth) come from `ids` — another
 * org's, in the attacks; `orgId` is the org the caller names.
 */
export function sampleInput(proc: AnyProcedure, orgId: string | undefined, ids: Record<string, string>): Record<string, unknown> {
  const input = sampleObject(shapeOf(proc), ids);
  if ('orgId' in shapeOf(proc)) input.orgId = orgId;
  return input;
}

function sampleObject(shape: Record<string, ZodLike>, ids: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (ids[key] !== undefined) {
      out[key] = ids[key];
      continue;
    }
    if (isOptional(field) && !(key in NAMED_SAMPLES)) continue;
    out[key] = sampleValue(key, unwrap(field), ids);
  }
  return out;
}

/**
 * Strings tried in turn for a string field with no named sample (after the named one when
 * its format refuses that): the first the field's own schema accepts is its sample, so a
 * field with a format (`ANTHROPIC_API_KEY`-like names) gets a value that passes it.
 */
export const STRING_SAMPLES = ['harness-value', 'HARNESS_SECRET'];

function sampleValue(key: string, schema: ZodLike, ids: Record<string, string>): unknown {
  if (key === 'email') return `harness-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const def = schema._zod.def;
  if (def.type === 'string') return sampleString(key, schema);
  if (key in NAMED_SAMPLES) return NAMED_SAMPLES[key];
  switch (def.type) {
    case 'object':
      return sampleObject(def.shape as Record<string, ZodLike>, ids);
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(def.entries as Record<string, string>)[0];
    case 'array':
      return [sampleValue(key, unwrap(def.element as ZodLike), ids)];
    case 'record':
      return {};
    default:
      throw new Error(`procedure walk: no sample for field "${key}" of type ${def.type}; teach sampleValue`);
  }
}

function sampleString(key: string, schema: ZodLike): string {
  const named = NAMED_SAMPLES[key];
  const candidates = [...(typeof named === 'string' ? [named] : []), ...STRING_SAMPLES];
  const fits = candidates.find((c) => (schema as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(c).success);
  if (fits === undefined) throw new Error(`procedure walk: no sample passes string field "${key}"; add one to STRING_SAMPLES`);
  return fits;
}

/** Sets `value` at `path` in a copy of `input`, creating on the way an array where an index follows, else an object. */
export function withValueAt(input: Record<string, unknown>, path: FieldPath, value: unknown): Record<string, unknown> {
  const copy = structuredClone(input);
  let target: Record<string | number, unknown> = copy;
  for (const [i, part] of path.slice(0, -1).entries()) {
    target[part] ??= typeof path[i + 1] === 'number' ? [] : {};
    target = target[part] as Record<string | number, unknown>;
  }
  target[path[path.length - 1] as string | number] = value;
  return copy;
}

/** Every field whose name says it points at an object (`…Id`), other than `orgId`. */
export function idFieldsOf(proc: AnyProcedure): Field[] {
  return fieldsOf(proc).filter((f) => /Id$/.test(keyOf(f.path)) && keyOf(f.path) !== 'orgId');
}

export type CallResult = { ok: true; data: unknown } | { ok: false; code: string; message: string; cause: unknown };

export async function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<CallResult> {
  let target: unknown = caller;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  try {
    return { ok: true, data: await (target as (i: unknown) => Promise<unknown>)(input) };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message, cause: error.cause };
    throw error;
  }
}

/** The schemas a declared field is made of: wrappers, both sides of pipes. */
function layersOf(declared: ZodLike): ZodLike[] {
  const def = declared._zod.def;
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable')
    return [declared, ...layersOf(def.innerType as ZodLike)];
  if (def.type === 'pipe') return [declared, ...layersOf(def.in as ZodLike), ...layersOf(def.out as ZodLike)];
  return [declared];
}

type Check = { _zod: { def: { check: string; maximum?: number } } };

/** The smallest `max` a field declares (strings: characters, arrays: items), or null when it declares none. */
export function maximumOf(declared: ZodLike): number | null {
  const maxima = layersOf(declared).flatMap((layer) =>
    ((layer._zod.def.checks as Check[] | undefined) ?? [])
      .filter((c) => c._zod.def.check === 'max_length' && typeof c._zod.def.maximum === 'number')
      .map((c) => c._zod.def.maximum as number),
  );
  return maxima.length ? Math.min(...maxima) : null;
}

/** The byte bound a JSON field declares with `.meta({ maxBytes })` (see limits.ts), or null. */
export function maxBytesOf(declared: ZodLike, registry: { get(schema: never): unknown }): number | null {
  for (const layer of layersOf(declared)) {
    const meta = registry.get(layer as never) as { maxBytes?: number } | undefined;
    if (typeof meta?.maxBytes === 'number') return meta.maxBytes;
  }
  return null;
}
