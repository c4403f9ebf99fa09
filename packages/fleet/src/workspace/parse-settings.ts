// Settings that come from outside (repository settings, port ranges, ids) are
// checked with zod; a complaint becomes one INVALID error naming each field.
import { invalid } from '@parallax/tenancy';
import type { z } from 'zod';

/** `schema.parse(input)`, or an INVALID AppError that starts with `what` and names each bad field. */
export function parseSettings<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'value'} ${issue.message}`);
  throw invalid(`${what}: ${problems.join('; ')}`);
}
