import { describe, expect, it } from 'vitest';
import { chooseClientAddress, clientIp, normalizeAddress, PEER_ADDRESS_HEADER, parseTrustedProxies } from './client-ip.ts';

const none = parseTrustedProxies(undefined);
const oneHop = parseTrustedProxies('1');

describe('the client address behind rate limits', () => {
  it('is the socket’s peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(chooseClientAddress({ peer: '203.0.113.4', forwardedFor: '198.51.100.1', trusted: none })).toBe('203.0.113.4');
    expect(chooseClientAddress({ peer: '203.0.113.4', forwardedFor: null, trusted: none })).toBe('203.0.113.4');
  });

  it('is unknown when the peer is unknown, rather than one bucket for everyone', () => {
    expect(chooseClientAddress({ peer: undefined, forwardedFor: '198.51.100.1', trusted: oneHop })).toBeNull();
    expect(chooseClientAddress({ peer: 'not-an-address', forwardedFor: '198.51.100.1', trusted: none })).toBeNull();
  });

  it('behind one trusted hop, is the right-most X-Forwarded-For entry, not what the client wrote before it', () => {
    expect(chooseClientAddress({ peer: '10.0.0.2', forwardedFor: '198.51.100.1, 203.0.113.9', trusted: oneHop })).toBe('203.0.113.9');
  });

  it('behind two trusted hops, skips the second proxy too', () => {
    const twoHops = parseTrustedProxies('2');
    expect(chooseClientAddress({ peer: '10.0.0.2', forwardedFor: 'spoofed, 203.0.113.9, 10.0.0.7', trusted: twoHops })).toBe('203.0.113.9');
  });

  it('with a list of proxies, is the right-most address not on the list', () => {
    const list = parseTrustedProxies('10.0.0.0/8, 192.168.1.1, ::1');
    expect(chooseClientAddress({ peer: '::1', forwardedFor: '198.51.100.1, 203.0.113.9, 10.2.3.4', trusted: list })).toBe('203.0.113.9');
    expect(chooseClientAddress({ peer: '203.0.113.50', forwardedFor: '198.51.100.1', trusted: list })).toBe('203.0.113.50');
  });

  it('stops at the trusted proxy when what it forwarded is missing or not an address', () => {
    expect(chooseClientAddress({ peer: '10.0.0.2', forwardedFor: '', trusted: oneHop })).toBe('10.0.0.2');
    expect(chooseClientAddress({ peer: '10.0.0.2', forwardedFor: '203.0.113.9, <script>', trusted: oneHop })).toBe('10.0.0.2');
  });

  it('reads addresses as proxies write them', () => {
    expect(normalizeAddress('::ffff:203.0.113.4')).toBe('203.0.113.4');
    expect(normalizeAddress('203.0.113.4:51234')).toBe('203.0.113.4');
    expect(normalizeAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normalizeAddress('unknown')).toBeNull();
    expect(normalizeAddress('')).toBeNull();
  });

  it('refuses a trusted-proxy setting it cannot read instead of guessing', () => {
    expect(parseTrustedProxies('0')).toEqual({ kind: 'none' });
    expect(parseTrustedProxies(' off ')).toEqual({ kind: 'none' });
    expect(() => parseTrustedProxies('10.0.0.0/')).toThrow(/PARALLAX_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/PARALLAX_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies('loadbalancer')).toThrow(/PARALLAX_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies('99')).toThrow(/PARALLAX_TRUSTED_PROXIES/);
  });
});

describe('reading the address from a request', () => {
  const headers = (values: Record<string, string>) => (name: string) => values[name];

  it('trusts the peer header only when our server wrote it, since a client can send one too', () => {
    const request = headers({ [PEER_ADDRESS_HEADER]: '203.0.113.4', 'x-forwarded-for': '198.51.100.1' });
    const saved = process.env.PARALLAX_PEER_ADDRESS_HEADER;
    const savedProxies = process.env.PARALLAX_TRUSTED_PROXIES;
    try {
      delete process.env.PARALLAX_TRUSTED_PROXIES;
      delete process.env.PARALLAX_PEER_ADDRESS_HEADER;
      expect(clientIp(request)).toBeNull();
      process.env.PARALLAX_PEER_ADDRESS_HEADER = '1';
      expect(clientIp(request)).toBe('203.0.113.4');
    } finally {
      if (saved === undefined) delete process.env.PARALLAX_PEER_ADDRESS_HEADER;
      else process.env.PARALLAX_PEER_ADDRESS_HEADER = saved;
      if (savedProxies !== undefined) process.env.PARALLAX_TRUSTED_PROXIES = savedProxies;
    }
  });
});
