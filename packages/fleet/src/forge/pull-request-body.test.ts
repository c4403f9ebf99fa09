import { describe, expect, it } from 'vitest';
import { assessRisk, buildPullRequestBody, type PullRequestBodyOptions, readPullRequestMetadata } from './pull-request-body.ts';

const base: PullRequestBodyOptions = {
  taskTitle: 'Greet in French',
  prompt: 'Change the greeting to bonjour.',
  agent: 'claude-code',
  summary: 'Changed the greeting constant.',
  checks: { passed: true, command: 'npm test', outputTail: 'Tests 12 passed' },
  stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 1 },
  files: ['src/greeting.ts'],
  sla: { receivedAt: new Date('2026-06-01T09:00:00Z'), minutes: 30, prOpenedAt: new Date('2026-06-01T09:12:00Z') },
};

describe('assessRisk', () => {
  it('is low up to 5 files and 100 lines, medium up to 15 files and 500 lines, high beyond', () => {
    expect(assessRisk({ filesChanged: 5, linesAdded: 60, linesDeleted: 40 })).toBe('low');
    expect(assessRisk({ filesChanged: 6, linesAdded: 1, linesDeleted: 0 })).toBe('medium');
    expect(assessRisk({ filesChanged: 1, linesAdded: 101, linesDeleted: 0 })).toBe('medium');
    expect(assessRisk({ filesChanged: 15, linesAdded: 250, linesDeleted: 250 })).toBe('medium');
    expect(assessRisk({ filesChanged: 16, linesAdded: 1, linesDeleted: 0 })).toBe('high');
    expect(assessRisk({ filesChanged: 2, linesAdded: 400, linesDeleted: 101 })).toBe('high');
  });
});

describe('buildPullRequestBody', () => {
  it('summarises what changed, the checks, the risk with its thresholds, the suggested action and the SLA', () => {
    const body = buildPullRequestBody(base);
    expect(body).toContain('Changed the greeting constant.');
    expect(body).toContain('**Agent:** claude-code');
    expect(body).toContain('1 file, +1 −1 lines');
    expect(body).toContain('- `src/greeting.ts`');
    expect(body).toContain('✅ Passed (`npm test`)');
    expect(body).toContain('Tests 12 passed');
    expect(body).toContain('## Risk: low');
    expect(body).toContain('Low: at most 5 files and 100 lines; medium: at most 15 files and 500 lines; high: more.');
    expect(body).toContain('## Suggested action\n\nReview and merge.');
    expect(body).toContain('Opened 12 min after the request; SLA 30 min: within SLA.');
  });

  it('states the SLA by its one definition: a PR half a minute late is a breach, one on the minute is not', () => {
    const at = (ms: number) => ({ ...base, sla: { ...base.sla!, prOpenedAt: new Date(base.sla!.receivedAt.getTime() + ms) } });
    expect(buildPullRequestBody(at(30 * 60_000 + 29_000))).toContain(
      'Opened 30.5 min after the request; SLA 30 min: SLA breached by 0.5 min.',
    );
    expect(buildPullRequestBody(at(30 * 60_000))).toContain('Opened 30 min after the request; SLA 30 min: within SLA.');
    expect(buildPullRequestBody(at(30 * 60_000 + 1_000))).toContain('SLA 30 min: SLA breached by 0.1 min.');
    expect(readPullRequestMetadata(buildPullRequestBody(at(30 * 60_000 + 29_000)))).toMatchObject({
      slaMinutes: 30,
      timeToPrMinutes: 30.5,
    });
    expect(buildPullRequestBody({ ...base, sla: undefined })).not.toContain('## SLA');
  });

  it('says to fix failed checks, to run checks that did not run, and to close a PR that changes nothing', () => {
    expect(buildPullRequestBody({ ...base, checks: { passed: false, command: 'npm test' } })).toContain(
      'Checks failed: fix before merging.',
    );
    expect(buildPullRequestBody({ ...base, checks: { passed: null } })).toContain('⚪ Not run');
    expect(readPullRequestMetadata(buildPullRequestBody({ ...base, checks: { passed: null } }))?.suggestedAction).toBe('run-checks');
    const empty = buildPullRequestBody({ ...base, stats: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, files: [] });
    expect(empty).toContain('Nothing changed: close this pull request.');
    const large = buildPullRequestBody({ ...base, stats: { filesChanged: 40, linesAdded: 2000, linesDeleted: 10 } });
    expect(large).toContain('## Risk: high');
    expect(large).toContain('Review carefully before merging');
  });

  it('carries the same facts as JSON that Parallax reads back', () => {
    expect(readPullRequestMetadata(buildPullRequestBody({ ...base, sla: { ...base.sla!, minutes: 10 } }))).toEqual({
      version: 1,
      task: 'Greet in French',
      agent: 'claude-code',
      checks: { passed: true, command: 'npm test' },
      stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 1 },
      risk: 'low',
      suggestedAction: 'review-and-merge',
      slaMinutes: 10,
      timeToPrMinutes: 12,
      files: ['src/greeting.ts'],
    });
    expect(readPullRequestMetadata('A PR a human wrote')).toBeNull();
  });

  it('keeps hostile text from breaking out of its fence or the metadata comment', () => {
    const hostile = 'end --> <!-- x --!> ``` `tick`';
    const body = buildPullRequestBody({
      ...base,
      taskTitle: hostile,
      prompt: `\`\`\`\n${hostile}`,
      checks: { passed: false, outputTail: '````\nboom' },
    });
    expect(body).toContain('````text\n```\n');
    expect(body).toContain('`````text\n````\nboom\n`````');
    expect(body).toContain('**Task:** end --&gt; &lt;!-- x --!&gt; ``` `tick`');
    expect(buildPullRequestBody({ ...base, summary: 'ok <!-- hidden' })).toContain('ok &lt;!-- hidden');
    expect(body.match(/<!-- parallax/g)).toHaveLength(1);
    expect(readPullRequestMetadata(body)?.task).toBe(hostile);
  });

  it('bounds long inputs: the prompt, the output tail and the file list', () => {
    const files = Array.from({ length: 120 }, (_, i) => `src/file-${i}.ts`);
    const body = buildPullRequestBody({
      ...base,
      prompt: 'p'.repeat(10_000),
      checks: { passed: false, outputTail: Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n') },
      files,
      stats: { filesChanged: 120, linesAdded: 120, linesDeleted: 0 },
    });
    expect(body).toContain('…(truncated)');
    expect(body).toContain('line 499');
    expect(body).not.toContain('line 400\n');
    expect(body).toContain('- …and 70 more');
    expect(body.length).toBeLessThan(20_000);
  });
});
