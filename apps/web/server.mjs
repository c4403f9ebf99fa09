// The web app's server: Next.js behind a plain node:http server, for one reason.
// Next does not tell route handlers the socket's address (request.ip is gone, and it
// copies the socket's address into X-Forwarded-For only when the client sent none),
// so rate limits keyed on it could be dodged by sending a new header each time. Here
// every request carries the socket's address in a header of our own, written over
// whatever the client sent; src/server/client-ip.ts reads it.
//   node apps/web/server.mjs [--dev] [--hostname <address>]   (PORT from the environment, default 3000)
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PEER_ADDRESS_HEADER = 'x-parallax-peer-address';
const dev = process.argv.includes('--dev');
const hostArg = process.argv.indexOf('--hostname');
/** Undefined listens on every interface, as `next start` does. */
const hostname = hostArg > 0 ? process.argv[hostArg + 1] : undefined;
const port = Number(process.env.PORT ?? 3000);
// `next start` and `next dev` set these themselves; a custom server must, before Next (and React) load.
process.env.NODE_ENV ??= dev ? 'development' : 'production';
// Tells client-ip.ts, in this same process, that the header is ours.
process.env.PARALLAX_PEER_ADDRESS_HEADER = '1';

const { default: next } = await import('next');
const app = next({ dev, dir: path.dirname(fileURLToPath(import.meta.url)), hostname: hostname ?? 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
  handle(req, res);
});
if (dev) server.on('upgrade', app.getUpgradeHandler());
server.listen(port, hostname, () => console.log(`> ${dev ? 'development' : 'production'} server on port ${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open; the supervisor waits 10 s at most.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
