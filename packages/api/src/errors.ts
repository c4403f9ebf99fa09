import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { AppError, type AppErrorCode } from '@parallax/tenancy';

const TRPC_CODE: Record<AppErrorCode, TRPCError['code']> = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  INVALID: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
};

/** The single map from a domain error to what callers see; anything else stays a 500. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof AppError) return new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  if (cause instanceof ZodError) {
    return new TRPCError({ code: 'BAD_REQUEST', message: cause.issues.map((i) => i.message).join('; '), cause });
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
