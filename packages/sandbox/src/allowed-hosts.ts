// Which hosts an agent's sandbox may reach, as its profile lists them. An entry is a
// host name (`api.anthropic.com`), a wildcard for its subdomains (`*.openai.com`), an IP
// literal, or any of these with `:port`. Without a port only 443 and 80 are allowed:
// an agent that may reach a model API has no business with its SSH or database ports.
import { isIP } from 'node:net';
import { z } from 'zod';

/** Names a service on the worker's own loopback (a self-hosted model gateway); it must carry a port. */
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
  if (host === HOST_LOOPBACK_ALIAS && port === null) {
    throw new Error(`"${entry}" must name the port of the service on the worker's loopback (${HOST_LOOPBACK_ALIAS}:<port>)`);
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
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe8') || v6.startsWith('ff');
}
