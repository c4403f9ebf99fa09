export {
  dispatchTask,
  sessionWorkflowId,
  ZDispatchInput,
  type TDispatchInput,
  type DispatchContext,
  type StartSessionWorkflow,
} from './dispatch.ts';
export { recordSessionEvent, type SessionEventType, type SessionEventInput } from './events.ts';
export {
  TERMINAL,
  markStarted,
  markPhase,
  recordAgentExit,
  recordSandboxMode,
  recordChecks,
  endSession,
  recordIntervention,
  interventionsSince,
  recordSlaBreachIfNoPr,
  appendSessionLog,
  nextLogSeq,
  recordWorkspaceReady,
  recordCleanedUp,
} from './lifecycle.ts';
export { slaPolicyInForce } from './sla.ts';
export { retryIntervention, type RetryRequest } from './retry.ts';
export { listSessions, getSession, getSessionRef, type Viewer as SessionViewer } from './queries.ts';
export { readSessionLog, LOG_PAGE_BYTES, type SessionLogPage } from './read-session-log.ts';
