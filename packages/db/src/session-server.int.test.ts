// The session database server npm start runs by default: its own cluster, password auth,
// kept across restarts with the same password and data.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startSessionServer } from './session-server.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'parallax-session-server-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the session database server', () => {
  it('checks passwords, keeps its data and password across a restart, and keeps its folder to itself', { timeout: 60_000 }, async () => {
    const dir = path.join(root, 'session-postgres');
    chmodSync(root, 0o711);
    const first = await startSessionServer({ dir, durable: true });
    try {
      await query(first.adminUrl, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
      const wrong = new URL(first.adminUrl);
      wrong.password = 'postgres';
      await expect(query(wrong.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    } finally {
      first.stop();
    }
    expect(statSync(dir).mode & 0o077).toBe(0);
    expect(statSync(path.join(dir, 'password')).mode & 0o077).toBe(0);

    // A supervisor killed outright left a server running: the next start takes over.
    const orphan = await startSessionServer({ dir, durable: true });
    const second = await startSessionServer({ dir, durable: true });
    await expect(query(orphan.adminUrl, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    try {
      expect(new URL(second.adminUrl).password).toBe(new URL(first.adminUrl).password);
      expect(await query(second.adminUrl, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      second.stop();
    }
    await expect(query(second.adminUrl, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });
});
