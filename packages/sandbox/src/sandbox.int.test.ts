// The sandbox against a hostile command: each attempt to reach what is not its own must
// fail, and the test asserts how (the file is not there, the connection is refused, the
// variable is not set, the process is gone), against the host's real state afterwards.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandbox, type Sandbox, type SandboxedProcess } from './index.ts';

let root: string;
let dataDir: string;
let worktree: string;
let model: Server;
let modelPort: number;
let service: ReturnType<typeof createTcpServer>;
let servicePort: number;
const refused: string[] = [];
let sandbox: Sandbox;

function run(script: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const proc = sandbox.spawn({ file: '/bin/sh', args: ['-c', script], cwd: worktree, env: { PATH: '/usr/bin:/bin', ...env } });
  let out = '';
  proc.child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    proc.child.once('close', async (code) => {
      await proc.settled();
      resolve({ code: code ?? -1, out });
    }),
  );
}

/** A command that first prints its PID namespace's id (pid:[N]), then runs `script`. */
async function startReportingId(script: string): Promise<{ proc: SandboxedProcess; id: string }> {
  const proc = sandbox.spawn({
    file: '/bin/sh',
    args: ['-c', `readlink /proc/self/ns/pid; ${script}`],
    cwd: worktree,
    env: { PATH: '/usr/bin:/bin' },
  });
  const id = await new Promise<string>((r) => proc.child.stdout.once('data', (c: Buffer) => r(c.toString().split('\n')[0]!)));
  expect(id).toMatch(/^pid:\[\d+\]$/);
  return { proc, id };
}

/** The host's processes that are `sleep <marker>` itself (not a shell whose command line mentions it). */
function sleepers(marker: number | string): string[] {
  return execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .filter((line) => line.trim() === `sleep ${marker}`);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'parallax-sandbox-'));
  chmodSync(root, 0o711); // as the product's data folder is: searchable, not listable
  dataDir = path.join(root, 'data');
  worktree = path.join(dataDir, 'workspaces', 'session-a');
  mkdirSync(worktree, { recursive: true });
  mkdirSync(path.join(dataDir, 'workspaces', 'session-b'), { recursive: true });
  writeFileSync(path.join(dataDir, 'workspaces', 'session-b', 'secret.txt'), 'org B code\n');
  writeFileSync(path.join(dataDir, 'nextauth-secret'), 'the web session secret\n');
  model = createServer((_req, res) => res.end('model says hi'));
  await new Promise<void>((r) => model.listen(0, '127.0.0.1', () => r()));
  modelPort = (model.address() as AddressInfo).port;
  service = createTcpServer((s) => s.end('database\n'));
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
  servicePort = (service.address() as AddressInfo).port;
  process.env.PARALLAX_TEST_WORKER_SECRET = 'worker-only';
  sandbox = await openSandbox({
    mode: 'bubblewrap',
    workdir: worktree,
    homeDir: path.join(dataDir, 'homes', 'session-a'),
    runtimeDir: path.join(dataDir, 'run', 'session-a'),
    hostServicePorts: [modelPort],
    uid: 100_777,
    maxProcesses: 64,
    protectedDirs: [dataDir],
    onRefused: (target, reason) => refused.push(`${target} ${reason}`),
  });
});

afterAll(async () => {
  await sandbox?.close();
  model?.close();
  service?.close();
  delete process.env.PARALLAX_TEST_WORKER_SECRET;
  rmSync(root, { recursive: true, force: true });
});

