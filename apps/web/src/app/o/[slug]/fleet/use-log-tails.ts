'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { lastLines } from '~/components/sessions/log-text.ts';
import { useTRPCClient } from '~/trpc/react.tsx';

const TAIL_LINES = 3;
const TAIL_CHARS = 4_000;
// Enough batches for TAIL_LINES lines unless one batch is mostly a single line.
const TAIL_BATCHES = 2;

interface Cursor {
  lastSeq: number;
  text: string;
}

/**
 * The last few log lines of each session: first the last batches only (fromEnd), then
 * followed from the cursor, all sessions batched per poll. Only the tail is kept.
 */
export function useLogTails(orgId: string, sessionIds: string[], refetchInterval: number): Map<string, string[]> {
  const client = useTRPCClient();
  const cursors = useRef(new Map<string, Cursor>());
  const tails = useQuery({
    queryKey: ['fleet', 'log-tails', orgId, sessionIds],
    enabled: sessionIds.length > 0,
    refetchInterval,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      // Issued in one tick, so the tRPC link sends them as one batch.
      await Promise.allSettled(
        sessionIds.map(async (sessionId) => {
          const before = cursors.current.get(sessionId);
          const fromEnd = { orgId, sessionId, fromEnd: true, limit: TAIL_BATCHES };
          let page = await client.session.log.query(before ? { orgId, sessionId, cursor: before.lastSeq } : fromEnd);
          // More than a page behind: only the end matters here, not what was skipped.
          if (page.hasMore) page = await client.session.log.query(fromEnd);
          const { chunks } = page;
          // Another poll may have moved the cursor meanwhile: append only what is new to it.
          const cursor = cursors.current.get(sessionId) ?? { lastSeq: -1, text: '' };
          const fresh = chunks.filter((c) => c.seq > cursor.lastSeq);
          if (!fresh.length) return;
          cursors.current.set(sessionId, {
            lastSeq: fresh[fresh.length - 1]!.seq,
            text: (cursor.text + fresh.map((c) => c.text).join('')).slice(-TAIL_CHARS),
          });
        }),
      );
      return new Map(sessionIds.map((id) => [id, lastLines(cursors.current.get(id)?.text ?? '', TAIL_LINES)]));
    },
  });
  return tails.data ?? new Map();
}
