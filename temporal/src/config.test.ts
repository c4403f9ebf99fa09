import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemporalConfigError, connectionOptions, describeTemporalConfig, loadTemporalConfig } from './config.ts';

function pemFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), 'plx-tls-'));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  return { cert: file('client.pem', 'CERT'), key: file('client.key', 'KEY'), ca: file('ca.pem', 'CA'), dir };
}

function errorOf(env: Record<string, string>): string {
  try {
    loadTemporalConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(TemporalConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadTemporalConfig', () => {
  it('defaults to the local dev server, namespace default, plaintext', () => {
    const config = loadTemporalConfig({});
    expect(config).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
    expect(connectionOptions(config)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('accepts host names, IPv6 and Temporal Cloud addresses', () => {
    for (const address of [
      'temporal:7233',
      'temporal-frontend.temporal.svc.cluster.local:7233',
      '[::1]:7233',
      'acme.a1b2c.tmprl.cloud:7233',
    ]) {
      expect(loadTemporalConfig({ TEMPORAL_ADDRESS: address }).address).toBe(address);
    }
  });

  it('refuses an address with a scheme and says what it expects', () => {
    expect(errorOf({ TEMPORAL_ADDRESS: 'http://localhost:7233' })).toMatch(
      /TEMPORAL_ADDRESS: must be host:port without a scheme, e\.g\. 127\.0\.0\.1:7233/,
    );
  });

  it('refuses an address without a port or with a port out of range', () => {
    expect(errorOf({ TEMPORAL_ADDRESS: 'localhost' })).toMatch(/TEMPORAL_ADDRESS/);
    expect(errorOf({ TEMPORAL_ADDRESS: 'localhost:70000' })).toMatch(/TEMPORAL_ADDRESS/);
  });

  it('refuses a namespace with spaces', () => {
    expect(errorOf({ TEMPORAL_NAMESPACE: 'my namespace' })).toMatch(/TEMPORAL_NAMESPACE: must be a namespace name/);
  });

  it('names every bad variable at once', () => {
    const message = errorOf({ TEMPORAL_ADDRESS: 'grpc://x', TEMPORAL_NAMESPACE: 'a b', TEMPORAL_TLS: 'yes' });
    expect(message).toMatch(/^Invalid Temporal configuration:/);
    expect(message).toMatch(/TEMPORAL_ADDRESS/);
    expect(message).toMatch(/TEMPORAL_NAMESPACE/);
    expect(message).toMatch(/TEMPORAL_TLS/);
  });

  it('needs both halves of an mTLS key pair', () => {
    expect(errorOf({ TEMPORAL_TLS_CERT: pemFiles().cert })).toMatch(
      /TEMPORAL_TLS_KEY: mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/,
    );
    expect(errorOf({ TEMPORAL_TLS_KEY: pemFiles().key })).toMatch(/TEMPORAL_TLS_CERT: mTLS needs both/);
  });

  it('reads the mTLS files, the CA and the server name', () => {
    const pem = pemFiles();
    const config = loadTemporalConfig({
      TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'acme.a1b2c',
      TEMPORAL_TLS_CERT: pem.cert,
      TEMPORAL_TLS_KEY: pem.key,
      TEMPORAL_TLS_CA: pem.ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(config.tls?.clientCertPair && Buffer.from(config.tls.clientCertPair.crt).toString()).toBe('CERT');
    expect(config.tls?.clientCertPair && Buffer.from(config.tls.clientCertPair.key).toString()).toBe('KEY');
    expect(config.tls?.serverRootCACertificate && Buffer.from(config.tls.serverRootCACertificate).toString()).toBe('CA');
    expect(config.tls?.serverNameOverride).toBe('temporal.internal');
    expect(describeTemporalConfig(config)).toBe('acme.a1b2c.tmprl.cloud:7233 (namespace acme.a1b2c, mTLS, task queue parallax)');
  });

  it('says which file it cannot read', () => {
    const pem = pemFiles();
    const missing = path.join(pem.dir, 'nope.pem');
    expect(errorOf({ TEMPORAL_TLS_CERT: missing, TEMPORAL_TLS_KEY: pem.key })).toBe(
      `Invalid Temporal configuration: TEMPORAL_TLS_CERT: cannot read ${missing} (ENOENT)`,
    );
  });

  it('turns TLS on for an API key and keeps the key out of descriptions', () => {
    const config = loadTemporalConfig({
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'acme.a1b2c',
      TEMPORAL_API_KEY: 'secret-key',
    });
    expect(connectionOptions(config)).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', tls: {}, apiKey: 'secret-key' });
    expect(describeTemporalConfig(config)).not.toContain('secret-key');
  });

  it('turns plain server TLS on with TEMPORAL_TLS=true', () => {
    expect(loadTemporalConfig({ TEMPORAL_TLS: 'true' }).tls).toEqual({});
  });

  it('refuses an API key together with a client certificate, or with TLS switched off', () => {
    const pem = pemFiles();
    expect(errorOf({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT: pem.cert, TEMPORAL_TLS_KEY: pem.key })).toMatch(
      /TEMPORAL_API_KEY: choose one way to authenticate/,
    );
    expect(errorOf({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toMatch(/TEMPORAL_TLS: is false, but/);
  });

  it('treats empty variables as unset', () => {
    expect(loadTemporalConfig({ TEMPORAL_ADDRESS: '', TEMPORAL_API_KEY: '', TEMPORAL_TLS_CERT: ' ', TEMPORAL_TLS: '' })).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
    });
  });
});
