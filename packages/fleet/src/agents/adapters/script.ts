// The built-in agent that needs no model: a deterministic recipe of file edits and
// commands, from the profile's config or from a prompt that is a JSON recipe. It lets
// the whole pipeline (and its tests) run end to end, interventions included.
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { AgentConfigInvalidError, parseAgentConfig } from '../errors.ts';
import { startAgentProcess } from '../process-runner.ts';
import type { Adapter, AgentResult, AgentRun } from '../types.ts';

const ZWorktreePath = z
  .string()
  .min(1)
  .refine(
    (path) => !isAbsolute(path) && !path.split(/[\\/]/).includes('..'),
    'path must stay inside the worktree (no absolute path, no ..)',
  )
  .refine((path) => {
    const first = path.split(/[\\/]/).find((segment) => segment !== '' && segment !== '.');
    return first !== undefined && first !== '.git';
  }, 'path must name a file of the worktree, not the worktree itself or .git');

const STEP_KINDS = ['write', 'append', 'delete', 'run', 'sleep', 'fail', 'waitForIntervention'] as const;

const ZStep = z
  .strictObject({
    write: z.strictObject({ path: ZWorktreePath, content: z.string() }).optional(),
    append: z.strictObject({ path: ZWorktreePath, content: z.string() }).optional(),
    delete: z.strictObject({ path: ZWorktreePath }).optional(),
    run: z
      .union([z.string().min(1), z.strictObject({ command: z.string().min(1), allowFailure: z.boolean().default(false) })])
      .transform((run) => (typeof run === 'string' ? { command: run, allowFailure: false } : run))
      .optional(),
    sleep: z.strictObject({ ms: z.number().int().min(0).max(3_600_000) }).optional(),
    fail: z.strictObject({ code: z.number().int().min(1).max(255).default(1), message: z.string().min(1) }).optional(),
    /** Blocks until an intervention arrives and appends it to a file: proof of hand-over. */
    waitForIntervention: z
      .union([z.literal(true), z.strictObject({ appendTo: ZWorktreePath.optional(), timeoutMs: z.number().int().positive().optional() })])
      .optional(),
  })
  .superRefine((step, ctx) => {
    const kinds = Object.keys(step);
    if (kinds.length !== 1)
      ctx.addIssue({ code: 'custom', message: `a step is exactly one of ${STEP_KINDS.join(', ')}; got ${kinds.join(', ') || 'none'}` });
  });
type TStep = z.output<typeof ZStep>;

export const ZScriptRecipe = z.object({ steps: z.array(ZStep).min(1), summary: z.string().optional() });
export const ZScriptConfig = z.object({ steps: z.array(ZStep).min(1).optional(), summary: z.string().optional() });
export type TScriptConfig = z.output<typeof ZScriptConfig>;

const DEFAULT_INTERVENTIONS_FILE = 'INTERVENTIONS.md';

export const scriptAdapter: Adapter<TScriptConfig> = {
  parseConfig: ({ config }) => parseAgentConfig('SCRIPT', ZScriptConfig, config ?? {}),
  checkPrompt: (config, prompt) => {
    chooseRecipe(config, prompt);
  },
  run: runScript,
};

/** The prompt's recipe when the prompt is one (a task that carries its own), else the profile's. */
function chooseRecipe(config: TScriptConfig, prompt: string): z.output<typeof ZScriptRecipe> {
  if (prompt.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(prompt);
    } catch (err) {
      throw new AgentConfigInvalidError('SCRIPT', [`the prompt looks like a recipe but is not JSON: ${(err as Error).message}`]);
    }
    return parseAgentConfig('SCRIPT', ZScriptRecipe, json);
  }
  if (config.steps) return { steps: config.steps, summary: config.summary };
  throw new AgentConfigInvalidError('SCRIPT', ['no recipe: the profile has no steps and the prompt is not a JSON recipe']);
}

