// What a sandboxed command sees of the host's files besides its own folders: the toolchains
// and the CLI package (with the packages it depends on) bound read-only, PATH as the bound
// folders allow, and whether the sandbox's unprivileged user can walk to each of them.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { SandboxUnavailableError } from './errors.ts';
import type { SandboxCommand } from './sandbox.ts';

/** Never bound whole, whatever a toolchain list says: host state and sockets live there. */
const NEVER_BOUND = ['/', '/etc', '/run', '/var', '/var/run', '/home', '/root', '/tmp', '/proc', '/sys', '/dev'];

/**
 * The folders a command needs besides /usr: the operator's toolchains, the node binary
 * that runs the relay, and the package an executable under node_modules belongs to
 * (an agent CLI installed with npm). None may be a host folder of state, nor contain
 * or sit inside a protected folder.
 */
export function toolchainDirs(command: SandboxCommand, toolchains: string[], protectedDirs: string[]): string[] {
  const dirs = new Set<string>();
  const consider = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
      if (!statSync(real).isDirectory()) return;
    } catch {
      return;
    }
    if (NEVER_BOUND.includes(real) || `${real}/`.startsWith('/usr/')) return;
    if (protectedDirs.some((p) => isWithin(real, p) || isWithin(p, real))) return;
    dirs.add(real);
  };
  for (const dir of toolchains) consider(dir);
  consider(path.dirname(path.dirname(process.execPath)));
  const real = realFile(command.file);
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = real.lastIndexOf(marker);
  if (at >= 0) {
    // node_modules/<name> or node_modules/@scope/<name>: the package, not every package beside it.
    const rest = real.slice(at + marker.length).split(path.sep);
    const depth = rest[0]?.startsWith('@') ? 2 : 1;
    const nodeModules = real.slice(0, at + marker.length);
    for (const dir of packageWithDependencies(nodeModules, rest.slice(0, depth).join(path.sep))) consider(dir);
  } else if (!`${real}/`.startsWith('/usr/')) {
    consider(path.dirname(real));
  }
  return [...dirs].sort();
}

export function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** Installed packages a CLI package pulls in at most, with what those pull in: a bound set, not the whole node_modules. */
const MAX_BOUND_PACKAGES = 64;

/**
 * A CLI's package and the installed packages it depends on, found beside it in the same
 * node_modules (npm hoists them there): Codex's and OpenCode's launchers run a native
 * binary from a per-platform optional dependency. Names come from the package.json
 * files, which are the operator's install, never the agent's.
 */
function packageWithDependencies(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const queue = [name];
  const seen = new Set<string>();
  while (queue.length > 0 && found.length < MAX_BOUND_PACKAGES) {
    const next = queue.shift()!;
    if (seen.has(next) || !/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(next)) continue;
    seen.add(next);
    const dir = path.join(nodeModules, next);
    let manifest: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {
      continue; // not installed (another platform's optional package)
    }
    found.push(dir);
    queue.push(...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
  }
  return found;
}

/** The system's folders and the bound toolchains, in the order the command's PATH had them: the host's layout stays out of sight. */
export function insidePath(requested: string | undefined, toolchains: string[]): string {
  const system = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin'];
  const seen = new Set<string>();
  const visible = (dir: string) => system.includes(dir) || toolchains.some((t) => isWithin(dir, t));
  const entries = [...system.slice(0, 3), ...(requested ?? '').split(':').filter((dir) => path.isAbsolute(dir) && visible(dir))];
  return entries.filter((dir) => !seen.has(dir) && seen.add(dir)).join(':');
}

/** Whether `uid` (in no group of the host) may walk down to `dir`: each ancestor it does not own must be searchable by others. */
export function isReachable(dir: string, uid: number): boolean {
  return unreachableAncestor(dir, uid) === null;
}

function unreachableAncestor(dir: string, uid: number): string | null {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return null;
    try {
      const st = statSync(parent);
      if (st.uid !== uid && (st.mode & 0o001) === 0) return parent;
    } catch {
      return parent;
    }
    current = parent;
  }
}

export function assertReachable(dir: string, uid: number): void {
  const blocked = unreachableAncestor(dir, uid);
  if (blocked) {
    throw new SandboxUnavailableError(
      `the sandbox user cannot reach ${dir}: ${blocked} is not searchable by other users (chmod o+x ${blocked}, or keep the data folder elsewhere)`,
    );
  }
}

function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
