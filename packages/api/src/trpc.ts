// 1. Context · 2. Initialization and error shape · 3. Procedures.
// Routers are thin: validate, authorize, call one domain function. Authorization
// lives here, in the procedure builders, so no procedure has to remember it.
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { Database, Role, Tx } from '@parallax/db';
import type { ScheduleEngine } from '@parallax/fleet';
import { can, findMembership, type Permission } from '@parallax/tenancy';
import { describeZodError, fieldErrorsOf, INTERNAL_ERROR_MESSAGE, toTRPCError } from './errors.ts';
import { findInputFault, UnstorableInputError } from './storable-input.ts';

// ---------------------------------------------------------------- 1. context

/** Starts an org's provisioning workflow (implemented by @parallax/temporal). */
export interface Provisioner {
  provisionOrg(orgId: string): Promise<void>;
}

/** Starts and steers agent-session workflows and keeps schedules (implemented by @parallax/temporal). */
export interface FleetEngine extends ScheduleEngine {
  startSession(args: { workflowId: string; orgId: string; sessionId: string }): Promise<void>;
  intervene(workflowId: string, args: { interventionId: string; message: string; actorUserId: string | null }): Promise<void>;
  /** Resolves false when the workflow is gone (finished or never started). */
  cancel(workflowId: string, args: { actorUserId: string | null }): Promise<boolean>;
  /** The session's PR was merged or closed: its workflow records it now. False when the workflow is gone. */
  pullRequestChanged(workflowId: string): Promise<boolean>;
}

export interface ContextOptions {
  auth: { userId: string; browserSessionId?: string | null } | null;
  db: Database;
  provisioner: Provisioner;
  fleet: FleetEngine;
  /** Client address, for rate limits. */
  ip?: string | null;
}

export function createContext(options: ContextOptions) {
  return { ...options, ip: options.ip ?? null };
}
export type Context = ReturnType<typeof createContext>;

// ---------------------------------------------------------------- 2. initialization

export interface Meta {
  /** Reachable without a session. The isolation harness checks this list by name. */
  isPublic?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // What a client sees of an error. A 500 is our bug, never the caller's: its text
    // (Prisma's invocation, the database's codes) is logged here and replaced. Stacks
    // name our files and are never sent.
    errorFormatter({ shape, error, path }) {
      const { stack: _stack, ...data } = shape.data;
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`tRPC ${path ?? '<no path>'} failed:`, error.cause ?? error);
        return { ...shape, message: INTERNAL_ERROR_MESSAGE, data: { ...data, zodError: null } };
      }
      return { ...shape, data: { ...data, zodError: fieldErrorsOf(error.cause) } };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// ---------------------------------------------------------------- 3. procedures

/** Domain errors become tRPC errors once, here, by their code. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/**
 * Before anything else (the membership lookup included): strings PostgreSQL cannot
 * store are a BAD_REQUEST naming the field, for every procedure, public ones too.
 */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  const fault = findInputFault(await getRawInput());
  if (fault) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: fault.message, cause: new UnstorableInputError(fault) });
  }
  return next();
});

const procedure = t.procedure.use(refuseUnstorableInput).use(mapDomainErrors);

export const publicProcedure = procedure.meta({ isPublic: true });

export const protectedProcedure = procedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { ...ctx, auth: ctx.auth } });
});

const ZOrgInput = z.object({
  orgId: z
    .string({ message: 'Name the organization (its id)' })
    .min(1, { message: 'Name the organization (its id)' })
    .max(64, { message: 'Use at most 64 characters' }),
});

/**
 * For everything inside one org: the input's `orgId` must be an org the caller is a
 * member of (checked before the input is parsed, so no handler ever runs for an org
 * the caller does not belong to). The handler gets `ctx.tenant(tx => …)`, a
 * transaction under RLS for that org.
 */
export const orgProcedure = protectedProcedure.use(async ({ ctx, getRawInput, next }) => {
  const raw = ZOrgInput.safeParse(await getRawInput());
  if (!raw.success) throw new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(raw.error), cause: raw.error });
  const { orgId } = raw.data;
  const membership = await findMembership(ctx.db, { orgId, userId: ctx.auth.userId });
  if (!membership) throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not a member of this organization.' });
  const tenant = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.scoped({ orgId, userId: ctx.auth.userId }, work);
  return next({ ctx: { ...ctx, membership: { id: membership.id, orgId, role: membership.role as Role }, tenant } });
});

/** An org procedure that also needs a permission of the caller's role. */
export function orgProcedureWith(permission: Permission) {
  return orgProcedure.use(({ ctx, next }) => {
    if (!can(ctx.membership.role, permission)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `Your role (${ctx.membership.role}) cannot do this.` });
    }
    return next();
  });
}

export const ZOrgScoped = ZOrgInput;
