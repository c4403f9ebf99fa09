import { handleTRPCRequest } from '@parallax/api';
import { createRequestContext } from '~/server/api-context.ts';

// The batch and body limits are checked in handleTRPCRequest, before anything is parsed.
function handler(req: Request) {
  return handleTRPCRequest(req, {
    endpoint: '/api/trpc',
    createContext: createRequestContext,
    onError:
      process.env.NODE_ENV === 'development'
        ? ({ path, error }) => console.error(`tRPC failed on ${path ?? '<no-path>'}: ${error.message}`)
        : undefined,
  });
}

export { handler as GET, handler as POST };
