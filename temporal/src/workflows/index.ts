// The workflow bundle's entry point (workflowsPath): every workflow the worker runs.
export * from './provision-org.ts';
export * from './agent-session.ts';
export * from './scheduled-dispatch.ts';
