// Runs the embedded database as its own process (npm start supervises it):
// PGlite with its data under --data-dir, served on the Unix socket --socket-dir/.s.PGSQL.<--port>
// (or, without --socket-dir, on 127.0.0.1:--port).
import { parseArgs } from 'node:util';
import { startEmbeddedDatabase } from '../embedded.ts';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'socket-dir': { type: 'string' }, port: { type: 'string', default: '5433' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port, got "${values.port}"`);
  process.exit(2);
}
const db = await startEmbeddedDatabase({ dataDir: values['data-dir'], socketDir: values['socket-dir'], port }).catch((error: unknown) => {
  console.error(`embedded database could not start on port ${port}: ${String(error)}`);
  process.exit(1);
});
console.log(`ready ${db.url}`);
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // Closing PGlite flushes its data directory; a hard kill could lose the last writes.
  await db.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
