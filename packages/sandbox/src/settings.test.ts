// The operator's sandbox settings: a worker misconfigured refuses to start, naming the variable.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './cgroups.ts';
import { sandboxSettingsFromEnv } from './sandbox.ts';

describe('sandboxSettingsFromEnv', () => {
  it('defaults to the bubblewrap sandbox with the default limits', () => {
    expect(sandboxSettingsFromEnv({})).toEqual({ mode: 'bubblewrap', toolchains: [], hostServicePorts: [], limits: DEFAULT_LIMITS });
  });

  it('reads toolchains, host ports, memory and CPUs', () => {
    const settings = sandboxSettingsFromEnv({
      PARALLAX_SANDBOX: 'off',
      PARALLAX_SANDBOX_TOOLCHAINS: '/opt/node:/opt/python',
      PARALLAX_SANDBOX_HOST_PORTS: '8080, 11434',
      PARALLAX_SANDBOX_MEMORY: '1.5g',
      PARALLAX_SANDBOX_CPUS: '0.5',
    });
    expect(settings).toEqual({
      mode: 'unsandboxed',
      toolchains: ['/opt/node', '/opt/python'],
      hostServicePorts: [8080, 11434],
      limits: { memoryBytes: 1.5 * 1024 ** 3, cpus: 0.5 },
    });
    expect(sandboxSettingsFromEnv({ PARALLAX_SANDBOX_MEMORY: '512m' }).limits?.memoryBytes).toBe(512 * 1024 ** 2);
    expect(sandboxSettingsFromEnv({ PARALLAX_SANDBOX_MEMORY: '2GiB' }).limits?.memoryBytes).toBe(2 * 1024 ** 3);
  });

  it('refuses what it cannot read, naming the variable', () => {
    expect(() => sandboxSettingsFromEnv({ PARALLAX_SANDBOX: 'maybe' })).toThrow(/PARALLAX_SANDBOX must be/);
    expect(() => sandboxSettingsFromEnv({ PARALLAX_SANDBOX_TOOLCHAINS: 'relative/dir' })).toThrow(/not an absolute folder/);
    expect(() => sandboxSettingsFromEnv({ PARALLAX_SANDBOX_HOST_PORTS: '70000' })).toThrow(/not a port/);
    expect(() => sandboxSettingsFromEnv({ PARALLAX_SANDBOX_MEMORY: 'lots' })).toThrow(/^PARALLAX_SANDBOX_MEMORY: not an amount of memory/);
    expect(() => sandboxSettingsFromEnv({ PARALLAX_SANDBOX_MEMORY: '10m' })).toThrow(/at least 64m/);
    expect(() => sandboxSettingsFromEnv({ PARALLAX_SANDBOX_CPUS: '0' })).toThrow(/^PARALLAX_SANDBOX_CPUS: not a number of CPUs/);
  });
});
