#!/usr/bin/env node
// plx runs its TypeScript sources directly (the repository has no build step): register
// tsx's loader in this process, then load the real entry point.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  console.error('plx: the tsx package is missing; run `npm install` at the root of the Parallax repository.');
  process.exit(1);
}
register();
await import('../src/main.ts');