async function runScript(run: AgentRun<TScriptConfig>): Promise<AgentResult> {
  const recipe = chooseRecipe(run.config, run.prompt);
  let delivered = 0;
  const failed = (exitCode: number, failure: string): AgentResult => {
    run.log.write(`[script] ${failure.split('\n')[0]}\n`); // the output it quotes is in the log already
    return { exitCode, ok: false, failure, interventionsDelivered: delivered };
  };
  for (const [index, step] of recipe.steps.entries()) {
    const label = `step ${index + 1}`;
    try {
      if (step.write) {
        run.log.write(`[script] write ${step.write.path}\n`);
        await editInSandbox(run, 'write', await resolveInside(run.worktree, step.write.path), step.write.content);
      } else if (step.append) {
        run.log.write(`[script] append ${step.append.path}\n`);
        await editInSandbox(run, 'append', await resolveInside(run.worktree, step.append.path), step.append.content);
      } else if (step.delete) {
        run.log.write(`[script] delete ${step.delete.path}\n`);
        await editInSandbox(run, 'delete', await resolveInside(run.worktree, step.delete.path));
      } else if (step.run) {
        run.log.write(`[script] $ ${step.run.command}\n`);
        const exit = await runCommand(run, step.run.command);
        if (exit.isCancelled) break;
        if (exit.exitCode !== 0 && !step.run.allowFailure) {
          return failed(
            exit.exitCode,
            `${label}: \`${step.run.command}\` exited with code ${exit.exitCode}\n${run.log.tail(10)}`.trimEnd(),
          );
        }
      } else if (step.sleep) {
        await delay(step.sleep.ms, undefined, { signal: run.signal });
      } else if (step.fail) {
        return failed(step.fail.code, step.fail.message);
      } else if (step.waitForIntervention) {
        delivered += await waitForIntervention(run, step.waitForIntervention);
      }
    } catch (err) {
      if (run.signal.aborted) break;
      if (err instanceof OutsideWorktreeError || err instanceof EditFailedError || err instanceof InterventionTimeoutError)
        return failed(1, `${label}: ${err.message}`);
      throw err;
    }
  }
  if (run.signal.aborted) return { exitCode: 130, ok: false, failure: 'cancelled', interventionsDelivered: delivered };
  return {
    exitCode: 0,
    ok: true,
    summary: recipe.summary ?? `script: ${recipe.steps.length} steps done`,
    interventionsDelivered: delivered,
  };
}

const EDITS = {
  write: 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"',
  append: 'mkdir -p -- "$(dirname -- "$1")" && cat >> "$1"',
  delete: 'rm -rf -- "$1"',
} as const;

/**
 * A file edit of the recipe, made by a shell inside the sandbox rather than by the
 * worker: a path checked here could be swapped for a symlink by something the recipe
 * left running, and only the sandbox's view of the host makes that harmless.
 */
async function editInSandbox(run: AgentRun<TScriptConfig>, edit: keyof typeof EDITS, target: string, content?: string) {
  const proc = startAgentProcess({
    executable: '/bin/sh',
    args: ['-c', EDITS[edit], 'edit', target],
    cwd: run.worktree,
    env: run.env,
    stdin: content === undefined ? 'ignore' : 'pipe',
    log: run.log,
    signal: run.signal,
    killGraceMs: run.killGraceMs,
  });
  if (content !== undefined) {
    await proc.send(content);
    proc.endInput();
  }
  const exit = await proc.exited;
  if (exit.exitCode !== 0 && !exit.isCancelled) throw new EditFailedError(`${edit} ${target} failed (exit ${exit.exitCode})`);
}

function runCommand(run: AgentRun<TScriptConfig>, command: string) {
  return startAgentProcess({
    executable: '/bin/sh',
    args: ['-c', command],
    cwd: run.worktree,
    env: run.env,
    log: run.log,
    signal: run.signal,
    killGraceMs: run.killGraceMs,
  }).exited;
}

async function waitForIntervention(run: AgentRun<TScriptConfig>, step: NonNullable<TStep['waitForIntervention']>): Promise<number> {
  const options = step === true ? {} : step;
  const path = options.appendTo ?? DEFAULT_INTERVENTIONS_FILE;
  run.log.write('[script] waiting for an intervention\n');
  const signal = options.timeoutMs ? AbortSignal.any([run.signal, AbortSignal.timeout(options.timeoutMs)]) : run.signal;
  const message = await run.interventions.next(signal).catch((err) => {
    if (run.signal.aborted) throw err;
    throw new InterventionTimeoutError(options.timeoutMs ?? 0);
  });
  await editInSandbox(run, 'append', await resolveInside(run.worktree, path), `${message}\n`);
  run.log.write(`[script] intervention appended to ${path}\n`);
  return 1;
}

class OutsideWorktreeError extends Error {}
class EditFailedError extends Error {}
class InterventionTimeoutError extends Error {
  constructor(ms: number) {
    super(`no intervention arrived within ${ms} ms`);
  }
}

/** The absolute path of `path` in the worktree, refusing any way out of it, symlinks included. */
async function resolveInside(worktree: string, path: string): Promise<string> {
  const root = await realpath(worktree);
  const target = resolve(root, path);
  for (let probe = target; ; probe = dirname(probe)) {
    try {
      const real = await realpath(probe);
      const rel = relative(root, real);
      if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
        throw new OutsideWorktreeError(`${path} leads outside the worktree`);
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || probe === root) throw err;
    }
  }
}
