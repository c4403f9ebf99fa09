// The demo org a history lives in, with its people and configuration, written as the admin
// connection (RLS bypassed, as the rows' COPY needs anyway). An org that is not marked demo is
// never written into; a demo org is rewritten only when asked (--replace).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AGENT_PROFILES, type DeveloperPlan, developerName, repositoryNames, teamNames } from './people.ts';
import type { OrgRefs } from './rows.ts';
import type { TaskType } from './sessions.ts';

/** Why nothing was written: the CLI prints it and exits 2. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

export const DEMO_EMAIL_DOMAIN = 'demo.parallax.invalid';
export const SLA_MINUTES: Record<TaskType, number> = { STANDARD: 30, COMPLEX: 120, INVESTIGATION: 30 };

/** Every generated id of an org starts with this (users included, so --replace finds them). */
export const idPrefixOf = (orgId: string) => `d${orgId.replace(/-/g, '').slice(0, 12)}`;

export interface ExistingOrg {
  id: string;
  demo: boolean;
  /** Set when a generation finished: an org without it was interrupted. */
  complete: boolean;
}

export async function findOrg(client: pg.Client, slug: string): Promise<ExistingOrg | null> {
  const { rows } = await client.query<{ id: string; demo: boolean; provisionedAt: Date | null }>(
    'SELECT id, demo, "provisionedAt" FROM "Organization" WHERE slug = $1',
    [slug],
  );
  const row = rows[0];
  return row ? { id: row.id, demo: row.demo, complete: row.provisionedAt !== null } : null;
}

/**
 * Deletes a demo org, its history and its generated users; refuses an org that is not demo.
 * As a superuser, with foreign-key triggers off (session_replication_role = replica) and every
 * table with an orgId emptied of the org's rows: AgentSession.taskId and Invocation.taskId have
 * no index, so checked deletes of Task scan them once per deleted row (minutes for 20k tasks).
 */
