// `npm run evidence:rebuild` as an operator runs it: bad flags exit 2 with the usage, an unknown
// org is named, and a rebuild fills the rollups from the raw rows.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE } from '../testing/generated.ts';
import { insertHistory, readRollups } from '../testing/history.ts';

const run = promisify(execFile);
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rebuild.ts');
let fx: DatabaseFixture;

beforeAll(async () => {
  fx = await useTestDatabase();
});

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', SCRIPT, ...args], { env: { ...process.env, DATABASE_URL: fx.ownerUrl } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('npm run evidence:rebuild', { timeout: 60_000 }, () => {
  it('refuses bad flags and unknown orgs with exit 2 and says why', async () => {
    expect(await cli([])).toMatchObject({ code: 2, out: expect.stringContaining('Name one org with --org') });
    expect(await cli(['--bogus'])).toMatchObject({ code: 2, out: expect.stringContaining("Unknown option '--bogus'") });
    expect(await cli(['--org', 'nobody-here'])).toMatchObject({
      code: 2,
      out: expect.stringContaining('No organization has the slug "nobody-here"'),
    });
  });

  it('rebuilds an org from its raw rows', async () => {
    const owner = new pg.Client({ connectionString: fx.ownerUrl });
    await owner.connect();
    try {
      const session = {
        sessionId: 'ses-cli',
        invocationId: 'inv-cli',
        developerId: 'ana',
        repositoryId: 'repo-1',
        channel: 'CLI',
        status: 'SUCCEEDED',
        cancelledWhileQueued: false,
        dispatchedUnattended: false,
        taskType: 'STANDARD' as const,
        receivedAt: new Date(BASE),
        startedAt: new Date(BASE + 60_000),
        endedAt: new Date(BASE + 3_600_000),
        slaMinutes: 30,
        costUsd: null,
        interventionTimes: [],
        pr: null,
      };
      await insertHistory(owner, { orgId: 'org-cli', timeZone: 'UTC', facts: [session] });
      expect((await readRollups(owner, 'org-cli')).evidence).toEqual([]);
      const result = await cli(['--org', 'org-cli']);
      expect(result).toMatchObject({ code: 0, out: expect.stringMatching(/org-cli: rollups rebuilt for 1 developer in \d+\.\d s/) });
      expect((await readRollups(owner, 'org-cli')).evidence).toMatchObject([
        { developerId: 'ana', finished: 1, succeeded: 1, slaMissed: 1 },
      ]);
    } finally {
      await owner.end();
    }
  });
});
