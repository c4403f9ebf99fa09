// Every plx command, in the order --help lists them. A command without `run` is on the
// way: it is listed (so users see what is coming) and refused with a clear message.
import { loginCommand } from './login.ts';
import { whoamiCommand } from './whoami.ts';

export interface Command {
  /** As typed after `plx`; may be two words (`evidence export`). */
  name: string;
  summary: string;
  /** Full help, shown by `plx <command> --help`. */
  usage?: string;
  run?: (args: string[]) => Promise<void>;
}

const comingSoon = (name: string, summary: string): Command => ({ name, summary });

export const commands: Command[] = [
  loginCommand,
  whoamiCommand,
  comingSoon('dispatch', 'Dispatch a task to an agent (or a batch of tasks)'),
  comingSoon('ls', 'List your agent sessions and their states'),
  comingSoon('watch', 'Follow your sessions live'),
  comingSoon('logs', "Print or follow a session's log"),
  comingSoon('intervene', 'Send a course correction to a running session'),
  comingSoon('cancel', 'Cancel a session'),
  comingSoon('evidence export', 'Export a signed evidence bundle for a time range'),
  comingSoon('evidence verify', 'Verify an evidence bundle offline'),
];

/** The command named by the first words of argv, and the arguments left for it. */
export function findCommand(argv: string[]): { command: Command; args: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, args: argv.slice(words) };
  }
  return null;
}

/** Subcommands of a group such as `evidence`, for a helpful message when one is missing. */
export function subcommandsOf(group: string): string[] {
  return commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
}
