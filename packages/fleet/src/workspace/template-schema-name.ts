import { z } from 'zod';

/**
 * A template schema's name as a repository stores it: a plain, unquoted SQL identifier,
 * so it is never spliced into SQL as anything else. Session schemas and the server's
 * own are not templates: copying `session_…` would hand one session another's data.
 */
export const ZTemplateSchemaName = z
  .string()
  .trim()
  .max(63, { message: 'A template schema name is at most 63 characters' })
  .transform((s) => s || null)
  .pipe(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
        message: 'A template schema is a plain SQL name: lower-case letters, digits and "_", not starting with a digit, at most 63',
      })
      .refine((s) => !/^(session_|pg_)/.test(s) && s !== 'information_schema', {
        message: 'Session schemas and PostgreSQL’s own schemas (pg_…, information_schema) cannot be templates',
      })
      .nullable(),
  );
