// session.log is paged: a log at the sink's bound (5 MiB) comes back in pages of about
// LOG_PAGE_BYTES, in order, each saying where the next starts; the tail can be read alone.
import { beforeAll, describe, expect, it } from 'vitest';
import SuperJSON from 'superjson';
import { LOG_PAGE_BYTES } from '@parallax/fleet';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { callerFor, createOrgFixture, type OrgFixture } from './testing/fixtures.ts';

let fx: DatabaseFixture;
let a: OrgFixture;
let b: OrgFixture;
const BATCH = 16 * 1024;
const BATCHES = 320; // 5 MiB, the sink's default bound
let fullLog = '';

beforeAll(async () => {
  fx = await useTestDatabase();
  a = await createOrgFixture(fx.db, 'a');
  b = await createOrgFixture(fx.db, 'b');
  const rows = Array.from({ length: BATCHES }, (_, seq) => ({
    orgId: a.orgId,
    sessionId: a.sessionId,
    seq,
    text: `${`batch ${seq} `.padEnd(BATCH - 1, String.fromCharCode(97 + (seq % 26)))}\n`,
  }));
  fullLog = rows.map((r) => r.text).join('');
  await fx.db.forOrg(a.orgId, (tx) => tx.sessionLogChunk.createMany({ data: rows }));
});

type Page = { chunks: { seq: number; text: string }[]; nextCursor: number; hasMore: boolean };

describe('session.log', () => {
  it('returns a 5 MiB log in bounded pages that join, in order, to the whole log', async () => {
    const owner = callerFor(fx.db, a.userId);
    let cursor: number | undefined;
    let text = '';
    let pages = 0;
    for (;;) {
      const page: Page = await owner.session.log({ orgId: a.orgId, sessionId: a.sessionId, cursor });
      pages += 1;
      // What goes over the wire, as the HTTP endpoint would serialize it.
      expect(JSON.stringify(SuperJSON.serialize(page)).length).toBeLessThan(LOG_PAGE_BYTES + 4 * 1024);
      text += page.chunks.map((c) => c.text).join('');
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(text).toBe(fullLog);
    expect(pages).toBe(Math.ceil((BATCHES * BATCH) / LOG_PAGE_BYTES));
  });

  it('answers a cursor at the end with an empty page that keeps the cursor (a live tail polls with it)', async () => {
    const page = await callerFor(fx.db, a.userId).session.log({ orgId: a.orgId, sessionId: a.sessionId, cursor: BATCHES - 1 });
    expect(page).toEqual({ chunks: [], nextCursor: BATCHES - 1, hasMore: false });
    // A batch written later is what the next poll gets.
    await fx.db.forOrg(a.orgId, (tx) =>
      tx.sessionLogChunk.create({ data: { orgId: a.orgId, sessionId: a.sessionId, seq: BATCHES, text: 'late\n' } }),
    );
    const next = await callerFor(fx.db, a.userId).session.log({ orgId: a.orgId, sessionId: a.sessionId, cursor: page.nextCursor });
    expect(next.chunks.map((c) => c.text)).toEqual(['late\n']);
    expect(next.nextCursor).toBe(BATCHES);
  });

  it('honours a smaller limit', async () => {
    const page = await callerFor(fx.db, a.userId).session.log({ orgId: a.orgId, sessionId: a.sessionId, limit: 3 });
    expect(page.chunks.map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(page).toMatchObject({ nextCursor: 2, hasMore: true });
  });

  it('reads only the last batches from the end, for the fleet board', async () => {
    const page = await callerFor(fx.db, a.userId).session.log({ orgId: a.orgId, sessionId: a.sessionId, fromEnd: true, limit: 2 });
    expect(page.chunks.map((c) => c.seq)).toEqual([BATCHES - 1, BATCHES]);
    expect(page).toMatchObject({ nextCursor: BATCHES, hasMore: false });
  });

  it('answers an empty log with an empty page', async () => {
    const page = await callerFor(fx.db, b.userId).session.log({ orgId: b.orgId, sessionId: b.sessionId });
    expect(page).toEqual({ chunks: [], nextCursor: -1, hasMore: false });
  });

  it("refuses a limit over 100 and answers NOT_FOUND for another org's session", async () => {
    const owner = callerFor(fx.db, a.userId);
    await expect(owner.session.log({ orgId: a.orgId, sessionId: a.sessionId, limit: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(owner.session.log({ orgId: a.orgId, sessionId: b.sessionId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
