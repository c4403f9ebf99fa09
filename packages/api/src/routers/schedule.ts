import { z } from 'zod';
import {
  createTaskSchedule,
  deleteTaskSchedule,
  listTaskSchedules,
  pauseTaskSchedule,
  resumeTaskSchedule,
  ZTaskScheduleInput,
} from '@parallax/fleet';
import { createTRPCRouter, orgProcedure, orgProcedureWith, ZOrgScoped } from '../trpc.ts';

const ZScheduleRef = ZOrgScoped.extend({ scheduleId: z.string().min(1).max(64) });

/** Recurring unattended tasks: every member sees them; owners and admins keep them. */
export const scheduleRouter = createTRPCRouter({
  list: orgProcedure.input(ZOrgScoped).query(({ ctx }) => listTaskSchedules(ctx.db, ctx.fleet, ctx.membership.orgId)),
  create: orgProcedureWith('fleet:configure')
    .input(ZOrgScoped.extend(ZTaskScheduleInput.shape))
    .mutation(({ ctx, input: { orgId, ...schedule } }) =>
      createTaskSchedule(ctx.db, ctx.fleet, { orgId, actorUserId: ctx.auth.userId, schedule }),
    ),
  pause: orgProcedureWith('fleet:configure')
    .input(ZScheduleRef)
    .mutation(({ ctx, input }) => pauseTaskSchedule(ctx.db, ctx.fleet, { ...input, actorUserId: ctx.auth.userId })),
  resume: orgProcedureWith('fleet:configure')
    .input(ZScheduleRef)
    .mutation(({ ctx, input }) => resumeTaskSchedule(ctx.db, ctx.fleet, { ...input, actorUserId: ctx.auth.userId })),
  delete: orgProcedureWith('fleet:configure')
    .input(ZScheduleRef)
    .mutation(({ ctx, input }) => deleteTaskSchedule(ctx.db, ctx.fleet, { ...input, actorUserId: ctx.auth.userId })),
});
