export { commitAgentWork, type AgentAuthor } from './commit-agent-work.ts';
export { runChecks, type ChecksResult } from './run-checks.ts';
