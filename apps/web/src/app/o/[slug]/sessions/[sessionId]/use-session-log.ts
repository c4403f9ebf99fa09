'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPCClient } from '~/trpc/react.tsx';

interface LogState {
  lastSeq: number;
  text: string;
}

const FOLLOW_MS = 1_500;

/**
 * The whole session log, read page by page (session.log bounds each response) and then
 * followed: each poll asks only for the batches after its cursor (append-only, by seq).
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
      // A long log arrives in pages; catch up in one go rather than one page per poll,
      // showing each page as it lands.
      for (;;) {
        const page = await client.session.log.query({ orgId, sessionId, cursor: state.lastSeq });
        state = { lastSeq: page.nextCursor, text: state.text + page.chunks.map((c) => c.text).join('') };
        if (!page.hasMore) break;
        queryClient.setQueryData<LogState>(queryKey, state);
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
