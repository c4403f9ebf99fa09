// Any agent as a command template: {prompt}, {worktree} and {branch} are substituted
// single-quoted and the line runs through /bin/sh -c. The prompt is a user's text: no
// quote, $() or backtick in it may run anything, so a placeholder the template already
// put inside quotes (where our quoting would not hold) is refused.
import { z } from 'zod';
import { parseAgentConfig } from '../errors.ts';
import { startAgentProcess } from '../process-runner.ts';
import type { Adapter } from '../types.ts';
import { toAgentResult } from './headless-cli.ts';

const PLACEHOLDER = /(?<!\$)\{(prompt|worktree|branch)\}/g;

export const ZCommandConfig = z.object({
  commandTemplate: z
    .string({ error: 'a COMMAND agent needs a command template' })
    .trim()
    .min(1, 'a COMMAND agent needs a command template')
    .superRefine((template, ctx) => {
      for (const name of quotedPlaceholders(template)) {
        ctx.addIssue({ code: 'custom', message: `write {${name}} without quotes around it: Parallax quotes the value itself` });
      }
    }),
});
export type TCommandConfig = z.output<typeof ZCommandConfig>;

export const commandAdapter: Adapter<TCommandConfig> = {
  parseConfig: ({ config, commandTemplate }) => {
    const fromConfig = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).commandTemplate : undefined;
    return parseAgentConfig('COMMAND', ZCommandConfig, { commandTemplate: commandTemplate ?? fromConfig });
  },
  async run(run) {
    const values = { prompt: run.prompt, worktree: run.worktree, branch: run.branch };
    const proc = startAgentProcess({
      executable: '/bin/sh',
      args: ['-c', renderCommand(run.config.commandTemplate, values)],
      cwd: run.worktree,
      // The same values as variables, for scripts that would rather read them.
      env: { ...run.env, PARALLAX_PROMPT: run.prompt, PARALLAX_WORKTREE: run.worktree, PARALLAX_BRANCH: run.branch },
      log: run.log,
      signal: run.signal,
      killGraceMs: run.killGraceMs,
    });
    return toAgentResult('the command', await proc.exited, {}, run, 0);
  },
};

export function renderCommand(template: string, values: { prompt: string; worktree: string; branch: string }): string {
  return template.replace(PLACEHOLDER, (_, name: keyof typeof values) => quoteForShell(values[name]));
}

/** One shell word with exactly this text: single quotes, each ' written as '\''. */
export function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The placeholders that stand inside '…' or "…" in the template, by a small sh lexer. */
function quotedPlaceholders(template: string): string[] {
  const found: string[] = [];
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '\\' && quote !== "'") {
      i++;
      continue;
    }
    if ((char === "'" || char === '"') && (quote === null || quote === char)) {
      quote = quote ? null : char;
      continue;
    }
    if (char === '{' && quote !== null && template[i - 1] !== '$') {
      const match = /^\{(prompt|worktree|branch)\}/.exec(template.slice(i));
      if (match?.[1]) found.push(match[1]);
    }
  }
  return found;
}
