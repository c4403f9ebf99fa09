// The tRPC endpoint over HTTP, with the limits that hold before any procedure runs: a
// batch holds at most MAX_BATCH_CALLS calls (refused whole, none run), and a body past
// MAX_TRPC_BODY_BYTES is a 413 before it is parsed, read no further than the limit
// even when the client sends no Content-Length or a false one. The web route adapts
// Next.js to this function only.
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { formatBytes, MAX_BATCH_CALLS, MAX_TRPC_BODY_BYTES } from './limits.ts';
import { appRouter } from './root.ts';
import type { Context } from './trpc.ts';

export interface TRPCRequestOptions {
  /** Where the router is mounted, e.g. `/api/trpc`. */
  endpoint: string;
  createContext: () => Context | Promise<Context>;
  maxBatchCalls?: number;
  maxBodyBytes?: number;
  /** Told of every failed call (500s are logged by the error formatter already). */
  onError?: (failure: { path: string | undefined; error: Error }) => void;
}

export async function handleTRPCRequest(req: Request, options: TRPCRequestOptions): Promise<Response> {
  const maxBatchCalls = options.maxBatchCalls ?? MAX_BATCH_CALLS;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_TRPC_BODY_BYTES;
  const calls = countCalls(req, options.endpoint);
  if (calls > maxBatchCalls) {
    return errorResponse(
      'BAD_REQUEST',
      400,
      `A batch may hold at most ${maxBatchCalls} calls; this one has ${calls}. Send the rest in another request.`,
    );
  }
  const body = await readBodyWithin(req, maxBodyBytes);
  if (body === 'too-large') {
    return errorResponse('PAYLOAD_TOO_LARGE', 413, `The request body is over the limit of ${formatBytes(maxBodyBytes)}.`);
  }
  return fetchRequestHandler({
    endpoint: options.endpoint,
    req: body === null ? req : new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal }),
    router: appRouter,
    createContext: options.createContext,
    maxBatchSize: maxBatchCalls,
    onError: options.onError,
  });
}

/** How many procedure calls the URL names (`/api/trpc/a,b,c?batch=1`): what tRPC would run. */
function countCalls(req: Request, endpoint: string): number {
  const url = new URL(req.url);
  if (url.searchParams.get('batch') !== '1') return 1;
  let path = url.pathname.slice(endpoint.length + 1);
  try {
    path = decodeURIComponent(path);
  } catch {
    // tRPC answers a malformed path itself.
  }
  return path.split(',').length;
}

/** The body, read up to the limit; null for a request without one. */
async function readBodyWithin(req: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null | 'too-large'> {
  if (!req.body) return null;
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await req.body.cancel().catch(() => {});
    return 'too-large';
  }
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    parts.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}

/** An error in tRPC's own envelope (through the router's transformer), so the client reads it as any other. */
function errorResponse(code: TRPC_ERROR_CODE_KEY, httpStatus: number, message: string): Response {
  const shape = { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus, zodError: null } };
  return Response.json({ error: appRouter._def._config.transformer.output.serialize(shape) }, { status: httpStatus });
}
