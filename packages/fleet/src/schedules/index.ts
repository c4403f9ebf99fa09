export { checkCron, type CronCheck, ZCron } from './cron.ts';
export {
  createTaskSchedule,
  deleteTaskSchedule,
  listTaskSchedules,
  pauseTaskSchedule,
  resumeTaskSchedule,
  type ScheduleEngine,
  type ScheduleRunState,
  type TaskScheduleView,
  temporalScheduleIdOf,
  type TTaskScheduleInput,
  type TTaskTemplate,
  ZTaskScheduleInput,
  ZTaskTemplate,
} from './task-schedules.ts';
export { dispatchScheduledRun, RunInProgress, type ScheduledRunOutcome } from './dispatch-scheduled.ts';
