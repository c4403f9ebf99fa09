// npm start — the whole product on embedded defaults (see README).
import { boot, loadDotEnv, log } from './boot.mjs';

loadDotEnv();
const dev = process.argv.includes('--dev');
const up = await boot({ dev });
if (up) {
  log(`Parallax is up in ${up.seconds} s: ${up.url}`);
  log('demo sign-in: demo@parallax.dev / parallax-demo');
  log('Ctrl-C stops everything it started; data stays in .data/.');
}
