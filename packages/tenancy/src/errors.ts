// Domain errors: thrown by domain code, mapped to tRPC codes and HTTP statuses once,
// in @parallax/api. No string matching on messages anywhere.
export type AppErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'INVALID' | 'CONFLICT' | 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const invalid = (message: string) => new AppError('INVALID', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
