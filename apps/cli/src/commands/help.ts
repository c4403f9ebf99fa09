import { DEFAULT_URL } from '../config.ts';
import type { Command } from './index.ts';

export function renderHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 4;
  const rows = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}${c.run ? '' : '  (not built yet)'}`);
  return `plx, the Parallax command-line client

Usage: plx <command> [options]

Commands:
${rows.join('\n')}

Options:
  -h, --help    Show this help; plx <command> --help shows a command's own

Environment:
  PLX_URL           Parallax server (default: the saved one, or ${DEFAULT_URL})
  PLX_TOKEN         API token to use instead of the saved one
  XDG_CONFIG_HOME   plx saves its login in $XDG_CONFIG_HOME/parallax/config.json (default ~/.config)

Exit codes: 0 success, 1 failure, 2 bad usage.`;
}
