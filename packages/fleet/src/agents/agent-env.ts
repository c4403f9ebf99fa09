// The environment an agent runs with is an allowlist, never the worker's minus a
// denylist: a variable the worker gains later (a new secret, a cloud credential) must
// not reach code we did not write by default. It holds PATH, the locale, and what the
// session gives it: its ports, its own database, the secrets its profile names.

const FROM_WORKER = ['PATH', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TERM'];
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

export function buildAgentEnv(workerEnv: NodeJS.ProcessEnv, sessionEnv: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH };
  for (const name of FROM_WORKER) {
    const value = workerEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...sessionEnv };
}
