// Factories for API tests: they build real data through the real domain code.
import type { Database } from '@parallax/db';
import { createApiToken, signUp, startBrowserSession } from '@parallax/auth';
import { dispatchTask, type StartSessionWorkflow } from '@parallax/fleet';
import { createInvite, createOrganization, createTeam, provisionOrgDefaults } from '@parallax/tenancy';
import { createCaller } from '../root.ts';
import { createContext, type FleetEngine, type Provisioner } from '../trpc.ts';

/** Temporal is not reachable: org.create then provisions inline (the production fallback). */
export const unreachableProvisioner: Provisioner = {
  provisionOrg: () => Promise.reject(new Error('Temporal is not configured in this test')),
};

/** For tests that never reach the fleet: any attempt to start or steer a session fails loudly. */
export const unreachableFleet: FleetEngine = {
  startSession: () => Promise.reject(new Error('Temporal is not configured in this test')),
  intervene: () => Promise.reject(new Error('Temporal is not configured in this test')),
  cancel: () => Promise.reject(new Error('Temporal is not configured in this test')),
  pullRequestChanged: () => Promise.reject(new Error('Temporal is not configured in this test')),
  createSchedule: () => Promise.reject(new Error('Temporal is not configured in this test')),
  pauseSchedule: () => Promise.reject(new Error('Temporal is not configured in this test')),
  unpauseSchedule: () => Promise.reject(new Error('Temporal is not configured in this test')),
  deleteSchedule: () => Promise.reject(new Error('Temporal is not configured in this test')),
  describeSchedule: () => Promise.reject(new Error('Temporal is not configured in this test')),
};

export function callerFor(
  db: Database,
  userId: string | null,
  options: { provisioner?: Provisioner; fleet?: FleetEngine; ip?: string } = {},
) {
  return createCaller(
    createContext({
      auth: userId ? { userId } : null,
      db,
      provisioner: options.provisioner ?? unreachableProvisioner,
      fleet: options.fleet ?? unreachableFleet,
      ip: options.ip ?? randomIp(),
    }),
  );
}

/** Each caller its own address, so per-address rate limits only bite where a test means them to. */
function randomIp() {
  return `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;
}

let counter = 0;
export function uniqueEmail(label: string) {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 6)}@example.test`;
}

export interface OrgFixture {
  userId: string;
  email: string;
  orgId: string;
  slug: string;
  membershipId: string;
  teamId: string;
  inviteId: string;
  inviteToken: string;
  tokenId: string;
  /** The API token's secret (plx_…), for route handlers that take a bearer token. */
  apiToken: string;
  repositoryId: string;
  agentProfileId: string;
  sessionId: string;
  /** A task schedule row (no Temporal Schedule behind it). */
  scheduleId: string;
  /** The owner's signed-in browser session (Settings → Security lists it). */
  browserSessionId: string;
  /** Every identifier that must never appear in another org's responses. */
  secrets: string[];
}

/** A user who owns an org with a team, a pending invite and an API token. */
export async function createOrgFixture(
  db: Database,
  label: string,
  startSession: StartSessionWorkflow = async () => {},
): Promise<OrgFixture> {
  const email = uniqueEmail(label);
  const { userId } = await signUp(db, { email, password: 'correct horse battery staple', name: `${label} owner` });
  const org = await createOrganization(db, { userId, name: `${label} Org ${Math.random().toString(36).slice(2, 6)}` });
  const actor = { userId, role: 'OWNER' as const };
  const rest = await db.scoped({ orgId: org.id, userId }, async (tx) => {
    const membership = await tx.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: org.id, userId } } });
    const team = await createTeam(tx, { orgId: org.id, actorUserId: userId, name: `${label} Team` });
    const invite = await createInvite(tx, { orgId: org.id, actor, role: 'DEVELOPER' });
    const token = await createApiToken(tx, { orgId: org.id, userId, name: `${label} token`, scopes: ['sessions:read'] });
    return {
      membershipId: membership.id,
      teamId: team.id,
      inviteId: invite.inviteId,
      inviteToken: invite.token,
      tokenId: token.id,
      apiToken: token.token,
      repositoryId: (await tx.repository.create({ data: { orgId: org.id, name: `${label}-repo`, localPath: `/srv/${label}.git` } })).id,
    };
  });
  await provisionOrgDefaults(db, org.id);
  const agentProfileId = (await db.forOrg(org.id, (tx) => tx.agentProfile.findFirstOrThrow())).id;
  const { sessionId } = await dispatchTask(
    db,
    { orgId: org.id, developerId: userId, actorUserId: userId, channel: 'WEB', rawPayload: {} },
    {
      repositoryId: rest.repositoryId,
      title: `${label} task`,
      prompt: JSON.stringify({ steps: [{ write: { path: 'change.txt', content: 'x\n' } }] }),
    },
    startSession,
  );
  const scheduleId = `${label}-schedule-${Math.random().toString(36).slice(2, 8)}`;
  await db.forOrg(org.id, (tx) =>
    tx.taskSchedule.create({
      data: {
        id: scheduleId,
        orgId: org.id,
        name: `${label} nightly`,
        cron: '0 3 * * *',
        taskTemplate: {
          repositoryId: rest.repositoryId,
          developerId: userId,
          title: `${label} nightly`,
          prompt: 'tidy up',
          taskType: 'STANDARD',
        },
        temporalScheduleId: `task-schedule-${scheduleId}`,
        createdById: userId,
      },
    }),
  );
  const { sessionId: browserSessionId } = await startBrowserSession(db, {
    userId,
    client: { userAgent: `${label} browser`, ipAddress: '203.0.113.7' },
  });
  return {
    userId,
    email,
    orgId: org.id,
    slug: org.slug,
    ...rest,
    agentProfileId,
    sessionId,
    scheduleId,
    browserSessionId,
    secrets: [
      browserSessionId,
      rest.repositoryId,
      scheduleId,
      agentProfileId,
      sessionId,
      userId,
      email,
      org.id,
      org.slug,
      rest.membershipId,
      rest.teamId,
      rest.inviteId,
      rest.tokenId,
      rest.inviteToken,
      rest.apiToken,
    ],
  };
}

/** A sample of every kind of object the fixture creates, by the field names procedures use for them. */
export function idsOf(o: OrgFixture): Record<string, string> {
  return {
    membershipId: o.membershipId,
    teamId: o.teamId,
    inviteId: o.inviteId,
    tokenId: o.tokenId,
    userId: o.userId,
    developerId: o.userId,
    scheduleId: o.scheduleId,
    repositoryId: o.repositoryId,
    agentProfileId: o.agentProfileId,
    sessionId: o.sessionId,
    retryOfSessionId: o.sessionId,
    browserSessionId: o.browserSessionId,
  };
}
