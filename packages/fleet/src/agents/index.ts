// @parallax/fleet/agents: runs one agent session's agent in its worktree, through the
// adapter its profile names. Pure process work; the activity supplies the log's storage
// and the intervention feed.
export { runAgent, validateAgentProfile, validateAgentTask } from './run-agent.ts';
export { createLogSink, LogWriteError, type LogBatch, type LogSink, type LogSinkOptions } from './log-sink.ts';
export { createInterventionInbox, type InterventionInbox } from './intervention-inbox.ts';
export { AgentConfigInvalidError, AgentNotInstalledError } from './errors.ts';
export type { AgentHeartbeat, AgentResult, RunAgentOptions } from './types.ts';
export { stopSessionLeftovers } from './leftovers.ts';
