import { describe, expect, it } from 'vitest';
import { isInternalAddress, matchesAllowedHost, parseAllowedHost, ZAllowedHosts } from './allowed-hosts.ts';

describe('an agent profile’s allowed hosts', () => {
  it('takes public names, wildcards, IP literals and ports', () => {
    expect(parseAllowedHost('API.Anthropic.com')).toEqual({ host: 'api.anthropic.com', port: null });
    expect(parseAllowedHost('*.openai.com:443')).toEqual({ host: '*.openai.com', port: 443 });
    expect(parseAllowedHost('[2606:4700::1111]:8443')).toEqual({ host: '2606:4700::1111', port: 8443 });
    expect(parseAllowedHost('8.8.8.8')).toEqual({ host: '8.8.8.8', port: null });
  });

  it('refuses anything on the worker’s own network, by name or by address', () => {
    for (const entry of [
      '127.0.0.1:5433',
      '[::1]:5433',
      '::ffff:127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '192.168.1.10:3000',
      'localhost:3000',
      'host.parallax.internal:7233',
      'metadata.google.internal',
      '*.internal:7233',
      '*.com',
      'exa mple.com',
      'example.com:99999',
    ]) {
      expect(() => parseAllowedHost(entry), entry).toThrow();
    }
  });

  it('lets a name through on 443 and 80 only, unless a port is named', () => {
    const allowed = ['api.anthropic.com', '*.openai.com', 'models.example.com:8443'].map(parseAllowedHost);
    expect(matchesAllowedHost(allowed, 'api.anthropic.com', 443)).not.toBeNull();
    expect(matchesAllowedHost(allowed, 'api.anthropic.com', 22)).toBeNull();
    expect(matchesAllowedHost(allowed, 'chat.openai.com', 443)).not.toBeNull();
    expect(matchesAllowedHost(allowed, 'openai.com', 443)).toBeNull();
    expect(matchesAllowedHost(allowed, 'evilopenai.com', 443)).toBeNull();
    expect(matchesAllowedHost(allowed, 'models.example.com', 8443)).not.toBeNull();
    expect(matchesAllowedHost(allowed, 'models.example.com', 443)).toBeNull();
    expect(matchesAllowedHost(allowed, 'host.parallax.internal', 443)).toBeNull();
  });

  it('knows internal addresses in every spelling', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '198.18.0.1']) {
      expect(isInternalAddress(a), a).toBe(true);
    }
    for (const a of [
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      'fe80::1',
      'fec0::1',
      'fd00::1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
    ]) {
      expect(isInternalAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isInternalAddress(a), a).toBe(false);
  });

  it('validates a whole list for the settings form, naming the bad entry', () => {
    const parsed = ZAllowedHosts.safeParse(['api.anthropic.com', '127.0.0.1:5433']);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([1]);
    expect(ZAllowedHosts.parse([' API.anthropic.com ', 'api.anthropic.com'])).toEqual(['api.anthropic.com']);
  });
});
