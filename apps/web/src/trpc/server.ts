// Server-side tRPC for server components: a direct caller (no HTTP) sharing the
// request's session, memoized per request with React's cache.
import { appRouter } from '@parallax/api';
import { cache } from 'react';
import { createRequestContext } from '~/server/api-context.ts';

const createContextOnce = cache(createRequestContext);

export const api = appRouter.createCaller(createContextOnce);
