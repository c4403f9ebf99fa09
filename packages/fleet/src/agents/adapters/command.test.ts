import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, makeWorktree } from '../../../test/fixtures/agents/index.ts';
import { createInterventionInbox } from '../intervention-inbox.ts';
import { runAgent } from '../run-agent.ts';
import { quoteForShell, renderCommand } from './command.ts';

const HOSTILE_PROMPT = `it's "done"; touch pwned-semicolon $(touch pwned-subshell) \`touch pwned-backtick\` $HOME ' || touch pwned-or '\n* \\`;

describe('the COMMAND adapter', () => {
  it('substitutes {prompt}, {worktree} and {branch} as single shell words', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'COMMAND',
      commandTemplate: `printf '%s\\n' {prompt} {worktree} {branch} > out.txt`,
      prompt: 'Add a greeting',
      branch: 'parallax/session-42',
    });
    expect(await runAgent(options)).toEqual({ exitCode: 0, ok: true, interventionsDelivered: 0 });
    expect(readFileSync(join(worktree, 'out.txt'), 'utf8')).toBe(`Add a greeting\n${worktree}\nparallax/session-42\n`);
  });

  it('passes a prompt full of quotes, $(), backticks and globs through literally, running none of it', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'COMMAND',
      commandTemplate: `printf '%s' {prompt} > out.txt`,
      prompt: HOSTILE_PROMPT,
    });
    expect((await runAgent(options)).ok).toBe(true);
    expect(readFileSync(join(worktree, 'out.txt'), 'utf8')).toBe(HOSTILE_PROMPT);
    expect(readdirSync(worktree).filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  it('offers the same values as environment variables', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'COMMAND',
      commandTemplate: 'printf "%s|%s" "$PARALLAX_PROMPT" "$PARALLAX_BRANCH" > env.txt',
      prompt: HOSTILE_PROMPT,
    });
    await runAgent(options);
    expect(readFileSync(join(worktree, 'env.txt'), 'utf8')).toBe(`${HOSTILE_PROMPT}|parallax/session-test`);
  });

  it('refuses a template that puts a placeholder inside quotes, where the quoting would not hold', async () => {
    const worktree = await makeWorktree();
    for (const commandTemplate of ['my-agent "{prompt}"', "my-agent --task '{prompt}'", 'my-agent "run in {worktree}"']) {
      const { options } = agentRun(worktree, { adapter: 'COMMAND', commandTemplate });
      await expect(runAgent(options)).rejects.toThrow(/write \{(prompt|worktree)\} without quotes around it/);
    }
  });

  it('refuses a profile without a command template', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'COMMAND' });
    await expect(runAgent(options)).rejects.toThrow(
      'invalid COMMAND agent config: commandTemplate: a COMMAND agent needs a command template',
    );
  });

  it('reports a failing command with its exit code and last output lines', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'COMMAND', commandTemplate: 'echo "no API key" >&2; exit 4' });
    const result = await runAgent(options);
    expect(result).toMatchObject({ ok: false, exitCode: 4 });
    expect(result.failure).toBe('the command exited with code 4\nno API key');
  });

  it('cannot take an intervention: it stays queued and the log says it was not delivered', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    interventions.push('use tabs');
    const { options, log } = agentRun(worktree, { adapter: 'COMMAND', commandTemplate: 'true', interventions });
    expect((await runAgent(options)).interventionsDelivered).toBe(0);
    expect(interventions.drain()).toEqual(['use tabs']);
    expect(log.text()).toContain('[parallax] 1 intervention(s) not delivered: COMMAND cannot take a message\n');
  });

  it('leaves a placeholder that is part of a shell parameter expansion alone', () => {
    const shellBraces = `echo \${prompt} {prompt}`;
    expect(renderCommand(shellBraces, { prompt: 'x', worktree: '/w', branch: 'b' })).toBe(`echo \${prompt} 'x'`);
    expect(quoteForShell("it's")).toBe(`'it'\\''s'`);
  });
});
