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
export { slaPolicyInForce, slaDeadline } from './sla.ts';
export { listSessions, getSession, readSessionLog, getSessionRef, type Viewer as SessionViewer } from './queries.ts';
