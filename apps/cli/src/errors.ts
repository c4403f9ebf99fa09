// Two kinds of failure, two exit codes: the user typed something plx cannot accept
// (2, with a pointer to --help), or the work itself failed (1).
export class UsageError extends Error {
  override name = 'UsageError';
}

export class CliError extends Error {
  override name = 'CliError';
}
