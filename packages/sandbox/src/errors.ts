/** The sandbox cannot be set up on this worker (no bubblewrap, no user namespaces, an unreachable folder): the session fails with the reason. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}
