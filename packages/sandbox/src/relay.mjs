// Runs inside the sandbox, before the command: the sandbox has a network namespace of
// its own with only a loopback, so this relays each 127.0.0.1:<port> to a Unix socket
// bound in from the worker (the egress proxy; the session's database), then runs the
// command and exits as it does. When it exits, the sandbox's PID namespace ends, and
// everything the command left running with it. Plain JavaScript: it runs on the
// system's node without the project's toolchain.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

const [spec, ...command] = process.argv.slice(2);
let forwards;
try {
  forwards = JSON.parse(spec ?? '');
} catch {
  forwards = null;
}
if (!Array.isArray(forwards) || command.length === 0) {
  process.stderr.write("usage: relay.mjs '[[PORT, SOCKET], …]' COMMAND [ARGS…]\n");
  process.exit(2);
}

function listen([port, socketPath]) {
  const server = createServer((inside) => {
    const outside = connect(socketPath);
    inside.pipe(outside);
    outside.pipe(inside);
    inside.on('error', () => outside.destroy());
    outside.on('error', () => inside.destroy());
  });
  return new Promise((resolve) => {
    server.on('error', (err) => {
      process.stderr.write(`parallax sandbox: the relay for port ${port} failed: ${err.message}\n`);
      process.exit(70);
    });
    server.listen(port, '127.0.0.1', resolve);
  });
}

await Promise.all(forwards.map(listen));
const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  process.stderr.write(`parallax sandbox: cannot run ${command[0]}: ${err.message}\n`);
  process.exit(err.code === 'ENOENT' ? 127 : 126);
});
child.on('exit', (code, signal) => {
  const numbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6, SIGPIPE: 13 };
  process.exit(code ?? 128 + (numbers[signal] ?? 0));
});
