// Runs the real plx (bin/plx.mjs) as a child process against a local HTTP server that
// speaks the /api/v1/me contract: a stand-in for the web app, whose real route is
// tested in apps/web.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';

// Every test starts node processes (tsx's loader alone takes half a second), several at a
// time: on a busy two-core machine that outlasts the unit project's 5 s default.
vi.setConfig({ testTimeout: 30_000 });

const bin = fileURLToPath(new URL('../bin/plx.mjs', import.meta.url));
const GOOD_TOKEN = 'plx_test_good_token';
const ME = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada Lovelace' },
  org: { id: 'o1', slug: 'acme', name: 'Acme' },
  scopes: ['sessions:read', 'sessions:write'],
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Sandbox {
  /** The stand-in server's base URL. */
  url: string;
  /** Authorization headers the server received, in order. */
  seenAuthorization: (string | undefined)[];
  configFile: string;
  plx(args: string[], options?: { env?: Record<string, string>; stdin?: string }): Promise<Run>;
}

// Each test gets its own stand-in server and its own empty XDG_CONFIG_HOME, so the
// tests can run concurrently (each one spawns node processes; that is where the time goes).
async function sandbox(): Promise<Sandbox> {
  const seenAuthorization: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seenAuthorization.push(req.headers.authorization);
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type }).end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.url === '/other-app/api/v1/me') return send(200, '<html>Welcome to nginx!</html>', 'text/html');
    if (req.method !== 'GET' || req.url !== '/api/v1/me') return send(404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}`) return send(401, { error: 'invalid or revoked token' });
    send(200, ME);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const home = mkdtempSync(path.join(tmpdir(), 'plx-config-'));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seenAuthorization,
    configFile: path.join(home, 'parallax', 'config.json'),
    plx: (args, options = {}) =>
      run(args, { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, ...options.env }, options.stdin),
  };
}

// A clean environment: no PLX_* from the developer's shell, a HOME that is not theirs.
function run(args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: 'pipe' });
  child.stdin.end(stdin);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.concurrent('plx --help', () => {
  it('lists login and whoami, and marks the commands still to come as not built yet', async () => {
    const { plx } = await sandbox();
    const run = await plx(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}login +Check an API token and save it/m);
    expect(run.stdout).toMatch(/^ {2}whoami +Show who the saved token belongs to$/m);
    for (const name of ['dispatch', 'ls', 'watch', 'logs', 'intervene', 'cancel', 'evidence export', 'evidence verify']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${name} .*\\(not built yet\\)$`, 'm'));
    }
    expect(run.stdout).not.toMatch(/login.*not built yet/);
  });

  it('prints the same help with no arguments, and a command help with plx help <command>', async () => {
    const { plx } = await sandbox();
    expect((await plx([])).stdout).toBe((await plx(['--help'])).stdout);
    const run = await plx(['help', 'login']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: plx login \[--url URL\] \[--token TOKEN\]/);
  });
});

