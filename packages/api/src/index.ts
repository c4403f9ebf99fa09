export { appRouter, createCaller, type AppRouter } from './root.ts';
export { createContext, type Context, type ContextOptions, type Provisioner, type FleetEngine } from './trpc.ts';
export { httpStatusOf } from './errors.ts';
export { receiveGitHubWebhook, type WebhookResponse } from './webhooks/github.ts';
