// The API's size limits, in one place: what a real product lets one call carry. Field
// limits (names, prompts, commands) live on each field's zod schema; these are the
// ones that are not a string's length. Safe to import in the browser (zod only).
import { z } from 'zod';

export const KiB = 1024;

/** An agent profile's adapter config: flags and a few paths, never a payload. */
export const MAX_AGENT_CONFIG_BYTES = 64 * KiB;
/** Calls in one tRPC batch (the browser's link splits its batches at this). */
export const MAX_BATCH_CALLS = 20;
/** A tRPC request body: a full batch of the largest inputs (a 100 KB prompt) fits well under it. */
export const MAX_TRPC_BODY_BYTES = 1024 * KiB;

const sizeOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) ?? '').byteLength;

export function formatBytes(bytes: number): string {
  return bytes >= KiB * KiB ? `${(bytes / KiB / KiB).toFixed(1)} MiB` : bytes >= KiB ? `${Math.ceil(bytes / KiB)} KiB` : `${bytes} bytes`;
}

/**
 * A JSON object stored as given (jsonb), bounded by its size as JSON. The bound is in
 * the schema's metadata too, so the boundary tests can check every JSON field has one.
 */
export function ZBoundedJsonObject(maxBytes: number) {
  return z
    .record(z.string().max(200, { message: 'Use keys of at most 200 characters' }), z.unknown())
    .superRefine((value, ctx) => {
      const size = sizeOf(value);
      if (size > maxBytes) {
        ctx.addIssue({ code: 'custom', message: `Keep this under ${formatBytes(maxBytes)} of JSON (it is ${formatBytes(size)}).` });
      }
    })
    .meta({ maxBytes });
}
