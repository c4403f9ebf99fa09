// plx: finds the command, runs it, and turns failures into a message and an exit code.
import { CliError, UsageError } from './errors.ts';
import { renderHelp } from './commands/help.ts';
import { commands, findCommand, subcommandsOf } from './commands/index.ts';

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    console.log(renderHelp(commands));
    return 0;
  }
  // `plx help login` reads naturally too.
  if (first === 'help') return main(rest.length ? [...rest, '--help'] : []);
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}`);

  const found = findCommand(argv);
  if (!found) {
    const subcommands = subcommandsOf(first);
    if (subcommands.length) throw new UsageError(`${first} needs a subcommand: ${subcommands.join(', ')}`);
    throw new UsageError(`unknown command "${first}"`);
  }
  const { command, args } = found;
  if (!command.run) throw new UsageError(`${command.name} is not built yet`);
  await command.run(args);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`plx: ${err.message}\nRun plx ${err.command ? `${err.command} ` : ''}--help for usage.`);
    process.exitCode = 2;
  } else if (err instanceof CliError) {
    console.error(`plx: ${err.message}`);
    process.exitCode = 1;
  } else {
    console.error('plx: unexpected error:', err);
    process.exitCode = 1;
  }
}
