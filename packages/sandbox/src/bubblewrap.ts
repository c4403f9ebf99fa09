// The bubblewrap command line for one sandboxed command. Nothing of the host is mounted
// unless it is listed here: read-only system folders and toolchains, the session's own
// folder read-write, a private HOME and /tmp. Everything is unshared (mount, PID, network,
// IPC, UTS, user, cgroup); the command leads a new session so it cannot reach the
// worker's terminal, and dies with the worker.
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Where things appear inside the sandbox. */
export const INSIDE = {
  home: '/home/agent',
  relay: '/run/parallax/relay.mjs',
  forwardSocket: (port: number) => `/run/parallax/forward-${port}.sock`,
  proxyPort: 3128,
} as const;

/** System folders every command may read. /etc only in part: no host secrets, no host configuration beyond name service and TLS roots. */
const SYSTEM_DIRS = ['/usr'];
const SYSTEM_ETC = [
  '/etc/alternatives',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/ca-certificates.conf',
  '/etc/pki',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/localtime',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/mime.types',
  '/etc/python3',
  '/etc/python3.11',
];
/** A private /tmp in memory, bounded so that one agent cannot take the worker's memory with it. */
const TMP_BYTES = 1024 * 1024 * 1024;

/** Top-level names that are symlinks into /usr on merged-/usr systems (Debian 12). */
const MERGED_USR = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

export interface BubblewrapSpec {
  /** Read-write at its own path: the session's worktree. */
  workdir: string;
  /** Read-write, appears as INSIDE.home. */
  homeDir: string;
  /** Read-only at their own paths: toolchains, the mirror's object store. */
  readOnly: string[];
  /** Ports of the sandbox's loopback relayed to Unix sockets on the host (the egress proxy, the session's database); none: no network at all. */
  forwards: { port: number; hostSocket: string }[];
  /** The relay script on the host (needed with forwards). */
  relayScript: string;
  /** The node binary that runs the relay. */
  nodeBinary: string;
  cwd: string;
  file: string;
  args: string[];
  /** bwrap writes the sandbox's child pid and namespace ids as JSON on this fd. */
  infoFd?: number;
  /** bwrap reads a compiled seccomp filter from this fd and applies it to the command (seccomp.ts). */
  seccompFd?: number;
}

export function bubblewrapArgs(spec: BubblewrapSpec): string[] {
  // --disable-userns: no nested user namespace, the way to most kernel attack surface (needs an explicit --unshare-user).
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'parallax-agent',
  ];
  for (const dir of SYSTEM_DIRS) args.push('--ro-bind-try', dir, dir);
  for (const name of MERGED_USR) {
    const link = symlinkTarget(name);
    if (link) args.push('--symlink', link, name);
    else args.push('--ro-bind-try', name, name);
  }
  for (const file of SYSTEM_ETC) args.push('--ro-bind-try', file, file);
  // resolv.conf is often a symlink into /run; a sandbox without network needs none.
  args.push('--proc', '/proc', '--dev', '/dev', '--size', String(TMP_BYTES), '--tmpfs', '/tmp', '--tmpfs', '/run', '--tmpfs', '/home');
  for (const dir of spec.readOnly) args.push('--ro-bind', dir, dir);
  args.push('--bind', spec.homeDir, INSIDE.home);
  args.push('--bind', spec.workdir, spec.workdir);
  args.push('--chdir', spec.cwd);
  if (spec.infoFd !== undefined) args.push('--info-fd', String(spec.infoFd));
  if (spec.seccompFd !== undefined) args.push('--seccomp', String(spec.seccompFd));
  if (spec.forwards.length > 0) {
    args.push('--ro-bind', spec.relayScript, INSIDE.relay);
    for (const f of spec.forwards) args.push('--bind', f.hostSocket, INSIDE.forwardSocket(f.port));
    const relayed = JSON.stringify(spec.forwards.map((f) => [f.port, INSIDE.forwardSocket(f.port)]));
    args.push('--', spec.nodeBinary, INSIDE.relay, relayed, spec.file, ...spec.args);
  } else {
    args.push('--', spec.file, ...spec.args);
  }
  return args;
}

function symlinkTarget(name: string): string | null {
  try {
    // Relative targets (usr/bin) are what Debian writes; an absolute one is made relative to /.
    return lstatSync(name).isSymbolicLink() ? path.relative('/', path.resolve('/', readlinkSync(name))) : null;
  } catch {
    return null;
  }
}

/** The environment proxied clients read inside the sandbox (both spellings: curl reads lower case, others upper). */
export function proxyEnv(): Record<string, string> {
  const url = `http://127.0.0.1:${INSIDE.proxyPort}`;
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    ALL_PROXY: url,
    all_proxy: url,
    // The sandbox's own loopback is its own: a dev server the agent starts is reached directly.
    NO_PROXY: 'localhost,127.0.0.1,::1',
    no_proxy: 'localhost,127.0.0.1,::1',
  };
}
