// The migrations folder is the schema's only path to a database, so these tests
// prove the two agree, and that the offline migration runner behaves like Prisma's.
import { mkdtemp, readFile, readdir, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { Prisma } from './generated/prisma/client.ts';
import { applyMigrations, createMigration, diffSchemas, migrationsDir, readSchema, schemaPath, snapshotPath } from './migrate.ts';
import { useTestDatabase, type DatabaseFixture } from './test-database.ts';
import pg from 'pg';

let fx: DatabaseFixture;
beforeAll(async () => {
  fx = await useTestDatabase();
});

describe('migrations and the schema', () => {
  it('leave nothing to diff: the last migration matches prisma/schema', async () => {
    const [schema, snapshot] = await Promise.all([readSchema(schemaPath), readFile(snapshotPath, 'utf8')]);
    expect(await diffSchemas(snapshot, schema)).toBe('');
  });

  it('records every migration in _prisma_migrations as Prisma does, and applies nothing twice', async () => {
    const owner = new pg.Client({ connectionString: fx.ownerUrl });
    await owner.connect();
    const { rows } = await owner.query(
      `SELECT migration_name, finished_at IS NOT NULL AS done, checksum FROM _prisma_migrations ORDER BY migration_name`,
    );
    await owner.end();
    const folders = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    expect(rows.every((r) => r.done && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    expect(await applyMigrations(fx.ownerUrl)).toEqual([]);
  });

  it('build a database where the generated client writes and reads every model', async () => {
    const orgId = 'org-every-model';
    const written = await fx.db.scoped({ orgId, userId: 'u1' }, async (tx) => {
      await tx.organization.create({ data: { id: orgId, slug: orgId, name: 'Every Model' } });
      await tx.user.create({ data: { id: 'u1', email: 'every@example.test', passwordHash: 'x' } });
      await tx.account.create({ data: { userId: 'u1', type: 'oauth', provider: 'github', providerAccountId: '1' } });
      await tx.session.create({ data: { sessionToken: 's1', userId: 'u1', expires: new Date() } });
      await tx.verificationToken.create({ data: { identifier: 'every@example.test', token: 'vt1', expires: new Date() } });
      await tx.rateLimitBucket.create({ data: { key: 'k', windowStart: new Date(), count: 1 } });
      await tx.portLease.create({ data: { rangeStart: 40_000, rangeEnd: 40_009, sessionId: 'any-session' } });
      const m = await tx.membership.create({ data: { orgId, userId: 'u1', role: 'OWNER' } });
      await tx.invite.create({ data: { orgId, tokenHash: 'h1', role: 'DEVELOPER', createdById: 'u1', expiresAt: new Date() } });
      const team = await tx.team.create({ data: { orgId, name: 'T', slug: 't' } });
      await tx.teamMember.create({ data: { orgId, teamId: team.id, membershipId: m.id } });
      await tx.apiToken.create({ data: { orgId, userId: 'u1', name: 'n', prefix: 'plx_', tokenHash: 'th', scopes: ['sessions:read'] } });
      await tx.signingKey.create({ data: { orgId, publicKeyPem: 'pub', privateKeyPemSealed: 'sealed' } });
      await tx.integration.create({ data: { orgId, kind: 'SLACK', config: { channel: '#agents' } } });
      const repo = await tx.repository.create({ data: { orgId, name: 'api', localPath: '/srv/api.git', testCommand: 'npm test' } });
      const profile = await tx.agentProfile.create({ data: { orgId, name: 'script', adapter: 'SCRIPT' } });
      const sla = await tx.slaPolicy.create({ data: { orgId, taskType: 'STANDARD', minutes: 30 } });
      await tx.taskSchedule.create({
        data: { orgId, name: 'nightly', cron: '0 3 * * *', taskTemplate: {}, temporalScheduleId: 'sched-1', createdById: 'u1' },
      });
      const task = await tx.task.create({ data: { orgId, repositoryId: repo.id, agentProfileId: profile.id, title: 't', prompt: 'p' } });
      const inv = await tx.invocation.create({ data: { orgId, channel: 'CLI', actorUserId: 'u1', payloadDigest: 'd', taskId: task.id } });
      const session = await tx.agentSession.create({
        data: {
          orgId,
          taskId: task.id,
          invocationId: inv.id,
          developerId: 'u1',
          repositoryId: repo.id,
          workflowId: 'session-1',
          slaPolicyId: sla.id,
          slaMinutes: 30,
        },
      });
      await tx.sessionEvent.create({ data: { orgId, sessionId: session.id, type: 'ADMITTED', dedupeKey: 'admitted' } });
      await tx.sessionLogChunk.create({ data: { orgId, sessionId: session.id, seq: 0, text: 'hello' } });
      await tx.intervention.create({
        data: { orgId, sessionId: session.id, actorUserId: 'u1', kind: 'MESSAGE', message: 'use the v2 API' },
      });
      await tx.pullRequest.create({
        data: {
          orgId,
          sessionId: session.id,
          repositoryId: repo.id,
          forge: 'LOCAL',
          number: 1,
          url: 'local://1',
          title: 't',
          body: 'b',
          headBranch: 'h',
          baseBranch: 'main',
          openedAt: new Date(),
        },
      });
      await tx.evidenceExport.create({ data: { orgId, requestedById: 'u1', rangeStart: new Date(0), rangeEnd: new Date() } });
      await tx.auditLog.create({ data: { orgId, actorUserId: 'u1', action: 'test' } });
      await tx.orgSecret.create({ data: { orgId, kind: 'AGENT_ENV', name: 'ANTHROPIC_API_KEY', sealed: 'sealed', hint: 'abcd' } });
      await tx.webhookDelivery.create({ data: { orgId, provider: 'GITHUB', accepted: false, reason: 'bad signature' } });
      const day = new Date('2026-12-01');
      await tx.evidenceDay.create({ data: { orgId, developerId: 'u1', repositoryId: repo.id, day, finished: 1, unassisted: 1 } });
      await tx.concurrencyDay.create({ data: { orgId, developerId: 'u1', day, maxConcurrency: 3, activeMs: 60_000, areaMs: 120_000 } });
      await tx.channelDay.create({ data: { orgId, developerId: 'u1', repositoryId: repo.id, day, channel: 'CLI', invocations: 2 } });
      await tx.evidenceOrgDay.create({ data: { orgId, repositoryId: repo.id, day, finished: 1, unassisted: 1 } });
      await tx.channelOrgDay.create({ data: { orgId, repositoryId: repo.id, day, channel: 'CLI', invocations: 2 } });
      const week = new Date('2026-11-30');
      await tx.evidenceWeek.create({ data: { orgId, repositoryId: repo.id, week, finished: 1, unassisted: 1 } });
      await tx.channelWeek.create({ data: { orgId, repositoryId: repo.id, week, channel: 'CLI', invocations: 2 } });
      await tx.developerWeek.create({ data: { orgId, developerId: 'u1', week, finished: 1, daysAtMax3: 1, channels: ['CLI'] } });
      await tx.orgWeek.create({ data: { orgId, week, activeDevelopers: 1, meetingParallel: 1 } });
      await tx.teamDay.create({ data: { orgId, teamId: team.id, day, finished: 1, channels: ['CLI'] } });
      await tx.teamWeek.create({ data: { orgId, teamId: team.id, week, finished: 1, channels: ['CLI'], activeDevelopers: 1 } });

      const counts: Record<string, number> = {};
      for (const model of Object.values(Prisma.ModelName)) {
        const delegate = (tx as unknown as Record<string, { count(): Promise<number> }>)[model.charAt(0).toLowerCase() + model.slice(1)];
        counts[model] = await delegate!.count();
      }
      return counts;
    });
    const empty = Object.entries(written)
      .filter(([, n]) => n < 1)
      .map(([model]) => model);
    expect(Object.keys(written).length).toBe(Object.values(Prisma.ModelName).length);
    expect(empty).toEqual([]);
  });
});

describe('db:migration:new', () => {
  async function scratchMigrations() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parallax-migrations-'));
    await cp(migrationsDir, dir, { recursive: true });
    return dir;
  }

  it('writes only the incremental SQL for a schema change and moves the snapshot forward', async () => {
    const dir = await scratchMigrations();
    // A copy of the schema's folder with one column added in one of its files.
    const schemaFolder = path.join(dir, 'schema');
    await cp(schemaPath, schemaFolder, { recursive: true });
    const tenancy = path.join(schemaFolder, 'tenancy.prisma');
    await writeFile(
      tenancy,
      (await readFile(tenancy, 'utf8')).replace(
        '  timeZone                String    @default("UTC")',
        '  timeZone                String    @default("UTC")\n  weekStartsOn            Int       @default(1)',
      ),
    );
    const changed = await readSchema(schemaFolder);
    expect(changed).toContain('weekStartsOn');
    const folder = await createMigration('week_start', { schema: schemaFolder, dir, now: new Date('2030-01-02T03:04:05Z') });
    expect(path.basename(folder!)).toBe('20300102030405_week_start');
    const sql = await readFile(path.join(folder!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "Organization" ADD COLUMN     "weekStartsOn" INTEGER NOT NULL DEFAULT 1');
    expect(sql).not.toContain('CREATE TABLE');
    expect(await readFile(path.join(dir, 'schema.snapshot.prisma'), 'utf8')).toBe(changed);
    expect(await createMigration('again', { schema: schemaFolder, dir })).toBeNull();
  });

  it('refuses a name that is not lower_snake_case', async () => {
    await expect(createMigration('Add Stuff')).rejects.toThrow(/lower_snake_case/);
  });
});
