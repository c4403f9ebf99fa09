'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPCClient } from '~/trpc/react.tsx';

interface LogState {
  lastSeq: number;
  text: string;
}

const PAGE = 500; // session.log returns at most this many batches per call
const FOLLOW_MS = 1_500;

/**
 * The whole session log, read once and then followed: each poll asks only for the
 * batches after the last one it has (append-only, numbered by seq).
 */
export function useSessionLog(orgId: string, sessionId: string, isLive: boolean) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const queryKey = ['session', 'log', orgId, sessionId];
  const log = useQuery({
    queryKey,
    refetchInterval: isLive ? FOLLOW_MS : false,
    refetchIntervalInBackground: false,
    queryFn: async () => {
      let state = queryClient.getQueryData<LogState>(queryKey) ?? { lastSeq: -1, text: '' };
      // A long log arrives in pages; catch up in one go rather than one page per poll.
      for (;;) {
        const chunks = await client.session.log.query({ orgId, sessionId, afterSeq: state.lastSeq });
        if (!chunks.length) break;
        state = { lastSeq: chunks[chunks.length - 1]!.seq, text: state.text + chunks.map((c) => c.text).join('') };
        if (chunks.length < PAGE) break;
      }
      return state;
    },
  });
  // The last batches are written as the session ends: read once more when it does.
  const { refetch } = log;
  useEffect(() => {
    if (!isLive) void refetch();
  }, [isLive, refetch]);
  return log;
}
