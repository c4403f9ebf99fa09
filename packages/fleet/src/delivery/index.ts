export { commitAgentWork, type AgentAuthor } from './commit-agent-work.ts';
export { runChecks, type ChecksResult } from './run-checks.ts';
export { runSandboxedCommand, type SandboxedCommandResult } from './run-sandboxed-command.ts';
