/**
 * The caller's address for rate limits: the first hop in X-Forwarded-For (Next's own
 * server fills it with the socket's address; a reverse proxy in front prepends the
 * real client), else X-Real-IP. Null when neither is present: better no per-address
 * limit than one bucket shared by every caller.
 */
export function clientIp(header: (name: string) => string | null | undefined): string | null {
  const forwarded = header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || header('x-real-ip')?.trim() || null;
}