describe.concurrent('bad usage exits with code 2', () => {
  it('refuses an unknown command', async () => {
    const { plx } = await sandbox();
    const run = await plx(['deploy']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('plx: unknown command "deploy"\nRun plx --help for usage.\n');
  });

  it('refuses an unknown flag and points at the command help', async () => {
    const { plx } = await sandbox();
    const run = await plx(['login', '--password', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("plx: login: unknown option '--password'\nRun plx login --help for usage.\n");
  });

  it('refuses a flag without its value', async () => {
    const { plx } = await sandbox();
    const run = await plx(['login', '--url']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--url <value>' argument missing/);
  });

  it('says that a listed command is not built yet', async () => {
    const { plx } = await sandbox();
    const run = await plx(['dispatch', 'fix the flaky test']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^plx: dispatch is not built yet/);
  });

  it('asks for the subcommand of evidence', async () => {
    const { plx } = await sandbox();
    const run = await plx(['evidence']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^plx: evidence needs a subcommand: export, verify/);
  });
});

describe.concurrent('plx login', () => {
  it('checks the token with GET /api/v1/me and saves url and token readable by the owner only', async () => {
    const { plx, url, configFile, seenAuthorization } = await sandbox();
    const run = await plx(['login', '--url', `${url}/`, '--token', GOOD_TOKEN]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Logged in to ${url} as ada@example.com, org Acme (acme).`);
    expect(seenAuthorization).toEqual([`Bearer ${GOOD_TOKEN}`]);
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ url, token: GOOD_TOKEN });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(configFile)).mode & 0o777).toBe(0o700);
  });

  it('reads the token from stdin', async () => {
    const { plx, url, configFile } = await sandbox();
    const run = await plx(['login', '--url', url], { stdin: `${GOOD_TOKEN}\n` });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(configFile, 'utf8')).token).toBe(GOOD_TOKEN);
  });

  it('reads the token and the server from PLX_TOKEN and PLX_URL', async () => {
    const { plx, url, configFile } = await sandbox();
    const run = await plx(['login'], { env: { PLX_TOKEN: GOOD_TOKEN, PLX_URL: url } });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ url, token: GOOD_TOKEN });
  });

  it('tightens the permissions of an existing config file it replaces', async () => {
    const { plx, url, configFile } = await sandbox();
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, '{"url":"http://old","token":"old"}', { mode: 0o644 });
    expect((await plx(['login', '--url', url, '--token', GOOD_TOKEN])).code).toBe(0);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('exits 1 and saves nothing when the server refuses the token', async () => {
    const { plx, url, configFile } = await sandbox();
    const run = await plx(['login', '--url', url, '--token', 'plx_revoked']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^plx: the server refused the token \(401: invalid or revoked token\); nothing was saved/);
    expect(existsSync(configFile)).toBe(false);
  });

  it('keeps the previous login when a new token is refused', async () => {
    const { plx, url, configFile } = await sandbox();
    await plx(['login', '--url', url, '--token', GOOD_TOKEN]);
    expect((await plx(['login', '--url', url, '--token', 'plx_revoked'])).code).toBe(1);
    expect(JSON.parse(readFileSync(configFile, 'utf8')).token).toBe(GOOD_TOKEN);
  });

  it('says when the server cannot be reached', async () => {
    const { plx, configFile } = await sandbox();
    const port = await closedPort();
    const run = await plx(['login', '--url', `http://127.0.0.1:${port}`, '--token', GOOD_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^plx: cannot reach http://127\\.0\\.0\\.1:${port}: connection refused\\. Is Parallax running there\\?`),
    );
    expect(existsSync(configFile)).toBe(false);
  });

  it('refuses a malformed URL with exit code 2 and suggests the scheme', async () => {
    const { plx } = await sandbox();
    const run = await plx(['login', '--url', 'localhost:3000', '--token', GOOD_TOKEN]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a server URL: "localhost:3000".*did you mean http:\/\/localhost:3000/);
    const ftp = await plx(['login', '--url', 'ftp://example.com', '--token', GOOD_TOKEN]);
    expect(ftp.code).toBe(2);
  });

  it('says when the URL is not a Parallax server', async () => {
    const { plx, url, configFile } = await sandbox();
    const run = await plx(['login', '--url', `${url}/other-app`, '--token', GOOD_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gave an answer plx does not understand; is .*\/other-app a Parallax server\?/);
    expect(existsSync(configFile)).toBe(false);
  });

  it('refuses an empty token with exit code 2', async () => {
    const { plx, url } = await sandbox();
    const run = await plx(['login', '--url', url], { stdin: '\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no token given: pass --token, set PLX_TOKEN, or type it \(or pipe it\) on stdin/);
  });
});

describe.concurrent('plx whoami', () => {
  it('shows the user, org and scopes of the saved login', async () => {
    const { plx, url } = await sandbox();
    await plx(['login', '--url', url, '--token', GOOD_TOKEN]);
    const run = await plx(['whoami']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`ada@example.com (Ada Lovelace)\norg:    Acme (acme)\nscopes: sessions:read, sessions:write\nserver: ${url}\n`);
    expect(JSON.parse((await plx(['whoami', '--json'])).stdout)).toEqual({ url, ...ME });
  });

  it('says to log in when there is no saved login', async () => {
    const { plx } = await sandbox();
    const run = await plx(['whoami']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('plx: not logged in: run plx login (or set PLX_TOKEN)\n');
  });

  it('says to log in again when the saved token is refused', async () => {
    const { plx, url, configFile } = await sandbox();
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, JSON.stringify({ url, token: 'plx_revoked' }), { mode: 0o600 });
    const run = await plx(['whoami']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the token \(401: invalid or revoked token\); it may have been revoked or expired\. Run plx login/);
  });

  it('says so when the config file is damaged', async () => {
    const { plx, configFile } = await sandbox();
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, 'not json');
    const run = await plx(['whoami']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config\.json is not a plx config file; run plx login again/);
  });
});
