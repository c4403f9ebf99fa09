import type { AgentAdapter } from '@parallax/db';
import type { Sandbox } from '@parallax/sandbox';
import type { InterventionInbox } from './intervention-inbox.ts';
import type { LogSink } from './log-sink.ts';

export interface RunAgentOptions {
  adapter: AgentAdapter;
  /** The agent profile's JSON config, validated by the adapter. */
  config: unknown;
  /** COMMAND only: the profile's template with {prompt}, {worktree}, {branch}. */
  commandTemplate?: string;
  prompt: string;
  worktree: string;
  branch: string;
  /** The agent's variables besides PATH and the locale (the session's ports, DATABASE_URL, its profile's secrets). */
  env?: Record<string, string>;
  /** Every process of the agent starts in it: the session's sandbox, or the operator's explicit unsandboxed mode. */
  sandbox: Sandbox;
  /** The agent CLI's own session id, when resuming after a worker crash. */
  resumeRef?: string;
  log: LogSink;
  signal: AbortSignal;
  /** Called every few seconds while the agent runs, and as soon as its session id is known. */
  heartbeat?: (details: AgentHeartbeat) => void;
  interventions?: InterventionInbox;
  heartbeatEveryMs?: number;
  /** Between SIGTERM and SIGKILL to the agent's process group on cancel. */
  killGraceMs?: number;
}

/** What a retried activity needs from the last attempt (Temporal heartbeat details). */
export interface AgentHeartbeat {
  agentSessionRef?: string;
}

export interface AgentResult {
  exitCode: number;
  ok: boolean;
  /** Set when the agent was ended by a signal it did not expect (OOM killer, a human). */
  signal?: NodeJS.Signals;
  agentSessionRef?: string;
  summary?: string;
  failure?: string;
  /** The cost the agent reported, in USD; absent when it reports none. */
  costUsd?: number;
  interventionsDelivered: number;
}

/** What runAgent hands an adapter once the config is validated and the environment merged. */
export interface AgentRun<TConfig> {
  config: TConfig;
  prompt: string;
  worktree: string;
  branch: string;
  /** The complete environment of the child: an allowlist (PATH, locale) plus the session's. */
  env: Record<string, string>;
  resumeRef?: string;
  log: LogSink;
  signal: AbortSignal;
  interventions: InterventionInbox;
  killGraceMs: number;
  /** Report the CLI's session id as soon as it is seen, so a crash can resume it. */
  reportSessionRef: (ref: string) => void;
}

export interface Adapter<TConfig> {
  /** The CLI looked up on PATH before anything is spawned; none for in-process adapters. */
  executable?: string;
  parseConfig(input: { config: unknown; commandTemplate?: string }): TConfig;
  /** Refuses, before anything is dispatched, a prompt this adapter could never run. */
  checkPrompt?(config: TConfig, prompt: string): void;
  run(run: AgentRun<TConfig>): Promise<AgentResult>;
}
