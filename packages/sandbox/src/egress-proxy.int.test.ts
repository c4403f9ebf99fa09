// The egress proxy under a flood: connections to the outside are capped per sandbox, and
// the cap frees up as connections close.
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EgressProxy, startEgressProxy } from './egress-proxy.ts';

let dir: string;
let service: Server;
let port: number;
let proxy: EgressProxy;
const refused: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'parallax-egress-'));
  service = createServer((socket) => socket.on('data', (d) => socket.write(d))); // echoes
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
  port = (service.address() as AddressInfo).port;
  proxy = await startEgressProxy({
    socketPath: path.join(dir, 'egress.sock'),
    allowed: [],
    hostServicePorts: [port],
    maxConnections: 2,
    onRefused: (target, reason) => refused.push(`${target} ${reason}`),
  });
});

afterAll(async () => {
  await proxy?.close();
  service?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A CONNECT through the proxy: its status line, and the tunnel when it was let through. */
function tunnel(): Promise<{ status: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxy.socketPath, () => socket.write(`CONNECT host.parallax.internal:${port} HTTP/1.1\r\n\r\n`));
    socket.once('data', (chunk) => resolve({ status: chunk.toString().split('\r\n')[0]!, socket }));
    socket.once('error', reject);
  });
}

describe('the egress proxy', () => {
  it('refuses connections over its cap with 429, and lets one through again once another closes', async () => {
    const first = await tunnel();
    const second = await tunnel();
    expect([first.status, second.status]).toEqual(['HTTP/1.1 200 Connection Established', 'HTTP/1.1 200 Connection Established']);

    const third = await tunnel();
    expect(third.status).toBe('HTTP/1.1 429 Too Many Requests');
    expect(refused).toEqual([`host.parallax.internal:${port} too many connections at once (at most 2)`]);

    first.socket.destroy();
    // The proxy hears of the close asynchronously: ask again until it has.
    let fourth = await tunnel();
    for (let tries = 0; fourth.status !== 'HTTP/1.1 200 Connection Established' && tries < 100; tries++) {
      fourth.socket.destroy();
      await new Promise((r) => setTimeout(r, 50));
      fourth = await tunnel();
    }
    expect(fourth.status).toBe('HTTP/1.1 200 Connection Established');
    // The tunnel carries bytes both ways.
    const echoed = new Promise((resolve) => fourth.socket.once('data', (d) => resolve(d.toString())));
    fourth.socket.write('ping');
    expect(await echoed).toBe('ping');
    for (const t of [second, third, fourth]) t.socket.destroy();
  });
});
