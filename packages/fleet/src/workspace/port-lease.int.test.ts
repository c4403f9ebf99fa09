import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leasePortBlock, releasePortBlock } from './port-lease.ts';

let fx: DatabaseFixture;

beforeAll(async () => {
  fx = await useTestDatabase();
});

beforeEach(async () => {
  await fx.db.scoped({}, (tx) => tx.portLease.deleteMany());
});

const sessions = (n: number, prefix = 's') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('leasePortBlock', () => {
  it('never hands out overlapping blocks to 20 sessions allocating at once', async () => {
    const blocks = await Promise.all(sessions(20).map((id) => leasePortBlock(fx.db, id)));
    const sorted = [...blocks].sort((a, b) => a.start - b.start);
    for (const [i, block] of sorted.entries()) {
      expect(block.end - block.start + 1).toBe(10);
      if (i > 0) expect(block.start).toBeGreaterThan(sorted[i - 1]!.end);
    }
    // The lowest free blocks, with no gaps.
    expect(sorted.map((b) => b.start)).toEqual(Array.from({ length: 20 }, (_, i) => 40_000 + 10 * i));
  });

  it('reuses released blocks, lowest first', async () => {
    const ids = sessions(5);
    const blocks = await Promise.all(ids.map((id) => leasePortBlock(fx.db, id)));
    await releasePortBlock(fx.db, 's-1');
    await releasePortBlock(fx.db, 's-3');
    const reused = await Promise.all([leasePortBlock(fx.db, 'later-a'), leasePortBlock(fx.db, 'later-b')]);
    expect(reused.map((b) => b.start).sort()).toEqual([blocks[1]!.start, blocks[3]!.start].sort());
    expect(await leasePortBlock(fx.db, 'later-c')).toEqual({ start: 40_050, end: 40_059 });
  });

  it('gives a session the block it already holds, even when asked concurrently', async () => {
    const blocks = await Promise.all(Array.from({ length: 5 }, () => leasePortBlock(fx.db, 'same-session')));
    expect(new Set(blocks.map((b) => b.start)).size).toBe(1);
    expect(await fx.db.scoped({}, (tx) => tx.portLease.count())).toBe(1);
  });

  it('skips blocks that would overlap a lease of another size', async () => {
    await leasePortBlock(fx.db, 'wide', { blockSize: 25 });
    expect(await leasePortBlock(fx.db, 'narrow', { blockSize: 10 })).toEqual({ start: 40_030, end: 40_039 });
  });

  it('says so when every block is leased', async () => {
    const small = { base: 50_000, max: 50_019, blockSize: 10 };
    await leasePortBlock(fx.db, 'a', small);
    await leasePortBlock(fx.db, 'b', small);
    await expect(leasePortBlock(fx.db, 'c', small)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/No free block of 10 ports between 50000 and 50019/),
    });
  });

  it('refuses a range with no room for a block', async () => {
    await expect(leasePortBlock(fx.db, 'x', { base: 50_000, max: 50_004, blockSize: 10 })).rejects.toMatchObject({ code: 'INVALID' });
    await expect(leasePortBlock(fx.db, 'x', { base: 80, blockSize: 10 })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('releasing a block nobody holds is fine', async () => {
    await expect(releasePortBlock(fx.db, 'nobody')).resolves.toBeUndefined();
  });
});
