import { appRouter } from '@parallax/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createRequestContext } from '~/server/api-context.ts';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: createRequestContext,
    onError:
      process.env.NODE_ENV === 'development'
        ? ({ path, error }) => console.error(`tRPC failed on ${path ?? '<no-path>'}: ${error.message}`)
        : undefined,
  });
}

export { handler as GET, handler as POST };
