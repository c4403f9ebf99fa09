export { HOST_LOOPBACK_ALIAS, parseAllowedHost, ZAllowedHosts } from './allowed-hosts.ts';
export {
  openSandbox,
  type Sandbox,
  type SandboxCommand,
  type SandboxedProcess,
  type SandboxMode,
  type SandboxOptions,
  SandboxUnavailableError,
  sandboxModeFromEnv,
  unsandboxed,
} from './sandbox.ts';
