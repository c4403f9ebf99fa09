// A webhook body is read only as far as the limit: a Content-Length over it is refused
// before one byte is read, and a body without one (chunked) is read with a running
// count and abandoned the moment it passes the limit.

export type CappedBody = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; reason: string };

export async function readCappedBody(request: Request, limitBytes: number): Promise<CappedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!/^\d{1,15}$/.test(declared.trim())) return { ok: false, status: 400, reason: 'Content-Length is not a number' };
    if (Number(declared) > limitBytes)
      return { ok: false, status: 413, reason: `body of ${declared} bytes is over the ${limitBytes}-byte limit` };
  }
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, status: 413, reason: `body passed the ${limitBytes}-byte limit` };
    }
    chunks.push(value);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}
