// Typed errors of the agent adapters. They extend the domain's AppError, so the API
// layer maps them once (a profile saved with a bad config is INVALID input).
import type { AgentAdapter } from '@parallax/db';
import { AppError } from '@parallax/tenancy';
import type { z } from 'zod';

/** The adapter's CLI is not on the worker's PATH; nothing was spawned. */
export class AgentNotInstalledError extends AppError {
  constructor(readonly executable: string) {
    super('INVALID', `${executable} is not installed: not found on PATH`);
    this.name = 'AgentNotInstalledError';
  }
}

/** The agent profile's config, command template or script recipe cannot be run. */
export class AgentConfigInvalidError extends AppError {
  constructor(
    readonly adapter: AgentAdapter,
    readonly issues: string[],
  ) {
    super('INVALID', `invalid ${adapter} agent config: ${issues.join('; ')}`);
    this.name = 'AgentConfigInvalidError';
  }
}

/** Parses with a zod schema, turning its issues into an AgentConfigInvalidError. */
export function parseAgentConfig<T extends z.ZodType>(adapter: AgentAdapter, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AgentConfigInvalidError(
    adapter,
    parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)),
  );
}
