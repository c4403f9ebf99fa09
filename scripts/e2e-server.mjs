// The app for Playwright: a fresh embedded database in a temporary folder (nothing
// leaks between runs), its own Temporal dev server and worker, and a production build.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot, log } from './boot.mjs';

const port = Number(process.env.PORT ?? 3100);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parallax-e2e-'));
const up = await boot({ dataDir, webPort: port, dbPort: port + 2, temporalPort: port + 3, temporalUiPort: port + 4 });
if (up) log(`ready ${up.url}`);
