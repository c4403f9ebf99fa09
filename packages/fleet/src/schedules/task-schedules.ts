// Recurring unattended tasks (PRODUCT.md §3, §4 "Schedule"). The row is the product's
// record and what each run reads; the Temporal Schedule is what fires the runs. Every
// change touches both: Temporal inside the row's transaction, so a refusal from
// Temporal leaves no row behind. When the two disagree, nothing is dispatched: a run
// of a paused or deleted row does nothing (see dispatch-scheduled.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Database, isUniqueViolation, type Prisma, type TaskScheduleModel as TaskSchedule, type Tx } from '@parallax/db';
import { can, conflict, invalid, notFound, recordAudit } from '@parallax/tenancy';
import { validateAgentTask } from '../agents/run-agent.ts';
import { ZDispatchInput } from '../sessions/dispatch.ts';
import { ZCron } from './cron.ts';

/** What each run dispatches: a dispatch input, and the developer the sessions run for. */
export const ZTaskTemplate = ZDispatchInput.omit({ batchId: true }).extend({
  developerId: z.string().min(1, { message: 'Choose who the sessions run for' }).max(64),
});
export type TTaskTemplate = z.output<typeof ZTaskTemplate>;

export const ZTaskScheduleInput = ZTaskTemplate.extend({
  name: z.string().trim().min(1, { message: 'Name the schedule' }).max(100, { message: 'At most 100 characters' }),
  cron: ZCron,
});
export type TTaskScheduleInput = z.input<typeof ZTaskScheduleInput>;

/** What Temporal says about a schedule. */
export interface ScheduleRunState {
  paused: boolean;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  timeZone: string;
}

/** Temporal's side of a schedule; implemented by @parallax/temporal's fleet engine. */
export interface ScheduleEngine {
  /** Creates the Temporal Schedule whose runs dispatch the task schedule `taskScheduleId`. */
  createSchedule(args: {
    temporalScheduleId: string;
    orgId: string;
    taskScheduleId: string;
    cron: string;
    timeZone: string;
  }): Promise<void>;
  /** Resolves false when Temporal has no such schedule. */
  pauseSchedule(temporalScheduleId: string, note: string): Promise<boolean>;
  /** Resolves false when Temporal has no such schedule. */
  unpauseSchedule(temporalScheduleId: string, note: string): Promise<boolean>;
  /** Resolves false when Temporal had no such schedule. */
  deleteSchedule(temporalScheduleId: string): Promise<boolean>;
  /** Null when Temporal has no such schedule. */
  describeSchedule(temporalScheduleId: string): Promise<ScheduleRunState | null>;
}

export const temporalScheduleIdOf = (taskScheduleId: string) => `task-schedule-${taskScheduleId}`;

function view(row: TaskSchedule) {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    paused: row.paused,
    taskTemplate: row.taskTemplate as TTaskTemplate,
    createdById: row.createdById,
    createdAt: row.createdAt,
  };
}
export type TaskScheduleView = ReturnType<typeof view>;

/**
 * The org's schedules with what Temporal says of each: the next and last run, or
 * `temporal: 'MISSING'` / `'UNREACHABLE'` when it cannot say (the list still shows).
 */
export async function listTaskSchedules(db: Database, engine: ScheduleEngine, orgId: string) {
  const rows = await db.forOrg(orgId, (tx) => tx.taskSchedule.findMany({ where: { orgId }, orderBy: { name: 'asc' } }));
  return Promise.all(
    rows.map(async (row) => {
      const state = await engine.describeSchedule(row.temporalScheduleId).then(
        (s) => s ?? ('MISSING' as const),
        () => 'UNREACHABLE' as const,
      );
      const known = typeof state === 'object' ? state : null;
      return {
        ...view(row),
        temporal: known ? ('OK' as const) : (state as 'MISSING' | 'UNREACHABLE'),
        timeZone: known?.timeZone ?? null,
        nextRunAt: known && !row.paused ? known.nextRunAt : null,
        lastRunAt: known?.lastRunAt ?? null,
      };
    }),
  );
}

