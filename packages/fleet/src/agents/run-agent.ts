// The one entry point: validate the profile's config for its adapter, make sure the CLI
// is installed, run the agent in the worktree with heartbeats, flush its log. A cancel
// ends in the AbortSignal's reason being thrown, after the process tree is gone.
import type { AgentAdapter } from '@parallax/db';
import { aiderAdapter } from './adapters/aider.ts';
import { claudeCodeAdapter } from './adapters/claude-code.ts';
import { codexAdapter } from './adapters/codex.ts';
import { commandAdapter } from './adapters/command.ts';
import { openCodeAdapter } from './adapters/opencode.ts';
import { scriptAdapter } from './adapters/script.ts';
import { buildAgentEnv } from './agent-env.ts';
import { createInterventionInbox } from './intervention-inbox.ts';
import { inSandbox, resolveExecutable } from './process-runner.ts';
import type { Adapter, AgentHeartbeat, AgentResult, RunAgentOptions } from './types.ts';

const ADAPTERS: Record<AgentAdapter, Adapter<unknown>> = {
  SCRIPT: scriptAdapter as Adapter<unknown>,
  CLAUDE_CODE: claudeCodeAdapter as Adapter<unknown>,
  CODEX: codexAdapter as Adapter<unknown>,
  AIDER: aiderAdapter as Adapter<unknown>,
  OPENCODE: openCodeAdapter as Adapter<unknown>,
  COMMAND: commandAdapter as Adapter<unknown>,
};

/** Where an adapter hands a human's message over (for the log line about what was not delivered). */
const HANDS_OVER: Record<AgentAdapter, string | null> = {
  SCRIPT: 'at its waitForIntervention steps',
  CLAUDE_CODE: 'while it runs',
  CODEX: 'by resuming after its run',
  AIDER: null,
  OPENCODE: 'by resuming after its run',
  COMMAND: null,
};

/**
 * Checks an agent profile without running it: the config (and command template) its
 * adapter accepts. Throws AgentConfigInvalidError; the settings page calls it on save.
 */
export function validateAgentProfile(profile: { adapter: AgentAdapter; config: unknown; commandTemplate?: string | null }): void {
  ADAPTERS[profile.adapter].parseConfig({ config: profile.config, commandTemplate: profile.commandTemplate ?? undefined });
}

/**
 * Checks a task before it is dispatched: the profile's config and whether its adapter
 * can run this prompt at all (the script agent needs a recipe). Throws AgentConfigInvalidError.
 */
export function validateAgentTask(task: { adapter: AgentAdapter; config: unknown; commandTemplate?: string | null; prompt: string }): void {
  const adapter = ADAPTERS[task.adapter];
  const config = adapter.parseConfig({ config: task.config, commandTemplate: task.commandTemplate ?? undefined });
  adapter.checkPrompt?.(config, task.prompt);
}

export async function runAgent(options: RunAgentOptions): Promise<AgentResult> {
  const adapter = ADAPTERS[options.adapter];
  const config = adapter.parseConfig({ config: options.config, commandTemplate: options.commandTemplate });
  const env = buildAgentEnv(process.env, options.env);
  if (adapter.executable) resolveExecutable(adapter.executable, env);
  if (options.signal.aborted) throw options.signal.reason;

  const interventions = options.interventions ?? createInterventionInbox();
  const progress: AgentHeartbeat = options.resumeRef ? { agentSessionRef: options.resumeRef } : {};
  const beat = () => options.heartbeat?.({ ...progress });
  const ticker = setInterval(beat, options.heartbeatEveryMs ?? 5_000);
  ticker.unref();
  beat();
  try {
    const result = await inSandbox(options.sandbox, () =>
      adapter.run({
        config,
        prompt: options.prompt,
        worktree: options.worktree,
        branch: options.branch,
        env,
        resumeRef: options.resumeRef,
        log: options.log,
        signal: options.signal,
        interventions,
        killGraceMs: options.killGraceMs ?? 5_000,
        reportSessionRef: (ref) => {
          if (progress.agentSessionRef === ref) return;
          progress.agentSessionRef = ref;
          beat(); // at once: a worker that dies now must still know what to resume
        },
      }),
    );
    if (options.signal.aborted) {
      options.log.write(`[parallax] the agent was cancelled; its process tree is stopped\n`);
      throw options.signal.reason;
    }
    const undelivered = interventions.size;
    if (undelivered > 0) {
      const where = HANDS_OVER[options.adapter];
      const why = where ? `the agent finished before they could be handed over (${where})` : `${options.adapter} cannot take a message`;
      options.log.write(`[parallax] ${undelivered} intervention(s) not delivered: ${why}\n`);
    }
    options.log.write(`[parallax] agent ${result.ok ? 'succeeded' : 'failed'} (exit ${result.exitCode})\n`);
    return result;
  } finally {
    clearInterval(ticker);
    await options.log.flush().catch(() => {}); // a log that cannot be written must not hide the agent's result
  }
}
