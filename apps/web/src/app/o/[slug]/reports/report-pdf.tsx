'use client';

// The report's PDF: the button that asks the server for one (it prints the report's print view
// in headless Chromium), and the print view's readiness marker the server waits for.
import { useEffect, useState } from 'react';
import { useOrg } from '~/components/org-context.tsx';
import type { EvidenceScopeInput } from '~/components/evidence/scope-bar.tsx';

/** The file name from Content-Disposition, or a fallback. */
function fileNameOf(response: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
}

/** Fetches the PDF of the report as scoped and hands it to the browser as a download. */
export function useDownloadPdf(input: EvidenceScopeInput | null) {
  const { slug } = useOrg();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    if (!input) return;
    setBusy(true);
    setError(null);
    try {
      const q = new URLSearchParams({ from: input.from, to: input.to });
      if (input.teamId) q.set('team', input.teamId);
      if (input.repositoryId) q.set('repo', input.repositoryId);
      const response = await fetch(`/api/o/${encodeURIComponent(slug)}/reports/pdf?${q}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        setError(body?.error ?? `The PDF could not be made (HTTP ${response.status}).`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = fileNameOf(response, `parallax-maturity-${slug}.pdf`);
      document.body.append(a);
      a.click();
      a.remove();
      // The click has handed the blob to the download; a moment later it can go.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setError('The PDF could not be downloaded: check the connection and try again.');
    } finally {
      setBusy(false);
    }
  };
  return { download, busy, error };
}

/**
 * The print view's marker: 'ready' once the data is in, fonts are loaded and every chart has
 * drawn its svg (or its empty state), so the server prints a finished page, never after a sleep.
 */
export function useReportReady(loaded: boolean, failed: boolean): 'ready' | 'error' | null {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!loaded) return;
    let frame = 0;
    let stopped = false;
    const check = () => {
      if (stopped) return;
      const charts = [...document.querySelectorAll('.report-chart')];
      if (charts.every((c) => c.querySelector('svg.recharts-surface, .empty'))) setReady(true);
      else frame = requestAnimationFrame(check);
    };
    void document.fonts.ready.then(() => {
      frame = requestAnimationFrame(check);
    });
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
    };
  }, [loaded]);
  if (failed) return 'error';
  return ready ? 'ready' : null;
}
