import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { AppError, type AppErrorCode } from '@parallax/tenancy';
import { UnstorableInputError } from './storable-input.ts';

const TRPC_CODE: Record<AppErrorCode, TRPCError['code']> = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  INVALID: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
};

/** What a client reads of any 500: the details are in the server's log, never in the response. */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. It has been logged; try again, and tell us if it persists.';

/** Zod's issues, each naming its field: `settings.name: Use at most 60 characters`. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length && !i.message.startsWith(`${i.path.join('.')}:`) ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Field errors keyed by the full path (`settings.url`, not zod's flattened `settings`),
 * so a form can put each next to its field; issues of the whole input are form errors.
 */
export function zodFieldErrors(error: ZodError): { formErrors: string[]; fieldErrors: Record<string, string[]> } {
  const formErrors: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.');
    if (!field) formErrors.push(issue.message);
    else fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
  }
  return { formErrors, fieldErrors };
}

/** Field errors for a form, from a zod error or an unstorable string; null for other errors. */
export function fieldErrorsOf(cause: unknown): { formErrors: string[]; fieldErrors: Record<string, string[]> } | null {
  if (cause instanceof ZodError) return zodFieldErrors(cause);
  if (cause instanceof UnstorableInputError) {
    const field = cause.fault.path.join('.');
    return field
      ? { formErrors: [], fieldErrors: { [field]: [cause.fault.problem] } }
      : { formErrors: [cause.fault.problem], fieldErrors: {} };
  }
  return null;
}

/** The single map from a domain error to what callers see; anything else stays a 500. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof AppError) return new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  if (cause instanceof ZodError) {
    return new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
  }
  return error;
}

/** HTTP status for REST routes that call domain code directly. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof AppError || error instanceof ZodError) {
    return getHTTPStatusCodeFromError(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error })));
  }
  return 500;
}
