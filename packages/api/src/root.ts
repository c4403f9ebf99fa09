// The one place routers are registered.
import { agentSecretRouter } from './routers/agent-secret.ts';
import { apiTokenRouter } from './routers/api-token.ts';
import { auditRouter } from './routers/audit.ts';
import { authRouter } from './routers/auth.ts';
import { evidenceRouter } from './routers/evidence.ts';
import { integrationRouter } from './routers/integration.ts';
import { inviteRouter } from './routers/invite.ts';
import { memberRouter } from './routers/member.ts';
import { agentProfileRouter, repositoryRouter, slaPolicyRouter } from './routers/fleet-settings.ts';
import { orgRouter } from './routers/org.ts';
import { reportRouter } from './routers/report.ts';
import { parallelRouter } from './routers/parallel.ts';
import { scheduleRouter } from './routers/schedule.ts';
import { securityRouter } from './routers/security.ts';
import { sessionRouter } from './routers/session.ts';
import { teamRouter } from './routers/team.ts';
import { varianceRouter } from './routers/variance.ts';
import { viewerRouter } from './routers/viewer.ts';
import { createCallerFactory, createTRPCRouter } from './trpc.ts';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  viewer: viewerRouter,
  org: orgRouter,
  member: memberRouter,
  invite: inviteRouter,
  team: teamRouter,
  apiToken: apiTokenRouter,
  audit: auditRouter,
  session: sessionRouter,
  repository: repositoryRouter,
  agentProfile: agentProfileRouter,
  slaPolicy: slaPolicyRouter,
  schedule: scheduleRouter,
  integration: integrationRouter,
  agentSecret: agentSecretRouter,
  security: securityRouter,
  evidence: evidenceRouter,
  report: reportRouter,
  variance: varianceRouter,
  parallel: parallelRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