export async function createTaskSchedule(
  db: Database,
  engine: ScheduleEngine,
  input: { orgId: string; actorUserId: string; schedule: TTaskScheduleInput },
) {
  const parsed = ZTaskScheduleInput.safeParse(input.schedule);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => i.message).join(' '));
  const { name, cron, ...template } = parsed.data;
  const { orgId } = input;
  try {
    return await db.forOrg(orgId, async (tx) => {
      await checkTemplate(tx, orgId, template);
      if (await tx.taskSchedule.findFirst({ where: { orgId, name } })) throw conflict(`A schedule named "${name}" already exists.`);
      const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } });
      const id = randomUUID();
      const temporalScheduleId = temporalScheduleIdOf(id);
      const row = await tx.taskSchedule.create({
        data: {
          id,
          orgId,
          name,
          cron,
          taskTemplate: template as Prisma.InputJsonValue,
          temporalScheduleId,
          createdById: input.actorUserId,
        },
      });
      await recordAudit(tx, {
        orgId,
        actorUserId: input.actorUserId,
        action: 'task_schedule.create',
        targetType: 'TaskSchedule',
        targetId: id,
        data: { name, cron, timeZone: org.timeZone },
      });
      // Last: when Temporal refuses, the transaction rolls back and no row is left.
      await engine.createSchedule({ temporalScheduleId, orgId, taskScheduleId: id, cron, timeZone: org.timeZone });
      return view(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A schedule named "${name}" already exists.`);
    throw error;
  }
}

interface ScheduleRef {
  orgId: string;
  actorUserId: string;
  scheduleId: string;
}

/** Stops the runs. Idempotent: Temporal is asked again even when the row says paused. */
export async function pauseTaskSchedule(db: Database, engine: ScheduleEngine, ref: ScheduleRef) {
  return db.forOrg(ref.orgId, async (tx) => {
    const row = await findSchedule(tx, ref);
    // Gone from Temporal: nothing runs anyway, and the row records the pause.
    await engine.pauseSchedule(row.temporalScheduleId, `Paused in Parallax by user ${ref.actorUserId}`);
    if (row.paused) return view(row);
    return view(await setPaused(tx, ref, true));
  });
}

/** Runs again from the next matching time; a schedule gone from Temporal is made anew. */
export async function resumeTaskSchedule(db: Database, engine: ScheduleEngine, ref: ScheduleRef) {
  return db.forOrg(ref.orgId, async (tx) => {
    const row = await findSchedule(tx, ref);
    const found = await engine.unpauseSchedule(row.temporalScheduleId, `Resumed in Parallax by user ${ref.actorUserId}`);
    if (!found) {
      const org = await tx.organization.findUniqueOrThrow({ where: { id: ref.orgId }, select: { timeZone: true } });
      await engine.createSchedule({
        temporalScheduleId: row.temporalScheduleId,
        orgId: ref.orgId,
        taskScheduleId: row.id,
        cron: row.cron,
        timeZone: org.timeZone,
      });
    }
    if (!row.paused) return view(row);
    return view(await setPaused(tx, ref, false));
  });
}

/** Removes the Temporal Schedule, then the row. Sessions it dispatched stay. */
export async function deleteTaskSchedule(db: Database, engine: ScheduleEngine, ref: ScheduleRef) {
  return db.forOrg(ref.orgId, async (tx) => {
    const row = await findSchedule(tx, ref);
    await engine.deleteSchedule(row.temporalScheduleId);
    await tx.taskSchedule.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      orgId: ref.orgId,
      actorUserId: ref.actorUserId,
      action: 'task_schedule.delete',
      targetType: 'TaskSchedule',
      targetId: row.id,
      data: { name: row.name },
    });
    return { deleted: true as const };
  });
}

async function findSchedule(tx: Tx, ref: ScheduleRef) {
  const row = await tx.taskSchedule.findFirst({ where: { id: ref.scheduleId, orgId: ref.orgId } });
  if (!row) throw notFound('Schedule');
  return row;
}

async function setPaused(tx: Tx, ref: ScheduleRef, paused: boolean) {
  const row = await tx.taskSchedule.update({ where: { id: ref.scheduleId }, data: { paused } });
  await recordAudit(tx, {
    orgId: ref.orgId,
    actorUserId: ref.actorUserId,
    action: paused ? 'task_schedule.pause' : 'task_schedule.resume',
    targetType: 'TaskSchedule',
    targetId: row.id,
    data: { name: row.name },
  });
  return row;
}

/** The same checks a dispatch makes, made once up front so a broken schedule is refused, not discovered at 3 a.m. */
async function checkTemplate(tx: Tx, orgId: string, template: TTaskTemplate) {
  if (!(await tx.repository.findFirst({ where: { id: template.repositoryId, orgId } }))) throw notFound('Repository');
  const profile = template.agentProfileId
    ? await tx.agentProfile.findFirst({ where: { id: template.agentProfileId, orgId } })
    : await tx.agentProfile.findFirst({ where: { orgId } });
  if (!profile) throw template.agentProfileId ? notFound('Agent profile') : invalid('This organization has no agent profile yet.');
  validateAgentTask({
    adapter: profile.adapter,
    config: profile.config,
    commandTemplate: profile.commandTemplate,
    prompt: template.prompt,
  });
  const developer = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId: template.developerId } } });
  if (!developer) throw notFound('Developer');
  if (!can(developer.role, 'sessions:dispatch')) {
    throw invalid(`Sessions cannot run for a member with the ${developer.role.toLowerCase()} role; choose a developer.`);
  }
}