describe('a command in the sandbox', () => {
  it('writes its own worktree and HOME, as an unprivileged user', async () => {
    const r = await run('id -u; echo work > made.txt; echo home > "$HOME/state"; cat made.txt "$HOME/state"');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).not.toBe('0');
    expect(readFileSync(path.join(worktree, 'made.txt'), 'utf8')).toBe('work\n');
    expect(readFileSync(path.join(dataDir, 'homes', 'session-a', 'state'), 'utf8')).toBe('home\n');
  });

  it('cannot read another session’s worktree, the data folder or host secrets', async () => {
    const other = path.join(dataDir, 'workspaces', 'session-b', 'secret.txt');
    const r = await run(`cat ${other}; cat ${dataDir}/nextauth-secret; cat /etc/shadow; echo listing; ls ${path.dirname(worktree)}`);
    expect(r.out).toContain(`cat: ${other}: No such file or directory`);
    expect(r.out).toContain(`cat: ${dataDir}/nextauth-secret: No such file or directory`);
    expect(r.out).toMatch(/cat: \/etc\/shadow: (No such file or directory|Permission denied)/);
    expect(r.out).not.toContain('org B code');
    expect(r.out.split('listing\n')[1]?.trim()).toBe('session-a');
  });

  it('cannot write outside its worktree by .. paths, absolute paths or symlinks', async () => {
    const r = await run(
      `echo x > ../escaped; echo x > ${dataDir}/escaped; ln -s ${dataDir}/nextauth-secret link; cat link; echo x > link; echo x > /usr/escaped`,
    );
    expect(existsSync(path.join(dataDir, 'workspaces', 'escaped'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'escaped'))).toBe(false);
    expect(readFileSync(path.join(dataDir, 'nextauth-secret'), 'utf8')).toBe('the web session secret\n');
    expect(r.out).toMatch(/\/usr\/escaped: (Read-only file system|Permission denied)/);
    expect(r.out).not.toContain('the web session secret');
  });

  it('sees only its allowlisted environment', async () => {
    const r = await run('env', { PARALLAX_SESSION_ID: 'session-a' });
    expect(r.out).toContain('PARALLAX_SESSION_ID=session-a');
    expect(r.out).not.toContain('PARALLAX_TEST_WORKER_SECRET');
    expect(r.out).not.toContain('worker-only');
  });

  it('never hands variables that steer a shell or the loader to the root steps before it, nor to the command', async () => {
    const marker = path.join(root, 'env-ran');
    writeFileSync(path.join(root, 'evil.sh'), `touch ${marker}\n`);
    const r = await run('env', {
      ENV: path.join(root, 'evil.sh'),
      BASH_ENV: path.join(root, 'evil.sh'),
      LD_PRELOAD: '/nonexistent/evil.so',
      IFS: '/',
      KEPT: 'yes',
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain('KEPT=yes');
    expect(r.out).not.toMatch(/^(ENV|BASH_ENV|LD_PRELOAD|IFS)=/m);
    expect(existsSync(marker)).toBe(false);
  });

  it('reaches the allowed host through the egress proxy and nothing else on the host', async () => {
    const fetchScript = (url: string) =>
      `node -e "fetch('${url}').then(async r => console.log('status', r.status, await r.text())).catch(e => console.log('failed', e.cause?.code ?? e.message))"`;
    const allowed = await run(`node -e "
      const http = require('node:http');
      const req = http.request({ host: '127.0.0.1', port: 3128, method: 'GET', path: 'http://host.parallax.internal:${modelPort}/' }, (res) => {
        let b = ''; res.on('data', (c) => b += c); res.on('end', () => console.log('status', res.statusCode, b));
      });
      req.end();"`);
    expect(allowed.out).toContain('status 200 model says hi');
    // Directly: the sandbox's loopback is its own, the host's services are not on it.
    const direct = await run(fetchScript(`http://127.0.0.1:${servicePort}/`));
    expect(direct.out).toContain('failed ECONNREFUSED');
    // Through the proxy: anything not allowed is refused, by name or by address.
    const viaProxy = await run(`node -e "
      const net = require('node:net');
      for (const target of ['127.0.0.1:${servicePort}', 'host.parallax.internal:${servicePort}', 'localhost:${modelPort}', 'example.com:443']) {
        const s = net.connect(3128, '127.0.0.1', () => s.write('CONNECT ' + target + ' HTTP/1.1\\r\\nhost: ' + target + '\\r\\n\\r\\n'));
        s.once('data', (d) => { console.log(target, String(d).split('\\r\\n')[0]); s.destroy(); });
      }"`);
    expect(viaProxy.out).toContain(`127.0.0.1:${servicePort} HTTP/1.1 403 Forbidden`);
    expect(viaProxy.out).toContain(`host.parallax.internal:${servicePort} HTTP/1.1 403 Forbidden`);
    expect(viaProxy.out).toContain(`localhost:${modelPort} HTTP/1.1 403 Forbidden`);
    expect(viaProxy.out).toContain('example.com:443 HTTP/1.1 403 Forbidden');
    expect(refused).toContain(`127.0.0.1:${servicePort} not in the agent profile’s allowed hosts`);
  });

  it('leaves nothing running once its command exits, however it detached', async () => {
    const marker = 6_000 + Math.floor(Math.random() * 999);
    const r = await run(
      `(setsid sleep ${marker} &) ; nohup sleep ${marker} >/dev/null 2>&1 & (sleep ${marker} &) ; setsid sh -c 'sleep ${marker}' & sleep 1; echo started`,
    );
    expect(r.out).toContain('started');
    expect(sleepers(marker)).toEqual([]);
  });

  it('cannot make a user namespace of its own, become root or mount anything', async () => {
    const r = await run(
      'unshare -Ur id; echo "unshare $?"; mount -t tmpfs none /tmp; echo "mount $?"; su -c id root </dev/null; echo "su $?"',
    );
    expect(r.out).toMatch(/unshare: unshare failed: (Operation not permitted|No space left on device)/);
    expect(r.out).toMatch(/unshare [1-9]/);
    expect(r.out).toMatch(/mount [1-9]/);
    expect(r.out).not.toMatch(/uid=0\(root\)/);
  });

  it('cannot start more processes than its limit (a fork bomb stops there)', async () => {
    const r = await run('i=0; while [ $i -lt 200 ]; do sleep 3 & i=$((i+1)); done; echo all-started');
    expect(r.out).toMatch(/Cannot fork/);
    expect(r.out).not.toContain('all-started');
  });

  it('gets EPERM for the system calls its filter denies, which work on the host', async () => {
    const probe = `import ctypes
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(120)
for name, nr, args in (("io_uring_setup", 425, (1, buf)), ("keyctl", 250, (0, -3, 0)), ("userfaultfd", 323, (1,))):
    r = libc.syscall(nr, *args)
    print(name, "ok" if r >= 0 else "errno=%d" % ctypes.get_errno())`;
    const host = execFileSync('python3', ['-c', probe]).toString();
    expect(host).toBe('io_uring_setup ok\nkeyctl ok\nuserfaultfd ok\n');
    const r = await run(`python3 -c '${probe}'`);
    expect(r.out).toBe('io_uring_setup errno=1\nkeyctl errno=1\nuserfaultfd errno=1\n');
  });

  it('sees no Unix socket of the host and no product state', async () => {
    const r = await run('ls /run /var/run /tmp 2>&1; ls /var/run/postgresql 2>&1; ls /home; echo end');
    expect(r.out).toContain("ls: cannot access '/var/run/postgresql': No such file or directory");
    expect(r.out).not.toContain('.s.PGSQL');
  });

  it('is stopped whole by stop(), detached children included', async () => {
    const marker = 7_000 + Math.floor(Math.random() * 999);
    const proc = sandbox.spawn({
      file: '/bin/sh',
      args: ['-c', `(setsid sleep ${marker} &); trap '' TERM; sleep ${marker}`],
      cwd: worktree,
      env: { PATH: '/usr/bin:/bin' },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(sleepers(marker).length).toBe(2);
    await proc.stop(300);
    expect(sleepers(marker)).toEqual([]);
  });

  it('holds a finished command’s namespace id until settled, so no other namespace can have it', async () => {
    // This worker's open files: a held namespace shows as pid:[id].
    const held = () =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/self/fd/${fd}`)];
        } catch {
          return [];
        }
      });
    const { proc, id } = await startReportingId('true');
    await new Promise((r) => proc.child.once('close', r));
    expect(held()).toContain(id);
    await proc.settled();
    expect(held()).not.toContain(id);
  });

  it('never touches the namespace that has a stopped command’s id by the time it is stopped or settled again', {
    timeout: 120_000,
  }, async () => {
    // The kernel gives an ended namespace's id to a later one once it has torn it down. Make PID
    // namespaces on the host (unshare, as root like the rest of this suite), each kept while its
    // id is below the wanted one, until one has the id of a command that was stopped.
    const marker = `120.${Math.floor(Math.random() * 9_000) + 1_000}`;
    const squatters: ChildProcess[] = [];
    const gone = (s: ChildProcess) =>
      new Promise((r) => {
        if (s.exitCode !== null || s.signalCode !== null) return r(null);
        s.once('exit', r);
        s.kill('SIGKILL');
      });
    const idNumber = (id: string) => Number(/\d+/.exec(id)?.[0] ?? Number.NaN);
    /** A live process in the namespace with this id, before any squatter has it: someone else's. */
    const taken = (id: string) =>
      readdirSync('/proc').some((pid) => {
        try {
          if (!/^\d+$/.test(pid) || readlinkSync(`/proc/${pid}/ns/pid`) !== id) return false;
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
        } catch {
          return false;
        }
      });
    const squat = async (wanted: string): Promise<boolean> => {
      const until = Date.now() + 8_000;
      while (Date.now() < until && !taken(wanted)) {
        // setpriv: a squatter dies with this worker, whatever ends it.
        const s = spawn(
          'setpriv',
          [
            '--pdeathsig',
            'KILL',
            '--',
            'unshare',
            '--pid',
            '--fork',
            '--kill-child',
            'sh',
            '-c',
            `readlink /proc/self/ns/pid; exec sleep ${marker}`,
          ],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        squatters.push(s);
        const line = await new Promise<string>((r) => {
          s.stdout!.once('data', (c: Buffer) => r(c.toString().trim()));
          s.once('exit', () => r(''));
          s.once('error', () => r(''));
        });
        if (line === '') throw new Error('unshare --pid did not start (this suite runs as root)');
        if (line === wanted) return true;
        // One below the wanted id fills a gap and stays; one above means it is not free yet.
        if (idNumber(line) > idNumber(wanted)) await gone(squatters.pop()!);
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    };
    try {
      let stopped: SandboxedProcess | null = null;
      for (let attempt = 0; attempt < 4 && !stopped; attempt++) {
        const { proc, id } = await startReportingId(`exec sleep ${marker}1`);
        await proc.stop(0); // as a cancel does, without settled()
        if (await squat(id)) stopped = proc;
      }
      expect(stopped).not.toBeNull();
      // The squatters let go above the id take their sleep with them a moment later.
      for (let i = 0; i < 100 && sleepers(marker).length !== squatters.length; i++) await new Promise((r) => setTimeout(r, 50));
      const before = sleepers(marker).length;
      expect(before).toBe(squatters.length);
      // Late calls, as the sandbox's close() used to make for a command a cancel had stopped.
      await stopped!.stop(0);
      await stopped!.settled();
      expect(sleepers(marker).length).toBe(before);
    } finally {
      await Promise.all(squatters.map(gone));
    }
    expect(sleepers(marker)).toEqual([]);
  });

  it('runs a CLI from node_modules with the packages it depends on, and no other package', async () => {
    // What npm makes of a launcher whose native binary is a per-platform optional dependency.
    const modules = path.join(root, 'install', 'node_modules');
    const pkg = (name: string, manifest: object) => {
      mkdirSync(path.join(modules, name, 'bin'), { recursive: true });
      writeFileSync(path.join(modules, name, 'package.json'), JSON.stringify({ name, ...manifest }));
    };
    pkg('@acme/cli', { optionalDependencies: { '@acme/cli-linux': '1.0.0', '@acme/cli-darwin': '1.0.0' } });
    pkg('@acme/cli-linux', {});
    pkg('unrelated', {});
    writeFileSync(path.join(modules, 'unrelated', 'token'), 'not for agents\n');
    writeFileSync(path.join(modules, '@acme/cli-linux', 'bin', 'native'), '#!/bin/sh\necho native ran\n', { mode: 0o755 });
    const launcher = path.join(modules, '@acme/cli', 'bin', 'cli');
    writeFileSync(launcher, `#!/bin/sh\n"${modules}/@acme/cli-linux/bin/native"\ncat "${modules}/unrelated/token"\n`, { mode: 0o755 });
    mkdirSync(path.join(modules, '.bin'));
    symlinkSync('../@acme/cli/bin/cli', path.join(modules, '.bin', 'cli'));

    const proc = sandbox.spawn({ file: path.join(modules, '.bin', 'cli'), args: [], cwd: worktree, env: { PATH: '/usr/bin:/bin' } });
    let out = '';
    proc.child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => proc.child.once('close', resolve));

    expect(out).toContain('native ran');
    expect(out).toContain(`${modules}/unrelated/token: No such file or directory`);
    expect(out).not.toContain('not for agents');
  });
});

describe('a sandbox’s memory and CPU', () => {
  it('kills what goes over its memory limit and nothing outside it, and throttles its CPU to its share', async () => {
    const notices: string[] = [];
    const limited = await openSandbox({
      mode: 'bubblewrap',
      workdir: worktree,
      homeDir: path.join(dataDir, 'homes', 'session-limited'),
      runtimeDir: path.join(dataDir, 'run', 'session-limited'),
      uid: 100_778,
      limits: { memoryBytes: 96 * 1024 ** 2, cpus: 0.2 },
      onNotice: (message) => notices.push(message),
    });
    try {
      expect(limited.limits).toMatchObject({ memoryBytes: 96 * 1024 ** 2, cpus: 0.2 });
      const cgroupDirs = limited.limits!.cgroupDirs;
      const exec = async (script: string) => {
        const proc = limited.spawn({ file: '/bin/sh', args: ['-c', script], cwd: worktree, env: { PATH: '/usr/bin:/bin' } });
        let out = '';
        proc.child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        const code = await new Promise<number | null>((resolve) => proc.child.once('close', resolve));
        await proc.settled();
        return { code, out };
      };
      // `tail` keeps a line that never ends: 400 MiB of zeros grows it past the limit.
      const hog = await exec('head -c 400m /dev/zero | tail -n 1 > /dev/null; echo "survived: $?"');
      expect(hog.out).toMatch(/survived: 137/); // tail was SIGKILLed by the kernel; the shell went on
      expect(notices).toContain('a process went over the sandbox’s memory limit (96 MiB) and was killed');
      expect(process.memoryUsage().rss).toBeLessThan(4 * 1024 ** 3); // the worker is untouched

      // One second of spinning at a fifth of a core is throttled.
      const cpuDir = cgroupDirs.find((dir) => dir.includes('/cpu/')) ?? cgroupDirs[0]!;
      const throttled = () => Number(/^nr_throttled (\d+)$/m.exec(readFileSync(path.join(cpuDir, 'cpu.stat'), 'utf8'))?.[1] ?? 0);
      const before = throttled();
      await exec('end=$(( $(date +%s) + 1 )); while [ "$(date +%s)" -le "$end" ]; do :; done');
      expect(throttled()).toBeGreaterThan(before);
    } finally {
      await limited.close();
    }
    expect(limited.limits!.cgroupDirs.filter((dir) => existsSync(dir))).toEqual([]);
  });
});
