// Schedules through the API, on the real Temporal dev server (no worker: nothing
// fires here; scheduled runs are tested in temporal/src/workflows/scheduled-dispatch.int.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { createFleetEngine } from '@parallax/temporal/client';
import { useTestTemporal } from '@parallax/temporal/testing';
import type { FleetEngine } from './trpc.ts';
import { callerFor as baseCallerFor, createOrgFixture, uniqueEmail, unreachableFleet } from './testing/fixtures.ts';

let fx: DatabaseFixture;
let fleet: FleetEngine;
const password = 'correct horse battery staple';
const callerFor = (userId: string | null) => baseCallerFor(fx.db, userId, { fleet });

beforeAll(async () => {
  fx = await useTestDatabase();
  fleet = createFleetEngine((await useTestTemporal()).env.client);
});

async function newUser(label: string) {
  const { userId } = await callerFor(null).auth.signUp({ email: uniqueEmail(label), password, name: label });
  return { userId, api: callerFor(userId) };
}

/** An org with an owner, a repository, and a member of each role the tests need. */
async function newOrg() {
  const owner = await newUser('owner');
  const org = await owner.api.org.create({ name: `Scheduled ${Math.random().toString(36).slice(2, 6)}` });
  const repo = await owner.api.repository.create({
    orgId: org.id,
    settings: { name: 'web-app', url: 'https://git.example.test/acme/web-app.git' },
  });
  const join = async (role: 'DEVELOPER' | 'AUDITOR' | 'ADMIN') => {
    const member = await newUser(role.toLowerCase());
    await member.api.invite.accept({ token: (await owner.api.invite.create({ orgId: org.id, role })).token });
    return member;
  };
  return { org, owner, repo, developer: await join('DEVELOPER'), auditor: await join('AUDITOR'), admin: await join('ADMIN') };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

const input = (orgId: string, repositoryId: string, developerId: string, overrides: Record<string, unknown> = {}) => ({
  orgId,
  name: 'weekday dependency bump',
  cron: '0 9 * * 1-5',
  repositoryId,
  developerId,
  title: 'Bump dependencies',
  prompt: JSON.stringify({ steps: [{ run: 'npm update' }] }),
  ...overrides,
});

describe('the schedule router', () => {
  it('lets owners and admins create, pause, resume and delete; everyone in the org sees the list', async () => {
    const { org, owner, repo, developer, admin } = await newOrg();
    const created = await owner.api.schedule.create(input(org.id, repo.id, developer.userId));
    expect(created).toMatchObject({ name: 'weekday dependency bump', cron: '0 9 * * 1-5', paused: false });
    expect(created.taskTemplate).toMatchObject({ repositoryId: repo.id, developerId: developer.userId, taskType: 'STANDARD' });

    const seen = await developer.api.schedule.list({ orgId: org.id });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: created.id, temporal: 'OK', paused: false });
    expect(seen[0]!.nextRunAt).toBeInstanceOf(Date);

    expect(await admin.api.schedule.pause({ orgId: org.id, scheduleId: created.id })).toMatchObject({ paused: true });
    expect((await developer.api.schedule.list({ orgId: org.id }))[0]).toMatchObject({ paused: true, nextRunAt: null });
    expect(await owner.api.schedule.resume({ orgId: org.id, scheduleId: created.id })).toMatchObject({ paused: false });
    expect(await admin.api.schedule.delete({ orgId: org.id, scheduleId: created.id })).toEqual({ deleted: true });
    expect(await owner.api.schedule.list({ orgId: org.id })).toEqual([]);
  });

  it('refuses a developer and an auditor every change (FORBIDDEN), and changes nothing', async () => {
    const { org, owner, repo, developer, auditor } = await newOrg();
    const created = await owner.api.schedule.create(input(org.id, repo.id, developer.userId));
    for (const member of [developer, auditor]) {
      expect(await codeOf(member.api.schedule.create(input(org.id, repo.id, member.userId, { name: 'mine' })))).toBe('FORBIDDEN');
      expect(await codeOf(member.api.schedule.pause({ orgId: org.id, scheduleId: created.id }))).toBe('FORBIDDEN');
      expect(await codeOf(member.api.schedule.resume({ orgId: org.id, scheduleId: created.id }))).toBe('FORBIDDEN');
      expect(await codeOf(member.api.schedule.delete({ orgId: org.id, scheduleId: created.id }))).toBe('FORBIDDEN');
    }
    const [only, ...more] = await owner.api.schedule.list({ orgId: org.id });
    expect(more).toEqual([]);
    expect(only).toMatchObject({ id: created.id, paused: false });
  });

  it('answers a bad cron with BAD_REQUEST naming the field and the problem', async () => {
    const { org, owner, repo, developer } = await newOrg();
    const error = await owner.api.schedule.create(input(org.id, repo.id, developer.userId, { cron: '0 9 * * 1-5 2030' })).catch((e) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(error.message).toMatch(/five fields.*has 6/);
    const both = await owner.api.schedule.create(input(org.id, repo.id, developer.userId, { cron: '0 9 1 * MON' })).catch((e) => e);
    expect(both.message).toMatch(/either the day of the month or the day of the week/);
    expect(await owner.api.schedule.list({ orgId: org.id })).toEqual([]);
  });

  it('refuses a developer who is not a member, one who cannot run sessions, and a duplicate name', async () => {
    const { org, owner, repo, developer, auditor } = await newOrg();
    const stranger = await newUser('stranger');
    expect(await codeOf(owner.api.schedule.create(input(org.id, repo.id, stranger.userId)))).toBe('NOT_FOUND');
    const forAuditor = await owner.api.schedule.create(input(org.id, repo.id, auditor.userId)).catch((e) => e);
    expect(forAuditor).toMatchObject({ code: 'BAD_REQUEST' });
    expect(forAuditor.message).toMatch(/auditor role/);
    await owner.api.schedule.create(input(org.id, repo.id, developer.userId));
    expect(await codeOf(owner.api.schedule.create(input(org.id, repo.id, developer.userId)))).toBe('CONFLICT');
  });

  it("keeps another org's repository, profile and schedules out of reach", async () => {
    const { org, owner, repo, developer } = await newOrg();
    const other = await createOrgFixture(fx.db, 'other');
    expect(await codeOf(owner.api.schedule.create(input(org.id, other.repositoryId, developer.userId)))).toBe('NOT_FOUND');
    expect(
      await codeOf(owner.api.schedule.create(input(org.id, repo.id, developer.userId, { agentProfileId: other.agentProfileId }))),
    ).toBe('NOT_FOUND');
    for (const verb of ['pause', 'resume', 'delete'] as const) {
      expect(await codeOf(owner.api.schedule[verb]({ orgId: org.id, scheduleId: other.scheduleId }))).toBe('NOT_FOUND');
    }
    const theirs = await fx.db.forOrg(other.orgId, (tx) => tx.taskSchedule.findUniqueOrThrow({ where: { id: other.scheduleId } }));
    expect(theirs.paused).toBe(false);
  });

  it('still lists schedules when Temporal cannot be reached, and says so', async () => {
    const { org, owner, repo, developer } = await newOrg();
    await owner.api.schedule.create(input(org.id, repo.id, developer.userId));
    const offline = baseCallerFor(fx.db, developer.userId, { fleet: unreachableFleet });
    const [row] = await offline.schedule.list({ orgId: org.id });
    expect(row).toMatchObject({ name: 'weekday dependency bump', temporal: 'UNREACHABLE', nextRunAt: null });
    // A change needs Temporal: it fails and leaves the row as it was.
    const ownerOffline = baseCallerFor(fx.db, owner.userId, { fleet: unreachableFleet });
    expect(await codeOf(ownerOffline.schedule.pause({ orgId: org.id, scheduleId: row!.id }))).toBe('INTERNAL_SERVER_ERROR');
    expect((await owner.api.schedule.list({ orgId: org.id }))[0]).toMatchObject({ paused: false, temporal: 'OK' });
  });
});
