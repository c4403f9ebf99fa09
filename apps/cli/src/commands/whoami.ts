import { type TMe, TokenRefusedError, createClient, parseServerUrl } from '../client.ts';
import { loadSession } from '../config.ts';
import { CliError } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import type { Command } from './index.ts';

const usage = `Usage: plx whoami [--json]

Shows the user, org and scopes of the token plx uses (the saved login,
or PLX_TOKEN / PLX_URL when they are set).

Options:
  --json       Print the server's answer as JSON
  -h, --help   Show this help`;

async function whoami(args: string[]): Promise<void> {
  const flags = parseFlags('whoami', args, { json: { type: 'boolean' } });
  if (flags.help) return void console.log(usage);

  const session = await loadSession();
  const url = parseServerUrl(session.url);
  let me: TMe;
  try {
    me = await createClient({ url, token: session.token }).me();
  } catch (err) {
    if (err instanceof TokenRefusedError)
      throw new CliError(`${err.message}; it may have been revoked or expired. Run plx login with a new token.`);
    throw err;
  }
  if (flags.json) return void console.log(JSON.stringify({ url, ...me }, null, 2));
  console.log(me.user.name ? `${me.user.email} (${me.user.name})` : me.user.email);
  console.log(`org:    ${me.org.name} (${me.org.slug})`);
  console.log(`scopes: ${me.scopes.join(', ') || '(none)'}`);
  console.log(`server: ${url}`);
}

export const whoamiCommand: Command = { name: 'whoami', summary: 'Show who the saved token belongs to', usage, run: whoami };
