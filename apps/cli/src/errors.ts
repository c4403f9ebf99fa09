// Two kinds of failure, two exit codes: the user typed something plx cannot accept
// (2, with a pointer to the right --help), or the work itself failed (1).
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose --help explains the mistake; plx's own help when absent. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export class CliError extends Error {
  override name = 'CliError';
}
