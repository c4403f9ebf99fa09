// The caller's address, for rate limits and the session list. Next's own server does
// not give it to route handlers: it fills X-Forwarded-For with the socket's address
// only when the client sent none, so a client that sends one chooses its own bucket.
// Our server (apps/web/server.mjs) therefore writes the socket's address into
// PEER_ADDRESS_HEADER on every request, over anything the client sent. X-Forwarded-For
// is read only as far as the operator trusts the proxies in front
// (PARALLAX_TRUSTED_PROXIES: unset = none, a hop count, or a list of addresses and CIDR ranges).
import { BlockList, isIP } from 'node:net';

export const PEER_ADDRESS_HEADER = 'x-parallax-peer-address';
/** Set by apps/web/server.mjs in its own process: only then is PEER_ADDRESS_HEADER ours, not the client's. */
const PEER_ADDRESS_MARK = 'PARALLAX_PEER_ADDRESS_HEADER';
/** X-Forwarded-For entries looked at, from the right: a longer chain is someone's invention. */
const MAX_FORWARDED_HOPS = 20;

export type TrustedProxies = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; list: BlockList };

/** Reads PARALLAX_TRUSTED_PROXIES; a value it cannot read is the operator's mistake and fails loudly. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = value?.trim() ?? '';
  if (['', '0', 'false', 'off', 'none'].includes(text.toLowerCase())) return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_FORWARDED_HOPS) throw new Error(`PARALLAX_TRUSTED_PROXIES: ${hops} proxy hops is more than ${MAX_FORWARDED_HOPS}.`);
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || extra !== undefined || (prefix !== undefined && !/^\d+$/.test(prefix)) || bits > (family === 6 ? 128 : 32)) {
      throw new Error(`PARALLAX_TRUSTED_PROXIES: "${entry}" is neither a hop count nor an address or CIDR range.`);
    }
    list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { kind: 'list', list };
}

/** An address as a proxy may write it (with a port, in brackets, IPv4-mapped), or null if it is not one. */
export function normalizeAddress(value: string | null | undefined): string | null {
  let text = value?.trim() ?? '';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort) text = v4WithPort[1]!;
  if (/^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(text)) text = text.slice(7);
  return isIP(text) ? text.toLowerCase() : null;
}

function isTrusted(trusted: TrustedProxies, address: string, hop: number): boolean {
  if (trusted.kind === 'none') return false;
  if (trusted.kind === 'hops') return hop < trusted.hops;
  return trusted.list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Walks from the socket's peer towards the client through X-Forwarded-For, which each
 * proxy appends to, and stops at the first address not trusted: the right-most
 * untrusted entry. Whatever lies left of it the client may have written itself.
 */
export function chooseClientAddress(input: {
  peer: string | null | undefined;
  forwardedFor: string | null | undefined;
  trusted: TrustedProxies;
}): string | null {
  let current = normalizeAddress(input.peer);
  if (!current) return null;
  const chain = (input.forwardedFor ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(-MAX_FORWARDED_HOPS);
  for (let hop = 0; isTrusted(input.trusted, current, hop); hop++) {
    // A trusted proxy that forwarded nothing readable: the best known address is that proxy's.
    const next = normalizeAddress(chain.pop());
    if (!next) return current;
    current = next;
  }
  return current;
}

let trustedFromEnv: { value: string | undefined; trusted: TrustedProxies } | undefined;
let warnedUnmarked = false;

/** The caller's address from a request's headers, or null when the app was not started by our server. */
export function clientIp(header: (name: string) => string | null | undefined): string | null {
  if (process.env[PEER_ADDRESS_MARK] !== '1') {
    if (!warnedUnmarked) {
      warnedUnmarked = true;
      console.warn('[parallax] started without apps/web/server.mjs: the client address is unknown, so per-address limits are off.');
    }
    return null;
  }
  const value = process.env.PARALLAX_TRUSTED_PROXIES;
  if (!trustedFromEnv || trustedFromEnv.value !== value) trustedFromEnv = { value, trusted: parseTrustedProxies(value) };
  return chooseClientAddress({
    peer: header(PEER_ADDRESS_HEADER),
    forwardedFor: header('x-forwarded-for'),
    trusted: trustedFromEnv.trusted,
  });
}
