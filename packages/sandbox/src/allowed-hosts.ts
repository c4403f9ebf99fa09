// Which hosts an agent's sandbox may reach, as its profile lists them. An entry is a
// host name (`api.anthropic.com`), a wildcard for its subdomains (`*.openai.com`), an IP
// literal, or any of these with `:port`. Without a port only 443 and 80 are allowed:
// an agent that may reach a model API has no business with its SSH or database ports.
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Names a service on the worker's own loopback (a self-hosted model gateway). Only the
 * operator opens one, by port, in the worker's configuration; no org's list can name it.
 */
export const HOST_LOOPBACK_ALIAS = 'host.parallax.internal';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const NAME = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)*${LABEL}$`);
const DEFAULT_PORTS = [443, 80];

export interface AllowedHost {
  /** Lower-cased name, IP literal (IPv6 without brackets), or `*.suffix`. */
  host: string;
  /** Null: the default web ports only. */
  port: number | null;
}

function splitHostPort(entry: string): { host: string; port: string | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? null };
  const colon = entry.lastIndexOf(':');
  // A bare IPv6 literal has several colons and no port.
  if (colon < 0 || entry.indexOf(':') !== colon) return { host: entry, port: null };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

export function parseAllowedHost(entry: string): AllowedHost {
  const { host: rawHost, port: rawPort } = splitHostPort(entry.trim().toLowerCase());
  const host = rawHost.replace(/\.$/, '');
  if (!host || (!isIP(host) && !NAME.test(host))) {
    throw new Error(`"${entry}" is not a host name, *.domain or IP address (optionally with :port)`);
  }
  let port: number | null = null;
  if (rawPort !== null) {
    port = Number(rawPort);
    if (!/^\d{1,5}$/.test(rawPort) || port < 1 || port > 65535) throw new Error(`"${entry}" has an invalid port`);
  }
  if (host === HOST_LOOPBACK_ALIAS || host.endsWith('.internal') || host === 'localhost' || host.endsWith('.localhost')) {
    throw new Error(`"${entry}" names the worker's own network; only the operator can open a service there`);
  }
  if (isIP(host) && isInternalAddress(host)) {
    throw new Error(`"${entry}" is a loopback, private or link-local address; agents may only reach public hosts`);
  }
  if (host.startsWith('*.') && !host.slice(2).includes('.')) {
    throw new Error(`"${entry}" is too wide: a wildcard must keep at least two labels (*.example.com)`);
  }
  return { host, port };
}

/** The profile's list as the settings form and the API take it: at most 50 entries, each valid. */
export const ZAllowedHosts = z
  .array(z.string().trim().min(1).max(260))
  .max(50, 'at most 50 allowed hosts')
  .superRefine((entries, ctx) => {
    for (const [index, entry] of entries.entries()) {
      try {
        parseAllowedHost(entry);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: [index], message: (err as Error).message });
      }
    }
  })
  .transform((entries) => [...new Set(entries.map((e) => e.trim().toLowerCase()))]);

export function matchesAllowedHost(allowed: readonly AllowedHost[], host: string, port: number): AllowedHost | null {
  const name = host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[(.*)\]$/, '$1');
  for (const entry of allowed) {
    const portOk = entry.port === null ? DEFAULT_PORTS.includes(port) : entry.port === port;
    if (!portOk) continue;
    if (entry.host.startsWith('*.')) {
      if (name.endsWith(entry.host.slice(1)) && name.length > entry.host.length - 1) return entry;
    } else if (entry.host === name) {
      return entry;
    }
  }
  return null;
}

/**
 * Addresses a named host may not resolve to: loopback, private, link-local and the like.
 * Without this a DNS answer (rebinding) could walk an allowed name onto the worker's own
 * services. An IP literal the admin listed is taken as meant.
 */
export function isInternalAddress(address: string): boolean {
  const text = address.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (isIP(text) === 4) return isInternalV4(text);
  if (isIP(text) !== 6) return true; // not an address: never treat it as public
  const words = expandV6(text);
  // IPv4-mapped, -compatible, NAT64 and 6to4 forms carry an IPv4 address that decides.
  const embedded = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (words.slice(0, 5).every((w) => w === 0) && (words[5] === 0xffff || words[5] === 0)) {
    if (words[5] === 0 && words[6] === 0 && (words[7] ?? 0) <= 1) return true; // :: and ::1
    return isInternalV4(embedded(words[6]!, words[7]!));
  }
  if (words[0] === 0x64 && words[1] === 0xff9b) return isInternalV4(embedded(words[6]!, words[7]!));
  if (words[0] === 0x2002) return isInternalV4(embedded(words[1]!, words[2]!));
  const first = words[0]!;
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0 || (first & 0xff00) === 0xff00;
}

function isInternalV4(v4: string): boolean {
  const [a = 0, b = 0] = v4.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** The eight 16-bit words of an IPv6 address (a trailing dotted IPv4 part included). */
function expandV6(text: string): number[] {
  let value = text.split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1]!.split('.').map(Number);
    value = `${value.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = value.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array(missing).fill('0'), ...right].map((w) => Number.parseInt(w || '0', 16));
}
