// Who is looking, for server components: the signed-in user and their orgs, read
// once per request. Pages that need a user call requireViewer; org pages call
// requireMembership, which also decides which org the slug in the URL names.
import type { AppRouter } from '@parallax/api';
import { TRPCError, type inferRouterOutputs } from '@trpc/server';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { api } from '~/trpc/server.ts';
import { getSessionUserId } from './auth.ts';

export type Viewer = inferRouterOutputs<AppRouter>['viewer']['me'];
export type Membership = Viewer['memberships'][number];

export const getViewer = cache(async (): Promise<Viewer | null> => {
  if (!(await getSessionUserId())) return null;
  try {
    return await api.viewer.me();
  } catch (error) {
    // A session whose user no longer exists (for example after the database was reset) counts as signed out.
    if (error instanceof TRPCError && (error.code === 'UNAUTHORIZED' || error.code === 'NOT_FOUND')) return null;
    throw error;
  }
});

export function signInUrl(callbackUrl: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl })}`;
}

export async function requireViewer(callbackUrl: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(signInUrl(callbackUrl));
  return viewer;
}

export async function requireMembership(slug: string, callbackUrl: string): Promise<{ viewer: Viewer; membership: Membership }> {
  const viewer = await requireViewer(callbackUrl);
  const membership = viewer.memberships.find((m) => m.slug === slug);
  // Another org's slug looks exactly like one that does not exist.
  if (!membership) notFound();
  return { viewer, membership };
}
