// Runs the session database server as its own process (npm start supervises it): a
// PostgreSQL cluster in --dir, kept across restarts. Prints `ready <admin url without its
// password>`: the password stays in --dir/password, out of the console and its logs.
import { parseArgs } from 'node:util';
import { startSessionServer } from '../session-server.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string', default: '5434' } } });
const port = Number(values.port);
if (!values.dir || !Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: session-server.ts --dir <folder> [--port <tcp port>]');
  process.exit(2);
}
const server = await startSessionServer({ dir: values.dir, port, durable: true }).catch((error: unknown) => {
  console.error(String(error instanceof Error ? error.message : error));
  process.exit(1);
});
const shown = new URL(server.adminUrl);
shown.password = '';
console.log(`ready ${shown}`);
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Stays up until told to stop: the server itself runs detached under pg_ctl.
setInterval(() => {}, 1 << 30);
