// Server-side tRPC for server components: a direct caller (no HTTP) with the request's
// session, its context built once per request (React's cache).
import { createCaller } from '@parallax/api';
import { cache } from 'react';
import { createRequestContext } from '~/server/api-context.ts';

export const api = createCaller(cache(createRequestContext));