export async function deleteDemoOrg(client: pg.Client, org: ExistingOrg, superuser: boolean): Promise<void> {
  if (!org.demo) throw new RefusedError('refusing to delete an organization that is not demo data');
  await client.query('BEGIN');
  try {
    if (superuser) {
      await client.query('SET LOCAL session_replication_role = replica');
      const { rows } = await client.query<{ table: string }>(
        `SELECT table_name AS table FROM information_schema.columns
          WHERE table_schema = current_schema() AND column_name = 'orgId' AND table_name <> 'Organization'`,
      );
      for (const { table } of rows) await client.query(`DELETE FROM "${table.replace(/"/g, '""')}" WHERE "orgId" = $1`, [org.id]);
    } else {
      // Children first: Task and AgentSession restrict deleting the repositories they point at.
      for (const table of ['SessionEvent', 'Intervention', 'SessionLogChunk', 'PullRequest', 'AgentSession', 'Invocation', 'Task'])
        await client.query(`DELETE FROM "${table}" WHERE "orgId" = $1`, [org.id]);
    }
    await client.query('DELETE FROM "Organization" WHERE id = $1 AND demo', [org.id]);
    await client.query(`DELETE FROM "User" WHERE id LIKE $1 AND email LIKE $2`, [`${idPrefixOf(org.id)}u%`, `%@${DEMO_EMAIL_DOMAIN}`]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

export interface CreatedOrg extends Omit<OrgRefs, 'endsAt'> {
  slug: string;
  teams: string[];
}

interface CreateInput {
  slug: string;
  name: string;
  timeZone: string;
  developers: readonly DeveloperPlan[];
  ownerUserId: string | null;
  /** SLA policies take effect here: before the first invocation. */
  policiesFrom: Date;
  options: Record<string, unknown>;
}

const insertMany = async (client: pg.Client, table: string, columns: string[], rows: unknown[][]) => {
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const values = batch.map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`, batch.flat());
  }
};

export async function createDemoOrg(client: pg.Client, input: CreateInput): Promise<CreatedOrg> {
  const orgId = randomUUID();
  const prefix = idPrefixOf(orgId);
  const teams = teamNames(input.developers.length);
  const repositories = repositoryNames(input.developers.length);
  const userIds = input.developers.map((d) => `${prefix}u${d.index.toString(36)}`);
  const now = new Date();
  const slaPolicyIds = { STANDARD: `${prefix}sS`, COMPLEX: `${prefix}sC`, INVESTIGATION: `${prefix}sI` };
  const agentProfileIds = AGENT_PROFILES.map((_, k) => `${prefix}a${k}`);
  const repositoryIds = repositories.map((_, k) => `${prefix}r${k.toString(36)}`);
  await client.query('BEGIN');
  try {
    await client.query('INSERT INTO "Organization" (id, slug, name, "timeZone", demo) VALUES ($1, $2, $3, $4, true)', [
      orgId,
      input.slug,
      input.name,
      input.timeZone,
    ]);
    await insertMany(
      client,
      'User',
      ['id', 'email', 'name', 'passwordHash', 'updatedAt'],
      // No password hash: a generated person cannot sign in (and .invalid never receives mail).
      input.developers.map((d, i) => {
        const local = `${d.firstName}.${d.lastName}.${d.index}.${input.slug}`.toLowerCase();
        return [userIds[i], `${local}@${DEMO_EMAIL_DOMAIN}`, developerName(d), null, now];
      }),
    );
    const members = input.developers.map((d, i) => [`${prefix}m${d.index.toString(36)}`, orgId, userIds[i], d.role]);
    if (input.ownerUserId) members.push([`${prefix}mowner`, orgId, input.ownerUserId, 'OWNER']);
    await insertMany(client, 'Membership', ['id', 'orgId', 'userId', 'role'], members);
    const teamIds = teams.map((_, k) => `${prefix}T${k.toString(36)}`);
    await insertMany(
      client,
      'Team',
      ['id', 'orgId', 'name', 'slug'],
      teams.map((name, k) => [teamIds[k], orgId, name, name.toLowerCase().replace(/[^a-z0-9]+/g, '-')]),
    );
    await insertMany(
      client,
      'TeamMember',
      ['id', 'orgId', 'teamId', 'membershipId'],
      input.developers.map((d) => [`${prefix}tm${d.index.toString(36)}`, orgId, teamIds[d.team], `${prefix}m${d.index.toString(36)}`]),
    );
    await insertMany(
      client,
      'Repository',
      ['id', 'orgId', 'name', 'forge', 'defaultBranch', 'testCommand'],
      repositories.map((name, k) => [repositoryIds[k], orgId, name, 'LOCAL', 'main', 'npm test']),
    );
    await insertMany(
      client,
      'AgentProfile',
      ['id', 'orgId', 'name', 'adapter', 'config'],
      AGENT_PROFILES.map((p, k) => [
        agentProfileIds[k],
        orgId,
        p.name,
        p.adapter,
        JSON.stringify({ description: 'Generated demo profile' }),
      ]),
    );
    await insertMany(
      client,
      'SlaPolicy',
      ['id', 'orgId', 'taskType', 'minutes', 'effectiveFrom'],
      (Object.keys(SLA_MINUTES) as TaskType[]).map((t) => [slaPolicyIds[t], orgId, t, SLA_MINUTES[t], input.policiesFrom]),
    );
    // Paused rows with no Temporal schedule behind them: the history shows their runs, and
    // nothing real is ever dispatched into a demo org.
    await insertMany(
      client,
      'TaskSchedule',
      ['id', 'orgId', 'name', 'cron', 'taskTemplate', 'paused', 'temporalScheduleId', 'createdById'],
      teams.map((team, k) => {
        const owner = input.developers.find((d) => d.team === k) as DeveloperPlan;
        const template = {
          developerId: userIds[owner.index],
          repositoryId: repositoryIds[k % repositoryIds.length],
          title: `Nightly dependency updates (${team})`,
          prompt: 'Update dependencies and open a PR when the tests pass.',
          taskType: 'STANDARD',
        };
        return [
          `${prefix}h${k.toString(36)}`,
          orgId,
          `Nightly dependency updates (${team})`,
          '0 2 * * 1-5',
          JSON.stringify(template),
          true,
          `demo-${orgId}-${k}`,
          userIds[owner.index],
        ];
      }),
    );
    await client.query(
      'INSERT INTO "AuditLog" (id, "orgId", "actorUserId", action, "targetType", "targetId", data) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [`${prefix}log0`, orgId, input.ownerUserId, 'demo.generate', 'Organization', orgId, JSON.stringify(input.options)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return {
    orgId,
    idPrefix: prefix,
    slug: input.slug,
    teams,
    userIds,
    repositoryIds,
    repositoryNames: repositories,
    agentProfileIds,
    slaPolicyIds,
  };
}

export async function markComplete(client: pg.Client, orgId: string): Promise<void> {
  await client.query('UPDATE "Organization" SET "provisionedAt" = now() WHERE id = $1', [orgId]);
}
