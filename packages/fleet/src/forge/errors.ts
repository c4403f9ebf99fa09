// Typed errors of the forge. They extend the domain's AppError, so the API layer maps
// them to HTTP/tRPC codes once; callers tell them apart with instanceof, never by message.
import { AppError } from '@parallax/tenancy';

/** The head branch does not merge cleanly into the base branch; nothing was changed. */
export class MergeConflictError extends AppError {
  constructor(
    readonly pullRequestId: string,
    readonly conflictingFiles: string[],
  ) {
    super('CONFLICT', `pull request ${pullRequestId} does not merge cleanly (${conflictingFiles.join(', ') || 'unknown files'})`);
    this.name = 'MergeConflictError';
  }
}

/** A webhook payload that is not a pull_request event we can read. */
export class MalformedWebhookError extends AppError {
  constructor(readonly issues: string[]) {
    super('INVALID', `malformed pull_request webhook: ${issues.join('; ')}`);
    this.name = 'MalformedWebhookError';
  }
}

/** A git command failed. The message carries git's stderr with secrets redacted. */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    this.name = 'GitCommandError';
  }
}
