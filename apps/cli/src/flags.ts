import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Strict flag parsing for one command: an unknown flag or a stray argument is a UsageError. */
export function parseFlags<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, ...HELP }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    // node:util's messages name the flag; their second sentence (about `--`) only confuses here.
    const first = err instanceof Error ? (err.message.split('. ')[0] ?? err.message) : String(err);
    throw new UsageError(`${command}: ${first.charAt(0).toLowerCase()}${first.slice(1)}`, command);
  }
}
