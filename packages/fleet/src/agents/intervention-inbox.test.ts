import { describe, expect, it } from 'vitest';
import { createInterventionInbox } from './intervention-inbox.ts';

describe('createInterventionInbox', () => {
  it('hands messages over in the order they were pushed', async () => {
    const inbox = createInterventionInbox();
    inbox.push('first');
    inbox.push('second');
    expect(await inbox.next()).toBe('first');
    expect(await inbox.next()).toBe('second');
  });

  it('waits for a message when none is queued', async () => {
    const inbox = createInterventionInbox();
    const next = inbox.next();
    inbox.push('later');
    expect(await next).toBe('later');
    expect(inbox.size).toBe(0);
  });

  it('takes nothing when the wait is aborted: the message stays for whoever asks next', async () => {
    const inbox = createInterventionInbox();
    const controller = new AbortController();
    const next = inbox.next(controller.signal);
    controller.abort(new Error('run over'));
    await expect(next).rejects.toThrow('run over');
    inbox.push('kept');
    expect(inbox.drain()).toEqual(['kept']);
  });

  it('drains everything queued at once', () => {
    const inbox = createInterventionInbox();
    inbox.push('a');
    inbox.push('b');
    expect(inbox.drain()).toEqual(['a', 'b']);
    expect(inbox.size).toBe(0);
  });
});
