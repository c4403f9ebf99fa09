// The sandbox's only way out: an HTTP proxy (CONNECT for TLS, absolute URLs for plain
// HTTP) on a Unix socket that only this session's sandbox has bound. It lets through the
// hosts of the agent's profile and nothing else, and resolves names itself so that an
// allowed name that resolves to the worker's loopback or a private network is refused.
import { lookup } from 'node:dns/promises';
import { rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { type AllowedHost, HOST_LOOPBACK_ALIAS, isInternalAddress, matchesAllowedHost } from './allowed-hosts.ts';

export interface EgressProxyOptions {
  socketPath: string;
  /** The org's list (public hosts only: parseAllowedHost refuses the rest). */
  allowed: readonly AllowedHost[];
  /** The operator's: ports of services on the worker's loopback reachable as host.parallax.internal:<port>. */
  hostServicePorts?: readonly number[];
  /** Each refused connection, for the session log. */
  onRefused?: (target: string, reason: string) => void;
  /** Connections to the outside open at once; more are refused (a loop must not exhaust the worker's sockets). Default 128. */
  maxConnections?: number;
}

const MAX_CONNECTIONS = 128;
/** An upstream that does not answer the TCP handshake in this time is given up on. */
const CONNECT_TIMEOUT_MS = 15_000;

export interface EgressProxy {
  readonly socketPath: string;
  close(): Promise<void>;
}

type Decision = { ok: true; address: string } | { ok: false; reason: string };

async function decide(options: EgressProxyOptions, host: string, port: number): Promise<Decision> {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === HOST_LOOPBACK_ALIAS) {
    return options.hostServicePorts?.includes(port)
      ? { ok: true, address: '127.0.0.1' }
      : { ok: false, reason: 'not a service the operator opened to agents' };
  }
  const entry = matchesAllowedHost(options.allowed, name, port);
  if (!entry) return { ok: false, reason: 'not in the agent profile’s allowed hosts' };
  if (isIP(name)) return isInternalAddress(name) ? { ok: false, reason: 'an internal address' } : { ok: true, address: name };
  try {
    const { address } = await lookup(name);
    if (isInternalAddress(address)) return { ok: false, reason: `resolves to an internal address (${address})` };
    return { ok: true, address };
  } catch {
    return { ok: false, reason: 'does not resolve' };
  }
}

function parseAuthority(authority: string, defaultPort: number): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return null;
  return { host: match[1]!, port: match[2] ? Number(match[2]) : defaultPort };
}

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  // The target is the agent's text: keep it printable and short, and do not let a loop flood the log.
  let refusals = 0;
  const refuse = (target: string, reason: string) => {
    refusals += 1;
    if (refusals > 100) return;
    const shown = target.replace(/[^\x21-\x7e]/g, '?').slice(0, 200);
    options.onRefused?.(refusals === 100 ? `${shown} (and from now on no more are logged)` : shown, reason);
  };
  const sockets = new Set<Socket>();
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  let upstreams = 0;
  const tooMany = () => upstreams >= maxConnections;
  const TOO_MANY = `too many connections at once (at most ${maxConnections})`;

  const server: Server = createServer(async (req, res) => {
    // Plain HTTP through a proxy: the request line carries the absolute URL.
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('parallax sandbox: only proxy requests with an absolute URL\n');
      return;
    }
    if (url.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('parallax sandbox: use CONNECT for https\n');
      return;
    }
    const port = Number(url.port || 80);
    const target = `${url.hostname}:${port}`;
    const decision = tooMany() ? ({ ok: false, reason: TOO_MANY } as const) : await decide(options, url.hostname, port);
    if (!decision.ok) {
      refuse(target, decision.reason);
      res
        .writeHead(decision.reason === TOO_MANY ? 429 : 403, { 'content-type': 'text/plain' })
        .end(`parallax sandbox: ${target} refused: ${decision.reason}\n`);
      return;
    }
    upstreams++;
    const upstream = httpRequest(
      {
        host: decision.address,
        port,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: { ...withoutHopHeaders(req), host: url.host },
        setHost: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('close', () => upstreams--);
    // Only the handshake is timed: a model may stream its answer with long pauses.
    upstream.once('socket', (socket) => {
      const timer = setTimeout(() => upstream.destroy(new Error('no connection in time')), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`parallax sandbox: ${target} failed: ${err.message}\n`);
    });
    req.pipe(upstream);
  });

  server.on('connect', async (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => {});
    const authority = parseAuthority(req.url ?? '', 443);
    if (!authority) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const target = `${authority.host}:${authority.port}`;
    const decision = tooMany() ? ({ ok: false, reason: TOO_MANY } as const) : await decide(options, authority.host, authority.port);
    if (!decision.ok) {
      refuse(target, decision.reason);
      const status = decision.reason === TOO_MANY ? '429 Too Many Requests' : '403 Forbidden';
      client.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\n\r\nparallax sandbox: ${target} refused: ${decision.reason}\n`);
      return;
    }
    upstreams++;
    const upstream = connect({ port: authority.port, host: decision.address, timeout: CONNECT_TIMEOUT_MS }, () => {
      upstream.setTimeout(0); // the handshake is done; an idle tunnel is the agent's business
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('timeout', () => upstream.destroy());
    upstream.once('close', () => {
      upstreams--;
      sockets.delete(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });

  await rm(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });
  return {
    socketPath: options.socketPath,
    async close() {
      for (const socket of sockets) socket.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rm(options.socketPath, { force: true });
    },
  };
}

const HOP_HEADERS = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade']);

function withoutHopHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
  return headers;
}
