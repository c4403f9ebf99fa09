// Server-side PDFs of app pages: one headless Chromium kept warm, at most two renders at a
// time (the rest wait their turn), each under a deadline. The page is printed as the requester
// sees it, with their own session cookie, so RLS and roles apply exactly as in their browser;
// the printing page may reach the web server's own origin and nothing else.
import { type Browser, chromium } from 'playwright-core';
import { PdfExportError, resolveChromium } from './chromium.ts';

export const MAX_PARALLEL_RENDERS = 2;
/** Renders that may wait for a turn; past that a request is refused at once rather than piling up. */
export const MAX_WAITING_RENDERS = 8;
export const RENDER_TIMEOUT_MS = 30_000;
/** A4 at 96 dpi less the side margins below: the screen layout the charts measure matches the printed one. */
const CONTENT_WIDTH_PX = Math.floor(((210 - 2 * 12) / 25.4) * 96);

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/**
 * Belt to the route interception's braces: no host but the own one resolves, so even a
 * redirect the interception does not see cannot reach anywhere else by name.
 */
const resolverRules = (origin: string) => `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${new URL(origin).hostname}`;

/** Where the server listens, as the printing page reaches it (never the Host header a client sent). */
export function ownOrigin(env: Record<string, string | undefined> = process.env): string {
  return env.PARALLAX_PDF_ORIGIN ? new URL(env.PARALLAX_PDF_ORIGIN).origin : `http://127.0.0.1:${Number(env.PORT ?? 3000)}`;
}

interface PdfState {
  browser: Promise<Browser> | null;
  running: number;
  /** Each returns false when its render has already given up (then the slot goes to the next). */
  waiting: (() => boolean)[];
  closeOnExit: boolean;
}
// On globalThis: Next may load this module more than once (dev reloads), and one browser is the point.
const holder = globalThis as { __parallaxPdf?: PdfState };
holder.__parallaxPdf ??= { browser: null, running: 0, waiting: [], closeOnExit: false };
const state: PdfState = holder.__parallaxPdf;

function browser(): Promise<Browser> {
  if (state.browser) return state.browser;
  const executablePath = resolveChromium();
  const launching = chromium.launch({ executablePath, args: [...LAUNCH_ARGS, resolverRules(ownOrigin())], headless: true });
  state.browser = launching;
  launching.then(
    (b) =>
      b.on('disconnected', () => {
        if (state.browser === launching) state.browser = null;
      }),
    () => {
      if (state.browser === launching) state.browser = null;
    },
  );
  if (!state.closeOnExit) {
    state.closeOnExit = true;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void closePdfBrowser());
  }
  return launching.catch((error: unknown) => {
    console.error('[pdf] Chromium did not start', error);
    throw new PdfExportError(503, 'PDF export is unavailable: Chromium did not start on the web server.');
  });
}

/** Closes the warm browser (on shutdown; the next render starts a new one). */
export async function closePdfBrowser(): Promise<void> {
  const current = state.browser;
  state.browser = null;
  if (current) await (await current.catch(() => null))?.close();
}

async function inTurn<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  if (state.running >= MAX_PARALLEL_RENDERS) {
    if (state.waiting.length >= MAX_WAITING_RENDERS) {
      throw new PdfExportError(503, 'The server is busy making other PDFs: try again in a minute.');
    }
    // A finished render hands its slot to the first waiter (running stays counted for it).
    let wake!: () => boolean;
    const handedOver = new Promise<boolean>((resolve) => {
      let settled = false;
      wake = () => {
        if (settled) return false;
        settled = true;
        resolve(true);
        return true;
      };
      setTimeout(
        () => {
          if (settled) return;
          settled = true;
          resolve(false);
        },
        Math.max(0, deadline - Date.now()),
      ).unref();
    });
    state.waiting.push(wake);
    if (!(await handedOver)) {
      state.waiting = state.waiting.filter((w) => w !== wake);
      throw timedOut();
    }
  } else {
    state.running++;
  }
  try {
    return await work();
  } finally {
    release();
  }
}

/** A render's slot goes to the first waiter still waiting, else it is free. */
function release(): void {
  for (let next = state.waiting.shift(); next; next = state.waiting.shift()) if (next()) return;
  state.running--;
}

const timedOut = () =>
  new PdfExportError(504, `The PDF took longer than ${RENDER_TIMEOUT_MS / 1000} s to render: try a shorter period, or again in a moment.`);

export interface PdfRequest {
  /** A path on the own origin, with its query: the print view of the page. */
  path: string;
  /** The requester's Cookie header, sent with the page's requests (to the own origin only). */
  cookie: string;
  headerTemplate: string;
  footerTemplate: string;
  timeoutMs?: number;
}

/**
 * Prints `path` to an A4 PDF once the page marks itself `data-report-ready` (data and charts
 * drawn). A page that marks `data-report-error` instead fails with its message.
 */
export async function renderPdf(request: PdfRequest): Promise<Buffer> {
  const deadline = Date.now() + (request.timeoutMs ?? RENDER_TIMEOUT_MS);
  const origin = ownOrigin();
  const b = await browser();
  return inTurn(deadline, async () => {
    const context = await b.newContext({
      viewport: { width: CONTENT_WIDTH_PX, height: 1100 },
      extraHTTPHeaders: { cookie: request.cookie },
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    try {
      await context.route('**/*', (route) =>
        new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient'),
      );
      await context.routeWebSocket(/.*/, (ws) => ws.close());
      const page = await context.newPage();
      page.setDefaultTimeout(Math.max(1, deadline - Date.now()));
      await page.emulateMedia({ media: 'print' });
      await page.goto(new URL(request.path, origin).toString(), { waitUntil: 'domcontentloaded' });
      const marker = await page.waitForSelector('[data-report-ready], [data-report-error]', { state: 'attached' });
      const failure = await marker.getAttribute('data-report-error');
      if (failure !== null) throw new Error(`the page reported: ${failure}`);
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: request.headerTemplate,
        footerTemplate: request.footerTemplate,
        margin: { top: '18mm', bottom: '16mm', left: '12mm', right: '12mm' },
        tagged: true,
        outline: true,
      });
    } catch (error) {
      if (error instanceof PdfExportError) throw error;
      if (Date.now() >= deadline || (error instanceof Error && error.name === 'TimeoutError')) throw timedOut();
      throw error;
    } finally {
      await context.close().catch(() => {});
    }
  });
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text for Chromium's header and footer templates, which are HTML. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
