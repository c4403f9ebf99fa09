// The session log, a page at a time. A log may reach the sink's bound (5 MiB), and one
// response must not carry it whole: a page stops at `limit` batches or at about
// LOG_PAGE_BYTES, whichever comes first, and says where the next one starts.
import type { Tx } from '@parallax/db';
import { getSessionRef, type Viewer } from './queries.ts';

/** A page's budget in bytes of log text (a single larger batch still makes a page of its own). */
export const LOG_PAGE_BYTES = 256 * 1024;
const DEFAULT_LIMIT = 32;

export interface SessionLogPage {
  chunks: { seq: number; text: string; createdAt: Date }[];
  /**
   * Where to read on from: pass it as `cursor` next time (the last batch's seq, or the
   * cursor given when the page is empty). Polling with it follows a live log.
   */
  nextCursor: number;
  /** More batches exist after this page now: read again at once rather than at the next poll. */
  hasMore: boolean;
}

export async function readSessionLog(
  tx: Tx,
  input: {
    orgId: string;
    sessionId: string;
    viewer: Viewer;
    /** Read the batches after this seq; none for the start. */
    cursor?: number;
    limit?: number;
    /** Without a cursor: the last batches instead of the first (the fleet board's tail). */
    fromEnd?: boolean;
  },
): Promise<SessionLogPage> {
  await getSessionRef(tx, input);
  const limit = input.limit ?? DEFAULT_LIMIT;
  const select = { seq: true, text: true, createdAt: true } as const;
  if (input.fromEnd && input.cursor === undefined) {
    const newestFirst = await tx.sessionLogChunk.findMany({
      where: { sessionId: input.sessionId },
      orderBy: { seq: 'desc' },
      take: limit,
      select,
    });
    const chunks = withinBudget(newestFirst).reverse();
    return { chunks, nextCursor: chunks.at(-1)?.seq ?? -1, hasMore: false };
  }
  const cursor = input.cursor ?? -1;
  // One more than the page, to know whether there is more.
  const rows = await tx.sessionLogChunk.findMany({
    where: { sessionId: input.sessionId, seq: { gt: cursor } },
    orderBy: { seq: 'asc' },
    take: limit + 1,
    select,
  });
  const chunks = withinBudget(rows.slice(0, limit));
  return { chunks, nextCursor: chunks.at(-1)?.seq ?? cursor, hasMore: rows.length > chunks.length };
}

/** The leading batches up to the byte budget; always at least one, so a reader never stalls. */
function withinBudget<T extends { text: string }>(rows: T[]): T[] {
  let bytes = 0;
  const page: T[] = [];
  for (const row of rows) {
    if (page.length && bytes + Buffer.byteLength(row.text) > LOG_PAGE_BYTES) break;
    bytes += Buffer.byteLength(row.text);
    page.push(row);
  }
  return page;
}
