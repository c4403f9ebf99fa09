// Which Chromium the server prints PDFs with: PARALLAX_CHROMIUM if set, else the first of the
// usual names on PATH. Playwright never downloads a browser here; without one, PDF export is
// unavailable (503), and the rest of the app is unaffected.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

/** A render the server cannot do (503: no browser) or did not finish in time (504). */
export class PdfExportError extends Error {
  constructor(
    readonly status: 503 | 504,
    message: string,
  ) {
    super(message);
    this.name = 'PdfExportError';
  }
}

export const NO_CHROMIUM = 'PDF export needs Chromium on the web server: install it or set PARALLAX_CHROMIUM';

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The browser binary to launch, or a PdfExportError(503) saying how to get one. */
export function resolveChromium(env: Record<string, string | undefined> = process.env): string {
  const configured = env.PARALLAX_CHROMIUM?.trim();
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    // The path stays in the server's log: it is the operator's business, not the requester's.
    console.error(`[pdf] PARALLAX_CHROMIUM=${configured} is not an executable file`);
    throw new PdfExportError(503, `${NO_CHROMIUM} (PARALLAX_CHROMIUM names no executable file).`);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of CHROMIUM_NAMES) {
      // Not a file of this project: tell the bundler not to trace it.
      const candidate = path.join(/*turbopackIgnore: true*/ dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new PdfExportError(503, `${NO_CHROMIUM} (none of ${CHROMIUM_NAMES.join(', ')} is on PATH).`);
}
