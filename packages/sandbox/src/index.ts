export { HOST_LOOPBACK_ALIAS, parseAllowedHost, ZAllowedHosts } from './allowed-hosts.ts';
export { DEFAULT_LIMITS, type ResourceLimits } from './cgroups.ts';
export {
  openSandbox,
  type Sandbox,
  type SandboxCommand,
  type SandboxedProcess,
  type SandboxMode,
  type SandboxOptions,
  SandboxUnavailableError,
  sandboxModeFromEnv,
  type SandboxSettings,
  sandboxSettingsFromEnv,
  unsandboxed,
} from './sandbox.ts';
