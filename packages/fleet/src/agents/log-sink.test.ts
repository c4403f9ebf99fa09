import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { memoryLog } from '../../test/fixtures/agents/index.ts';
import { type LogBatch, LogWriteError } from './log-sink.ts';

const lines = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `line ${from + i}\n`).join('');

describe('createLogSink', () => {
  it('batches many lines into one write instead of one write per line', async () => {
    const log = memoryLog();
    for (let i = 0; i < 200; i++) log.sink.write(`line ${i}\n`);
    await log.sink.flush();
    expect(log.batches).toHaveLength(1);
    expect(log.batches[0]).toEqual({ seq: 0, text: lines(200) });
  });

  it('cuts batches of at most maxBatchBytes, numbered in order, that add up to the output', async () => {
    const log = memoryLog({ maxBatchBytes: 100 });
    log.sink.write(lines(150));
    await log.sink.close();
    expect(log.batches.length).toBeGreaterThan(10);
    expect(log.batches.map((b) => b.seq)).toEqual(log.batches.map((_, i) => i));
    for (const batch of log.batches) expect(Buffer.byteLength(batch.text)).toBeLessThanOrEqual(100);
    expect(log.text()).toBe(lines(150));
    // Cut at line ends where it can: every batch but the last ends with a newline.
    expect(log.batches.every((b) => b.text.endsWith('\n'))).toBe(true);
  });

  it('writes what is pending after flushEveryMs without being asked', async () => {
    const log = memoryLog({ flushEveryMs: 20 });
    log.sink.write('hello\n');
    expect(log.batches).toHaveLength(0);
    await delay(80);
    expect(log.batches).toEqual([{ seq: 0, text: 'hello\n' }]);
  });

  it('continues the numbering of a resumed run from startSeq', async () => {
    const log = memoryLog({ startSeq: 42 });
    log.sink.write('again\n');
    await log.sink.flush();
    log.sink.write('and again\n');
    await log.sink.close();
    expect(log.batches.map((b) => b.seq)).toEqual([42, 43]);
  });

  it('never splits a multi-byte character across batches', async () => {
    const log = memoryLog({ maxBatchBytes: 15 });
    const text = 'é€😀'.repeat(40);
    log.sink.write(text);
    await log.sink.close();
    expect(log.text()).toBe(text);
    for (const batch of log.batches) expect(batch.text).not.toContain('\uFFFD');
  });

  it('bounds the stored log: past maxTotalBytes it keeps the last lines as a final batch with a marker', async () => {
    const log = memoryLog({ maxTotalBytes: 2_000, tailBytes: 300, maxBatchBytes: 256 });
    const output = lines(1_000);
    for (const line of output.split(/(?<=\n)/)) log.sink.write(line);
    await log.sink.close();

    const stored = log.text();
    const final = log.batches.at(-1)!;
    const [marker, ...kept] = final.text.split('\n');
    expect(marker).toMatch(/^\[parallax\] output passed the 2 KiB log limit: \d+ bytes dropped, the last \d+ bytes follow$/);
    expect(Buffer.byteLength(stored) - Buffer.byteLength(`${marker}\n`)).toBeLessThanOrEqual(2_000);
    // The head is the start of the output; the tail is its end, from a whole line on.
    expect(output.startsWith(stored.slice(0, stored.indexOf('[parallax]')))).toBe(true);
    expect(kept.join('\n')).toMatch(/^line \d+\n[\s\S]*line 999\n$/);
    expect(output.endsWith(kept.join('\n'))).toBe(true);
    // The marker accounts for every byte: stored + dropped = written.
    const dropped = Number(/(\d+) bytes dropped/.exec(marker!)![1]);
    expect(Buffer.byteLength(stored) - Buffer.byteLength(`${marker}\n`) + dropped).toBe(Buffer.byteLength(output));
  });

  it('retries a failed write with backoff and never reorders or loses a batch', async () => {
    const stored: LogBatch[] = [];
    let failures = 3;
    let inFlight = 0;
    let maxInFlight = 0;
    const log = memoryLog({
      maxBatchBytes: 10,
      retry: { initialMs: 5, maxMs: 20 },
      write: async (batch) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay(2);
        inFlight--;
        if (failures-- > 0) throw new Error('database unavailable');
        stored.push(batch);
      },
    });
    log.sink.write(lines(20));
    await log.sink.close();
    expect(stored.map((b) => b.seq)).toEqual(stored.map((_, i) => i));
    expect(stored.map((b) => b.text).join('')).toBe(lines(20));
    expect(maxInFlight).toBe(1);
  });

  it('gives up after giveUpAfterMs and says so from flush, writing nothing after the lost batch', async () => {
    const stored: number[] = [];
    const log = memoryLog({
      maxBatchBytes: 10,
      retry: { initialMs: 5, maxMs: 5, giveUpAfterMs: 40 },
      write: async (batch) => {
        if (batch.seq === 1) throw new Error('constraint violated');
        stored.push(batch.seq);
      },
    });
    log.sink.write(lines(5));
    await expect(log.sink.flush()).rejects.toBeInstanceOf(LogWriteError);
    await expect(log.sink.close()).rejects.toThrow(/batch 1.*constraint violated/);
    expect(stored).toEqual([0]);
  });

  it('tails the last lines for failure messages, whether or not they were stored', async () => {
    const log = memoryLog({ maxTotalBytes: 100, tailBytes: 50 });
    log.sink.write(lines(100));
    expect(log.sink.tail(3)).toBe('line 97\nline 98\nline 99');
    await log.sink.close();
  });

  it('ignores output after close', async () => {
    const log = memoryLog();
    log.sink.write('before\n');
    await log.sink.close();
    log.sink.write('after\n');
    await log.sink.flush();
    expect(log.text()).toBe('before\n');
  });
});
