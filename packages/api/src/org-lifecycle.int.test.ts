// The foundation's user paths through the real API: sign up, create an org, invite,
// accept, roles, teams, API tokens, and the mistakes users make on the way.
import { describe, it, expect, beforeAll } from 'vitest';
import { TRPCError } from '@trpc/server';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { authenticateApiToken, verifyCredentials } from '@parallax/auth';
import { callerFor, uniqueEmail } from './testing/fixtures.ts';

let fx: DatabaseFixture;
const password = 'correct horse battery staple';

async function newUser(label: string) {
  const email = uniqueEmail(label);
  const { userId } = await callerFor(fx.db, null).auth.signUp({ email, password, name: label });
  return { userId, email, api: callerFor(fx.db, userId) };
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

beforeAll(async () => {
  fx = await useTestDatabase();
});

describe('sign-up and sign-in', () => {
  it('signs a new user up and then signs them in with the same password only', async () => {
    const { email, userId } = await newUser('ada');
    expect(await verifyCredentials(fx.db, { email: email.toUpperCase(), password })).toMatchObject({ id: userId, email });
    expect(await verifyCredentials(fx.db, { email, password: 'wrong password!' })).toBeNull();
    expect(await verifyCredentials(fx.db, { email: 'nobody@example.test', password })).toBeNull();
  });

  it('refuses a duplicate email with CONFLICT and a weak password with field errors', async () => {
    const { email } = await newUser('dup');
    const anon = callerFor(fx.db, null);
    expect(await codeOf(anon.auth.signUp({ email, password, name: 'Again' }))).toBe('CONFLICT');
    const weak = await anon.auth.signUp({ email: 'not-an-email', password: 'short', name: '' }).catch((e: TRPCError) => e);
    expect(weak).toBeInstanceOf(TRPCError);
    expect((weak as TRPCError).code).toBe('BAD_REQUEST');
  });

  it('rate-limits sign-up per client address', async () => {
    const sameAddress = callerFor(fx.db, null, { ip: '192.0.2.7' });
    for (let i = 0; i < 20; i++) await sameAddress.auth.signUp({ email: uniqueEmail('flood'), password, name: 'Flood' });
    expect(await codeOf(sameAddress.auth.signUp({ email: uniqueEmail('flood'), password, name: 'Flood' }))).toBe('TOO_MANY_REQUESTS');
  });

  it('stores a scrypt hash, never the password', async () => {
    const { userId } = await newUser('hash');
    const user = await fx.db.scoped({}, (tx) => tx.user.findUniqueOrThrow({ where: { id: userId } }));
    expect(user.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(user.passwordHash).not.toContain(password);
  });

  it('slows ten wrong passwords from one address, yet lets the owner in from another (more in @parallax/auth)', async () => {
    const { email, userId } = await newUser('brute');
    const attacker = '192.0.2.66';
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const attempt = verifyCredentials(fx.db, { email, password: `guess-number-${i}`, ip: attacker });
      outcomes.push(
        await attempt.then(
          (user) => (user ? 'in' : 'wrong'),
          (error: { code: string }) => error.code,
        ),
      );
    }
    expect(outcomes).toContain('TOO_MANY_REQUESTS');
    expect(outcomes).not.toContain('in');
    expect(await verifyCredentials(fx.db, { email, password, ip: '198.51.100.66' })).toMatchObject({ id: userId });
  });
});

describe('organizations', () => {
  it('makes the creator OWNER and provisions the default SLA policies and agent profile', async () => {
    const { api, userId } = await newUser('owner');
    const org = await api.org.create({ name: 'Acme Robotics' });
    expect(org.slug).toBe('acme-robotics');
    const me = await api.viewer.me();
    expect(me.memberships).toEqual([{ orgId: org.id, slug: 'acme-robotics', name: 'Acme Robotics', role: 'OWNER' }]);
    expect(me.lastOrgId).toBe(org.id);
    const got = await api.org.get({ orgId: org.id });
    expect(got.provisionedAt).toBeInstanceOf(Date);
    const defaults = await fx.db.forOrg(org.id, async (tx) => ({
      sla: (await tx.slaPolicy.findMany({ orderBy: { taskType: 'asc' } })).map((p) => [p.taskType, p.minutes]),
      profiles: (await tx.agentProfile.findMany()).map((p) => p.adapter),
      audit: (await tx.auditLog.findMany()).map((a) => [a.action, a.actorUserId]),
    }));
    expect(defaults.sla).toEqual([
      ['STANDARD', 30],
      ['COMPLEX', 120],
      ['INVESTIGATION', 30],
    ]);
    expect(defaults.profiles).toEqual(['SCRIPT']);
    expect(defaults.audit).toEqual([['org.create', userId]]);
  });

  it('suffixes a taken slug made from the name, and refuses a taken slug asked for', async () => {
    const { api } = await newUser('slug');
    const first = await api.org.create({ name: 'Twin Peaks' });
    const second = await api.org.create({ name: 'Twin Peaks' });
    expect(second.slug).toMatch(/^twin-peaks-[0-9a-f]{4}$/);
    expect(await codeOf(api.org.create({ name: 'Other', slug: first.slug }))).toBe('CONFLICT');
    expect(await codeOf(api.org.create({ name: 'Bad', slug: 'Not A Slug!' }))).toBe('BAD_REQUEST');
  });

  it('lets an admin change settings, refuses a developer, and rejects an unknown time zone', async () => {
    const { api } = await newUser('settings');
    const org = await api.org.create({ name: 'Settings Co' });
    const updated = await api.org.update({ orgId: org.id, timeZone: 'Europe/Berlin', developerConcurrencyCap: 4 });
    expect(updated).toMatchObject({ timeZone: 'Europe/Berlin', developerConcurrencyCap: 4 });
    expect(await codeOf(api.org.update({ orgId: org.id, timeZone: 'Mars/Olympus' }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.org.update({ orgId: org.id, developerConcurrencyCap: 0 }))).toBe('BAD_REQUEST');
  });
});

describe('invites, roles and teams', () => {
  it('invites a member by link, who joins with the invited role and can be given another', async () => {
    const owner = await newUser('inviter');
    const org = await owner.api.org.create({ name: 'Invite Co' });
    const invite = await owner.api.invite.create({ orgId: org.id, role: 'DEVELOPER' });
    const dev = await newUser('invitee');
    expect(await dev.api.invite.preview({ token: invite.token })).toMatchObject({
      orgName: 'Invite Co',
      role: 'DEVELOPER',
      status: 'PENDING',
    });
    expect(await dev.api.invite.accept({ token: invite.token })).toEqual({ orgId: org.id, slug: org.slug });

    const members = await owner.api.member.list({ orgId: org.id });
    const devMember = members.find((m) => m.userId === dev.userId)!;
    expect(devMember.role).toBe('DEVELOPER');
    await owner.api.member.updateRole({ orgId: org.id, membershipId: devMember.membershipId, role: 'LEAD' });
    expect((await dev.api.viewer.me()).memberships[0]?.role).toBe('LEAD');

    const invites = await owner.api.invite.list({ orgId: org.id });
    expect(invites[0]?.status).toBe('ACCEPTED');
    const third = await newUser('late');
    expect(await codeOf(third.api.invite.accept({ token: invite.token }))).toBe('BAD_REQUEST');
  });

  it('refuses revoked, expired, mistyped and someone-else’s invites', async () => {
    const owner = await newUser('strict');
    const org = await owner.api.org.create({ name: 'Strict Co' });
    const guest = await newUser('guest');
    const revoked = await owner.api.invite.create({ orgId: org.id, role: 'AUDITOR' });
    await owner.api.invite.revoke({ orgId: org.id, inviteId: revoked.inviteId });
    expect(await codeOf(guest.api.invite.accept({ token: revoked.token }))).toBe('BAD_REQUEST');

    const expired = await owner.api.invite.create({ orgId: org.id, role: 'AUDITOR', expiresInDays: 1 });
    await fx.db.forOrg(org.id, (tx) =>
      tx.invite.update({ where: { id: expired.inviteId }, data: { expiresAt: new Date(Date.now() - 1000) } }),
    );
    expect(await codeOf(guest.api.invite.accept({ token: expired.token }))).toBe('BAD_REQUEST');

    expect(await codeOf(guest.api.invite.accept({ token: 'inv_typo' }))).toBe('NOT_FOUND');

    const addressed = await owner.api.invite.create({ orgId: org.id, role: 'DEVELOPER', email: 'someone.else@example.test' });
    expect(await codeOf(guest.api.invite.accept({ token: addressed.token }))).toBe('FORBIDDEN');
    expect((await guest.api.viewer.me()).memberships).toEqual([]);
  });

  it('keeps the last owner, and only lets owners touch the owner role', async () => {
    const owner = await newUser('last');
    const org = await owner.api.org.create({ name: 'Owners Co' });
    const [self] = await owner.api.member.list({ orgId: org.id });
    expect(await codeOf(owner.api.member.updateRole({ orgId: org.id, membershipId: self!.membershipId, role: 'ADMIN' }))).toBe(
      'BAD_REQUEST',
    );
    expect(await codeOf(owner.api.member.remove({ orgId: org.id, membershipId: self!.membershipId }))).toBe('BAD_REQUEST');

    const admin = await newUser('admin');
    const inv = await owner.api.invite.create({ orgId: org.id, role: 'ADMIN' });
    await admin.api.invite.accept({ token: inv.token });
    expect(await codeOf(admin.api.member.updateRole({ orgId: org.id, membershipId: self!.membershipId, role: 'DEVELOPER' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(admin.api.invite.create({ orgId: org.id, role: 'OWNER' }))).toBe('FORBIDDEN');
  });

  it('lets developers read but not manage, and auditors read the audit log', async () => {
    const owner = await newUser('roles');
    const org = await owner.api.org.create({ name: 'Roles Co' });
    const dev = await newUser('dev');
    await dev.api.invite.accept({ token: (await owner.api.invite.create({ orgId: org.id, role: 'DEVELOPER' })).token });
    const auditor = await newUser('auditor');
    await auditor.api.invite.accept({ token: (await owner.api.invite.create({ orgId: org.id, role: 'AUDITOR' })).token });

    expect(await codeOf(dev.api.team.list({ orgId: org.id }))).toBe('OK');
    expect(await codeOf(dev.api.team.create({ orgId: org.id, name: 'Rogue' }))).toBe('FORBIDDEN');
    expect(await codeOf(dev.api.invite.create({ orgId: org.id, role: 'DEVELOPER' }))).toBe('FORBIDDEN');
    expect(await codeOf(dev.api.audit.list({ orgId: org.id }))).toBe('FORBIDDEN');
    const log = await auditor.api.audit.list({ orgId: org.id });
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['org.create', 'invite.create', 'invite.accept']));
  });

  it('creates teams with unique names and adds and removes members', async () => {
    const owner = await newUser('teams');
    const org = await owner.api.org.create({ name: 'Teams Co' });
    const team = await owner.api.team.create({ orgId: org.id, name: 'Platform' });
    expect(await codeOf(owner.api.team.create({ orgId: org.id, name: 'platform' }))).toBe('CONFLICT');
    expect(await codeOf(owner.api.team.create({ orgId: org.id, name: 'x' }))).toBe('BAD_REQUEST');
    const [self] = await owner.api.member.list({ orgId: org.id });
    await owner.api.team.addMember({ orgId: org.id, teamId: team.id, membershipId: self!.membershipId });
    await owner.api.team.addMember({ orgId: org.id, teamId: team.id, membershipId: self!.membershipId });
    expect((await owner.api.team.list({ orgId: org.id }))[0]?.members).toHaveLength(1);
    expect((await owner.api.member.list({ orgId: org.id }))[0]?.teams).toEqual([{ id: team.id, name: 'Platform' }]);
    await owner.api.team.removeMember({ orgId: org.id, teamId: team.id, membershipId: self!.membershipId });
    expect((await owner.api.team.list({ orgId: org.id }))[0]?.members).toEqual([]);
  });
});

describe('API tokens', () => {
  it('authenticates a token until it is revoked, and never stores it', async () => {
    const owner = await newUser('tokens');
    const org = await owner.api.org.create({ name: 'Tokens Co' });
    const { id, token } = await owner.api.apiToken.create({ orgId: org.id, name: 'laptop', scopes: ['sessions:read', 'sessions:write'] });
    expect(token).toMatch(/^plx_/);
    const who = await authenticateApiToken(fx.db, token);
    expect(who).toMatchObject({
      user: { id: owner.userId },
      org: { id: org.id, slug: org.slug },
      scopes: ['sessions:read', 'sessions:write'],
    });
    const listed = await owner.api.apiToken.list({ orgId: org.id });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed[0]?.lastUsedAt).toBeInstanceOf(Date);
    await owner.api.apiToken.revoke({ orgId: org.id, tokenId: id });
    expect(await authenticateApiToken(fx.db, token)).toBeNull();
    expect(await authenticateApiToken(fx.db, 'plx_made-up')).toBeNull();
  });

  it("stops a member's token when they leave the org, and hides other members' tokens from developers", async () => {
    const owner = await newUser('tok-owner');
    const org = await owner.api.org.create({ name: 'Leavers Co' });
    const dev = await newUser('tok-dev');
    await dev.api.invite.accept({ token: (await owner.api.invite.create({ orgId: org.id, role: 'DEVELOPER' })).token });
    const devToken = await dev.api.apiToken.create({ orgId: org.id, name: 'dev', scopes: ['sessions:read'] });
    await owner.api.apiToken.create({ orgId: org.id, name: 'owner', scopes: ['evidence:read'] });
    expect((await dev.api.apiToken.list({ orgId: org.id })).map((t) => t.name)).toEqual(['dev']);
    expect(
      await codeOf(
        dev.api.apiToken.revoke({
          orgId: org.id,
          tokenId: (await owner.api.apiToken.list({ orgId: org.id })).find((t) => t.name === 'owner')!.id,
        }),
      ),
    ).toBe('NOT_FOUND');
    const devMembership = (await owner.api.member.list({ orgId: org.id })).find((m) => m.userId === dev.userId)!;
    await owner.api.member.remove({ orgId: org.id, membershipId: devMembership.membershipId });
    expect(await authenticateApiToken(fx.db, devToken.token)).toBeNull();
  });
});
