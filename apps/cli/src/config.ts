// Where plx keeps the server and token of `plx login`, and which ones a command uses.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CliError } from './errors.ts';

export const DEFAULT_URL = 'http://localhost:3000';

const ZConfig = z.object({ url: z.string().min(1), token: z.string().min(1) });
export type TConfig = z.infer<typeof ZConfig>;

/** $XDG_CONFIG_HOME/parallax/config.json; the XDG spec says to ignore a relative XDG_CONFIG_HOME. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config');
  return path.join(base, 'parallax', 'config.json');
}

export async function readConfig(file = configPath()): Promise<TConfig | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return ZConfig.parse(JSON.parse(text));
  } catch {
    throw new CliError(`${file} is not a plx config file; run plx login again to rewrite it`);
  }
}

/** Saves the token readable by its owner only: written to a 0600 file, then renamed into place. */
export async function writeConfig(config: TConfig, file = configPath()): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}

/** The server and token a command talks to: PLX_URL / PLX_TOKEN win over the saved login. */
export async function loadSession(env: NodeJS.ProcessEnv = process.env): Promise<TConfig> {
  const saved = await readConfig(configPath(env));
  const token = env.PLX_TOKEN?.trim() || saved?.token;
  if (!token) throw new CliError('not logged in: run plx login (or set PLX_TOKEN)');
  return { url: env.PLX_URL?.trim() || saved?.url || DEFAULT_URL, token };
}
