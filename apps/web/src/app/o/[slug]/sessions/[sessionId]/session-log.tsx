'use client';

import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { FormMessage } from '~/components/form.tsx';
import { cleanLogText } from '~/components/sessions/log-text.ts';
import { useSessionLog } from './use-session-log.ts';

/** The full log, following live: it keeps to the bottom unless the reader scrolled up. */
export function SessionLog(props: { orgId: string; sessionId: string; isLive: boolean; isQueued: boolean }) {
  const log = useSessionLog(props.orgId, props.sessionId, props.isLive);
  const text = useMemo(() => cleanLogText(log.data?.text ?? ''), [log.data?.text]);
  const lineCount = text ? text.replace(/\n$/, '').split('\n').length : 0;
  const panel = useRef<HTMLPreElement>(null);
  const [isFollowing, setFollowing] = useState(true);

  useLayoutEffect(() => {
    const el = panel.current;
    if (el && isFollowing && text) el.scrollTop = el.scrollHeight;
  }, [text, isFollowing]);

  function onScroll() {
    const el = panel.current;
    if (el) setFollowing(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
  }

  return (
    <section className="card" aria-label="Log">
      <div className="card-header">
        <div>
          <h2>Log</h2>
          <p className="muted">
            {lineCount === 0
              ? props.isLive
                ? 'Output appears here as the agent writes it.'
                : 'No output.'
              : `${lineCount} ${lineCount === 1 ? 'line' : 'lines'}${props.isLive ? (isFollowing ? ' · following live' : ' · paused while you read') : ''}`}
          </p>
        </div>
        {!isFollowing && text ? (
          <button type="button" className="button button-small" onClick={() => setFollowing(true)}>
            Jump to latest
          </button>
        ) : null}
      </div>
      <FormMessage message={log.error?.message} />
      {text ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled
        <pre ref={panel} className="log-panel" onScroll={onScroll} data-testid="session-log" tabIndex={0}>
          {text}
        </pre>
      ) : (
        <p className="empty">
          {log.isPending
            ? 'Loading…'
            : props.isQueued
              ? 'The agent has not started yet: the session is waiting for a free slot.'
              : props.isLive
                ? 'No output yet.'
                : 'This session wrote no output.'}
        </p>
      )}
    </section>
  );
}
