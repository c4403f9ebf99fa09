import { type TMe, TokenRefusedError, createClient, parseServerUrl } from '../client.ts';
import { DEFAULT_URL, configPath, readConfig, writeConfig } from '../config.ts';
import { CliError, UsageError } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import { readSecret } from '../prompt.ts';
import type { Command } from './index.ts';

const usage = `Usage: plx login [--url URL] [--token TOKEN]

Checks an API token against the server and saves both to
$XDG_CONFIG_HOME/parallax/config.json (default ~/.config/parallax), readable by you only.

Options:
  --url URL       Parallax server (default: PLX_URL, the saved server, or ${DEFAULT_URL})
  --token TOKEN   API token; visible to other users in the process list, so prefer
                  PLX_TOKEN or stdin:  plx login --url https://parallax.example.com < token.txt
  -h, --help      Show this help

Create a token in the web app under Settings → API tokens.`;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

async function login(args: string[]): Promise<void> {
  const flags = parseFlags('login', args, { url: { type: 'string' }, token: { type: 'string' } });
  if (flags.help) return void console.log(usage);

  // A damaged config file must not stand in the way of logging in again.
  const saved = await readConfig().catch(() => null);
  const url = parseServerUrl(flags.url ?? (process.env.PLX_URL?.trim() || saved?.url || DEFAULT_URL));
  const token = (flags.token ?? (process.env.PLX_TOKEN?.trim() || (await readSecret(`API token for ${url}: `)))).trim();
  if (!token) throw new UsageError('no token given: pass --token, set PLX_TOKEN, or type it (or pipe it) on stdin');

  const parsedUrl = new URL(url);
  if (parsedUrl.protocol === 'http:' && !LOOPBACK.has(parsedUrl.hostname)) {
    console.error(`plx: warning: ${url} is plain http; the token travels unencrypted. Use https:// beyond this machine.`);
  }

  let me: TMe;
  try {
    me = await createClient({ url, token }).me();
  } catch (err) {
    if (err instanceof TokenRefusedError) throw new CliError(`${err.message}; nothing was saved. Check the token, or create a new one.`);
    throw err;
  }
  await writeConfig({ url, token });
  console.log(`Logged in to ${url} as ${me.user.email}, org ${me.org.name} (${me.org.slug}).`);
  console.log(`Saved to ${configPath()}.`);
}

export const loginCommand: Command = { name: 'login', summary: 'Check an API token and save it for the next commands', usage, run: login };
