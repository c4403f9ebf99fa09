// The session log as the agent writes it: batched (one database write per batch, never
// per line), numbered, bounded, written one batch at a time in order. A batch once
// accepted is retried until written, so the stored log has no holes and no reordering.
import { setTimeout as delay } from 'node:timers/promises';

export interface LogBatch {
  seq: number;
  text: string;
}

export interface LogSink {
  /** Accepts output. Never blocks and never throws; text after close() is ignored. */
  write(text: string): void;
  /** Cuts what is pending into batches and waits until every accepted batch is written. */
  flush(): Promise<void>;
  /** Flushes, adds the tail batch if the bound was passed, and accepts nothing more. */
  close(): Promise<void>;
  /** The last `lines` lines written (kept in memory, whether or not they were stored). */
  tail(lines?: number): string;
}

export interface LogSinkOptions {
  /** Stores one batch. Must be idempotent on seq: a write that failed late is retried. */
  write: (batch: LogBatch) => Promise<void>;
  maxBatchBytes?: number;
  flushEveryMs?: number;
  /** Past this, output is counted but only the last `tailBytes` are kept, as a final batch. */
  maxTotalBytes?: number;
  tailBytes?: number;
  /** A resumed run continues the numbering: the stored log's last seq + 1. */
  startSeq?: number;
  retry?: { initialMs?: number; maxMs?: number; giveUpAfterMs?: number };
}

export class LogWriteError extends Error {
  constructor(
    readonly seq: number,
    override readonly cause: unknown,
  ) {
    super(`the session log could not be written (batch ${seq}): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LogWriteError';
  }
}

const KiB = 1024;

export function createLogSink(options: LogSinkOptions): LogSink {
  const maxBatchBytes = options.maxBatchBytes ?? 16 * KiB;
  const flushEveryMs = options.flushEveryMs ?? 500;
  const maxTotalBytes = options.maxTotalBytes ?? 5 * KiB * KiB;
  const tailBytes = options.tailBytes ?? 64 * KiB;
  // The tail batch is part of the bound, so the stored log never exceeds it (but for the marker).
  const budget = Math.max(0, maxTotalBytes - tailBytes);
  const retryInitialMs = options.retry?.initialMs ?? 200;
  const retryMaxMs = options.retry?.maxMs ?? 5_000;
  const giveUpAfterMs = options.retry?.giveUpAfterMs ?? 10 * 60_000;

  let seq = options.startSeq ?? 0;
  let pending = '';
  let pendingBytes = 0;
  let acceptedBytes = 0;
  let isOverBound = false;
  let overflow = '';
  let overflowBytes = 0;
  let recent = '';
  let isClosed = false;
  let timer: NodeJS.Timeout | null = null;
  // Every accepted batch is chained here, so writes are serialized and in seq order.
  // Once a batch gives up, the chain stays rejected and nothing after it is written.
  let written: Promise<void> = Promise.resolve();

  const writeWithRetry = async (batch: LogBatch) => {
    const startedAt = Date.now();
    for (let wait = retryInitialMs; ; wait = Math.min(wait * 2, retryMaxMs)) {
      try {
        await options.write(batch);
        return;
      } catch (err) {
        if (Date.now() - startedAt + wait > giveUpAfterMs) throw new LogWriteError(batch.seq, err);
        await delay(wait);
      }
    }
  };

  const accept = (text: string, bytes: number) => {
    const batch = { seq: seq++, text };
    acceptedBytes += bytes;
    written = written.then(() => writeWithRetry(batch));
    written.catch(() => {}); // surfaced by flush() and close(), not as an unhandled rejection
  };

  const cut = (upTo: number) => {
    while (pendingBytes >= upTo && pendingBytes > 0) {
      const [head, rest] = pendingBytes <= maxBatchBytes ? [pending, ''] : splitAtBytes(pending, maxBatchBytes, true);
      const headBytes = Buffer.byteLength(head);
      pending = rest;
      pendingBytes -= headBytes;
      accept(head, headBytes);
    }
    if (pendingBytes === 0 && timer) {
      clearTimeout(timer);
      timer = null;
    }
  };

  const cutAll = () => cut(1);

  const keepOverflow = (text: string, bytes: number) => {
    overflow += text;
    overflowBytes += bytes;
    if (overflow.length > 2 * tailBytes) overflow = lastBytes(overflow, tailBytes);
  };

  return {
    write(text) {
      if (isClosed || text.length === 0) return;
      recent += text;
      if (recent.length > 2 * tailBytes) recent = lastBytes(recent, tailBytes);
      const bytes = Buffer.byteLength(text);
      if (isOverBound) return keepOverflow(text, bytes);
      const room = budget - acceptedBytes - pendingBytes;
      if (bytes > room) {
        const [head, rest] = splitAtBytes(text, room, false);
        pending += head;
        pendingBytes += Buffer.byteLength(head);
        cutAll();
        isOverBound = true;
        return keepOverflow(rest, Buffer.byteLength(rest));
      }
      pending += text;
      pendingBytes += bytes;
      cut(maxBatchBytes);
      if (pendingBytes > 0 && !timer) {
        timer = setTimeout(() => {
          timer = null;
          cutAll();
        }, flushEveryMs);
        timer.unref();
      }
    },

    async flush() {
      cutAll();
      await written;
    },

    async close() {
      if (!isClosed) {
        isClosed = true;
        cutAll();
        if (isOverBound && overflowBytes > 0) {
          let kept = lastBytes(overflow, tailBytes);
          const newline = kept.indexOf('\n');
          // Start the tail at a whole line when the cut fell inside one.
          if (Buffer.byteLength(kept) < overflowBytes && newline >= 0 && newline < kept.length - 1) kept = kept.slice(newline + 1);
          const keptBytes = Buffer.byteLength(kept);
          const marker = `[parallax] output passed the ${formatBytes(maxTotalBytes)} log limit: ${overflowBytes - keptBytes} bytes dropped, the last ${keptBytes} bytes follow\n`;
          accept(marker + kept, Buffer.byteLength(marker) + keptBytes);
        }
      }
      await written;
    },

    tail(lines = 20) {
      const all = lastBytes(recent, tailBytes).split('\n');
      if (all.at(-1) === '') all.pop();
      return all.slice(-lines).join('\n');
    },
  };
}

/** Splits `text` so the head has at most `maxBytes` UTF-8 bytes, never inside a character. */
function splitAtBytes(text: string, maxBytes: number, preferNewline: boolean): [string, string] {
  const buf = Buffer.from(text);
  if (buf.length <= maxBytes) return [text, ''];
  let end = Math.max(0, maxBytes);
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  let head = buf.subarray(0, end).toString();
  if (preferNewline) {
    // A batch that ends at a line end reads better, unless that would make it small.
    const newline = head.lastIndexOf('\n');
    if (newline >= head.length / 2) head = head.slice(0, newline + 1);
  }
  return [head, text.slice(head.length)];
}

/** The last `maxBytes` UTF-8 bytes of `text`, never starting inside a character. */
function lastBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= maxBytes) return text;
  let start = buf.length - maxBytes;
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString();
}

function formatBytes(bytes: number): string {
  if (bytes >= KiB * KiB) return `${+(bytes / (KiB * KiB)).toFixed(1)} MiB`;
  if (bytes >= KiB) return `${+(bytes / KiB).toFixed(1)} KiB`;
  return `${bytes} B`;
}
