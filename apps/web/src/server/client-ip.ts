/**
 * The caller's address for rate limits. X-Forwarded-For is a list each hop appends
 * to, and a client can write anything at its start, so count from the end: Next's own
 * server appends the socket's address, and each trusted reverse proxy in front
 * (TRUSTED_PROXY_HOPS, default 0) appends the address it saw. Null when there is no
 * header: better no per-address limit than one bucket shared by every caller.
 */
export function clientIp(header: (name: string) => string | null | undefined): string | null {
  const hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
  const chain = (header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const fromEnd = Number.isInteger(hops) && hops >= 0 ? hops : 0;
  return chain[Math.max(0, chain.length - 1 - fromEnd)] ?? header('x-real-ip')?.trim() ?? null;
}
