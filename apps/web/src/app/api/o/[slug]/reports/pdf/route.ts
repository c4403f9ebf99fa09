// GET /api/o/<slug>/reports/pdf?from&to&team&repo: the maturity report as a PDF, printed on the
// server by headless Chromium from the report's print view with the requester's own session.
// It lives under /api so that a signed-out request is answered 401 (pages redirect to sign-in)
// and carries the API's CSP. The scope is checked here first, through the same procedure the
// page calls, so bad input is a 400 and another org's slug, team or repository a 404 before
// any browser is involved.
import { dayOf } from '@parallax/metrics';
import { ZEvidenceScope } from '@parallax/evidence';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { getBrowserSession } from '~/server/auth.ts';
import { PdfExportError } from '~/server/chromium.ts';
import { escapeHtml, renderPdf } from '~/server/pdf.ts';
import { api } from '~/trpc/server.ts';

export const dynamic = 'force-dynamic';

const ZQuery = z.object({
  from: ZEvidenceScope.shape.from.optional(),
  to: ZEvidenceScope.shape.to.optional(),
  team: ZEvidenceScope.shape.teamId,
  repo: ZEvidenceScope.shape.repositoryId,
});
const ZSlug = z.string().min(1).max(64);
/** The report page's default period. */
const DEFAULT_DAYS = 90;

const problem = (status: number, error: string) => Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store' } });

const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export async function GET(req: Request, props: { params: Promise<{ slug: string }> }) {
  if (!(await getBrowserSession())) return problem(401, 'Sign in to download the report.');
  const slug = ZSlug.safeParse((await props.params).slug);
  const url = new URL(req.url);
  const query = ZQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    return problem(400, query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  let membership: { orgId: string; slug: string; name: string } | undefined;
  let report: Awaited<ReturnType<typeof api.report.maturity>>;
  try {
    const me = await api.viewer.me();
    // Another org's slug reads exactly like one that does not exist.
    membership = slug.success ? me.memberships.find((m) => m.slug === slug.data) : undefined;
    if (!membership) return problem(404, 'Organization not found');
    const { timeZone } = await api.org.get({ orgId: membership.orgId });
    const to = query.data.to ?? dayOf(Date.now(), timeZone);
    const from = query.data.from ?? shiftDay(to, -(DEFAULT_DAYS - 1));
    report = await api.report.maturity({
      orgId: membership.orgId,
      from,
      to,
      ...(query.data.team ? { teamId: query.data.team } : {}),
      ...(query.data.repo ? { repositoryId: query.data.repo } : {}),
    });
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR')
      return problem(getHTTPStatusCodeFromError(error), error.message);
    throw error;
  }

  const { from, to, timeZone } = report.scope;
  const print = new URLSearchParams({ from, to });
  if (query.data.team) print.set('team', query.data.team);
  if (query.data.repo) print.set('repo', query.data.repo);
  const scopeText = [membership.name, `${from} to ${to}`, report.scope.repositoryName].filter(Boolean).join(' · ');
  const small =
    'font-size:8px;color:#5c6675;width:100%;padding:0 12mm;font-family:system-ui,sans-serif;display:flex;justify-content:space-between';
  try {
    const pdf = await renderPdf({
      path: `/o/${membership.slug}/reports/print?${print}`,
      cookie: req.headers.get('cookie') ?? '',
      headerTemplate: `<div style="${small}"><span>Parallax maturity report · ${escapeHtml(scopeText)}</span><span>days in ${escapeHtml(timeZone)}</span></div>`,
      footerTemplate: `<div style="${small}"><span>Generated ${escapeHtml(new Date(report.generatedAt).toISOString().slice(0, 16).replace('T', ' '))} UTC</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    });
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="parallax-maturity-${membership.slug}-${from}-${to}.pdf"`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof PdfExportError) return problem(error.status, error.message);
    throw error;
  }
}
