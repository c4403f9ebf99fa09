// A PostgreSQL server of its own for the sessions' databases, made from the installed server
// binaries in a folder it keeps: `npm start`'s default session database server, and the
// tests'. Never the product's server: agents reach it through their sandbox, and it holds
// nothing but sessions' schemas. Unlike a second PGlite it checks passwords, so each
// session's login role keeps the others' schemas out of reach.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './embedded.ts';

export interface SessionServer {
  /** A superuser URL (password auth over 127.0.0.1). */
  adminUrl: string;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder (Debian's layout), or null. */
export function findPostgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

/**
 * Starts the server whose cluster lives in `dir` (made on first use, with a random superuser
 * password kept in `dir/password`, readable by its owner only), on `port` or a free one.
 * As root, the cluster belongs to the postgres user: initdb refuses to run as root.
 */
export async function startSessionServer(options: {
  dir: string;
  port?: number;
  /** fsync on, a clean shutdown: for data kept across restarts (npm start), not a test's throwaway. */
  durable?: boolean;
  /** The superuser's password when the cluster is made; default random. */
  password?: string;
}): Promise<SessionServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install -y postgresql)');
  const isRoot = process.getuid?.() === 0;
  const owner = isRoot ? { uid: idOf('-u'), gid: idOf('-g') } : null;
  const run = (cmd: string, args: string[]) =>
    isRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(options.dir, owner.uid, owner.gid);
  const data = path.join(options.dir, 'data');
  const passwordFile = path.join(options.dir, 'password');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    writeFileSync(passwordFile, `${options.password ?? randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    run('initdb', [
      '-D',
      data,
      '--auth-local=trust', // its socket is in `dir`, which only the owner may enter
      '--auth-host=scram-sha-256',
      `--pwfile=${passwordFile}`,
      '-U',
      'postgres',
      '-E',
      'UTF8',
      ...(options.durable ? [] : ['--no-sync']),
    ]);
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = options.port ?? (await freePort());
  const settings = [`-p ${port}`, `-k ${options.dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=300'];
  if (!options.durable) settings.push('-c fsync=off');
  // A supervisor killed outright leaves the server running: stop it, then start it as asked.
  const status = isRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, 'status'], { stdio: 'ignore' })
    : spawnSync(path.join(bin, 'pg_ctl'), ['-D', data, 'status'], { stdio: 'ignore' });
  if (status.status === 0) run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  try {
    run('pg_ctl', ['-D', data, '-l', path.join(options.dir, 'log'), '-o', settings.join(' '), '-w', 'start']);
  } catch (err) {
    const log = existsSync(path.join(options.dir, 'log')) ? readFileSync(path.join(options.dir, 'log'), 'utf8').slice(-1_000) : '';
    throw new Error(`the session database server in ${options.dir} did not start: ${(err as Error).message}\n${log}`);
  }
  return {
    adminUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop() {
      const args = ['-D', data, '-m', options.durable ? 'fast' : 'immediate', '-w', 'stop'];
      spawnSync(
        isRoot ? 'runuser' : path.join(bin, 'pg_ctl'),
        isRoot ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args] : args,
        {
          stdio: 'ignore',
        },
      );
    },
  };
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres']).toString().trim());
}
