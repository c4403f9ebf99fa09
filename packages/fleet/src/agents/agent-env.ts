// The environment an agent runs with: the worker's, minus what is the worker's alone
// (the product database, Temporal, the auth secret, the forge's tokens), plus the
// session's (its ports, its schema's DATABASE_URL). An agent is code we did not write
// acting on a prompt we did not write: it gets no key to Parallax itself.

const WORKER_ONLY = new Set([
  'DATABASE_URL',
  'DIRECT_URL',
  'SHADOW_DATABASE_URL',
  'NEXTAUTH_SECRET',
  'NEXTAUTH_URL',
  'AUTH_SECRET',
  'GITHUB_ID',
  'GITHUB_SECRET',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'PLX_TOKEN',
]);
const WORKER_ONLY_PREFIXES = ['PARALLAX_', 'TEMPORAL_', 'GITHUB_APP_', 'PG'];

export function buildAgentEnv(workerEnv: NodeJS.ProcessEnv, sessionEnv: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(workerEnv)) {
    if (value === undefined || WORKER_ONLY.has(name) || WORKER_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    env[name] = value;
  }
  return { ...env, ...sessionEnv };
}
