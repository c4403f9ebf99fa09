export { appRouter, createCaller, type AppRouter } from './root.ts';
export { createContext, type Context, type ContextOptions, type Provisioner, type FleetEngine } from './trpc.ts';
export { httpStatusOf } from './errors.ts';
export { receiveGitHubWebhook, type WebhookResponse } from './webhooks/github.ts';
export { handleTRPCRequest, type TRPCRequestOptions } from './trpc-http.ts';
export { findInputFault, type InputFault } from './storable-input.ts';
export { MAX_BATCH_CALLS, MAX_TRPC_BODY_BYTES } from './limits.ts';
