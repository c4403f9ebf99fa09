// A small history for the parallel queries' tests, written straight into PostgreSQL with an
// owner client (the fixture, not the product), and its ConcurrencyDay rows computed from the
// raw sessions by the rollup's own statement.
import type { Role } from '@parallax/db';
import { insertConcurrencyDays } from '@parallax/metrics';
import type pg from 'pg';

export interface HistorySession {
  id: string;
  developerId: string;
  repository: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface History {
  orgId: string;
  timeZone: string;
  minGroupSize: number;
  members: { id: string; name: string; role: Role }[];
  teams: { id: string; members: string[] }[];
  repositories: string[];
  sessions: HistorySession[];
  /** The rollup is computed up to here (running sessions count up to it). */
  now: Date;
  from: string;
  to: string;
}

export const repoId = (orgId: string, name: string) => `${orgId}-${name}`;

export async function insertHistory(owner: pg.Client, h: History): Promise<void> {
  await owner.query(`INSERT INTO "Organization" (id, slug, name, "timeZone", "minGroupSize") VALUES ($1, $1, $1, $2, $3)`, [
    h.orgId,
    h.timeZone,
    h.minGroupSize,
  ]);
  for (const m of h.members) {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
      m.id,
      `${m.id}@example.test`,
      m.name,
    ]);
    await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, $4)`, [
      `m-${m.id}`,
      h.orgId,
      m.id,
      m.role,
    ]);
  }
  for (const t of h.teams) {
    await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ($1, $2, $1, $1)`, [t.id, h.orgId]);
    for (const userId of t.members) {
      await owner.query(`INSERT INTO "TeamMember" (id, "orgId", "teamId", "membershipId") VALUES ($1, $2, $3, $4)`, [
        `${t.id}-${userId}`,
        h.orgId,
        t.id,
        `m-${userId}`,
      ]);
    }
  }
  for (const r of h.repositories) {
    await owner.query(`INSERT INTO "Repository" (id, "orgId", name) VALUES ($1, $2, $3)`, [repoId(h.orgId, r), h.orgId, r]);
  }
  for (const s of h.sessions) {
    const repositoryId = repoId(h.orgId, s.repository);
    await owner.query(`INSERT INTO "Task" (id, "orgId", "repositoryId", title, prompt) VALUES ($1, $2, $3, $4, 'p')`, [
      `t-${s.id}`,
      h.orgId,
      repositoryId,
      `Task ${s.id}`,
    ]);
    await owner.query(
      `INSERT INTO "Invocation" (id, "orgId", channel, "actorUserId", "payloadDigest", "taskId") VALUES ($1, $2, 'WEB', $3, 'd', $4)`,
      [`i-${s.id}`, h.orgId, s.developerId, `t-${s.id}`],
    );
    await owner.query(
      `INSERT INTO "AgentSession" (id, "orgId", "taskId", "invocationId", "developerId", "repositoryId", "workflowId", status, "startedAt", "endedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8, $9)`,
      [s.id, h.orgId, `t-${s.id}`, `i-${s.id}`, s.developerId, repositoryId, s.status, utc(s.startedAt), utc(s.endedAt)],
    );
  }
  const rollup = insertConcurrencyDays({ orgId: h.orgId, timeZone: h.timeZone, now: h.now, developerId: null, days: null }, h.from, h.to);
  await owner.query(rollup.text, rollup.values);
}

/** timestamp(3) columns hold UTC without a zone: written as UTC text, never through the client's zone. */
const utc = (iso: string | null) => (iso ? iso.replace('T', ' ').replace('Z', '') : null);
