import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { selfSignedCert } from './test/tls.js';

const dir = mkdtempSync(join(tmpdir(), 'opencmp-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tls = selfSignedCert(dir, 'a');
const other = selfSignedCert(dir, 'b');
const notPem = join(dir, 'not.pem');
writeFileSync(notPem, 'hello\n');

/** The ConfigError thrown for an environment, or a failure when it loads. */
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('when the environment is empty, then the defaults apply', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.OPENCMP_DEMO).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SMTP_URL).toBeUndefined();
  });

  it('when PORT is not a number, then a ConfigError names PORT', () => {
    expect(configErrorOf({ PORT: 'abc' }).message).toMatch(/\bPORT\b/);
  });

  it('when PORT is out of range, then a ConfigError names PORT', () => {
    expect(configErrorOf({ PORT: '70000' }).message).toMatch(/\bPORT\b/);
  });

  it("when SMPP_URL names its receipts' time zone, then it loads; a bad zone or parameter names SMPP_URL and says what is wrong", () => {
    const url = 'smpp://opencmp:secret@smsc.example:2775?receipt_zone=Europe/Berlin';
    expect(loadConfig({ SMPP_URL: url }).SMPP_URL).toBe(url);
    expect(configErrorOf({ SMPP_URL: 'smpp://a:b@h?receipt_zone=Mars/Olympus' }).message).toMatch(
      /SMPP_URL.*receipt_zone Mars\/Olympus is not a time zone/,
    );
    expect(configErrorOf({ SMPP_URL: 'smpp://a:b@h?window=5' }).message).toMatch(
      /SMPP_URL.*unknown parameter window/,
    );
    expect(configErrorOf({ SMPP_URL: 'smpp://h:2775' }).message).toMatch(/SMPP_URL.*system_id/);
  });

  it('when DATABASE_URL is not a postgres URL, then a ConfigError names DATABASE_URL', () => {
    expect(configErrorOf({ DATABASE_URL: 'mysql://x' }).message).toContain('DATABASE_URL');
  });

  it('when DATABASE_URL is a postgresql:// URL, then it is accepted', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).DATABASE_URL).toBe('postgresql://u@h/db');
  });

  it('when TLS_CERT is set without TLS_KEY, then a ConfigError names TLS_KEY', () => {
    expect(configErrorOf({ TLS_CERT: '/etc/cert.pem' }).message).toContain('TLS_KEY');
  });

  it('when TLS_CERT and TLS_KEY are both set, then the public URL is https and the pair is read', () => {
    const c = loadConfig({ TLS_CERT: tls.cert, TLS_KEY: tls.key, PORT: '8443' });
    expect(c.publicUrl).toBe('https://127.0.0.1:8443');
    expect(c.tls?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(c.tls?.key.toString()).toContain('PRIVATE KEY');
  });

  it('when TLS_CERT names a missing file, then a ConfigError names TLS_CERT', () => {
    const message = configErrorOf({ TLS_CERT: join(dir, 'missing.pem'), TLS_KEY: tls.key }).message;
    expect(message).toMatch(/TLS_CERT: cannot read .*missing\.pem/);
  });

  it('when TLS_CERT or TLS_KEY is not PEM, then a ConfigError names that variable', () => {
    expect(configErrorOf({ TLS_CERT: notPem, TLS_KEY: tls.key }).message).toContain(
      `TLS_CERT: ${notPem} is not a PEM certificate`,
    );
    expect(configErrorOf({ TLS_CERT: tls.cert, TLS_KEY: notPem }).message).toContain(
      `TLS_KEY: ${notPem} is not a PEM private key`,
    );
    // a key where the certificate belongs
    expect(configErrorOf({ TLS_CERT: tls.key, TLS_KEY: tls.key }).message).toContain('TLS_CERT');
  });

  it('when TLS_KEY is the key of another certificate, then a ConfigError names TLS_KEY', () => {
    expect(configErrorOf({ TLS_CERT: tls.cert, TLS_KEY: other.key }).message).toContain(
      `TLS_KEY: ${other.key} is not the key of the certificate in TLS_CERT`,
    );
  });

  it('when OPENCMP_DEMO is 0, then demo is off', () => {
    expect(loadConfig({ OPENCMP_DEMO: '0' }).OPENCMP_DEMO).toBe(false);
    expect(loadConfig({ OPENCMP_DEMO: 'off' }).OPENCMP_DEMO).toBe(false);
    expect(loadConfig({ OPENCMP_DEMO: 'true' }).OPENCMP_DEMO).toBe(true);
  });

  it('when OPENCMP_DEMO is not a boolean word, then a ConfigError names it', () => {
    expect(configErrorOf({ OPENCMP_DEMO: 'maybe' }).message).toContain('OPENCMP_DEMO');
  });

  it('when PUBLIC_URL ends with a slash, then the slash is trimmed', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://cmp.example.com/' }).publicUrl).toBe('https://cmp.example.com');
  });

  it('when PUBLIC_URL is not absolute, then a ConfigError names PUBLIC_URL', () => {
    expect(configErrorOf({ PUBLIC_URL: 'cmp.example.com' }).message).toContain('PUBLIC_URL');
  });

  it('when HOST is 0.0.0.0, then the public URL points at 127.0.0.1', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('when a variable is an empty string, then it counts as unset', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', TLS_CERT: '', SMTP_URL: '', OPENCMP_DEMO: '' });
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TLS_CERT).toBeUndefined();
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.OPENCMP_DEMO).toBe(true);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('when several variables are wrong, then the message names each of them', () => {
    const message = configErrorOf({ PORT: 'abc', SMTP_URL: 'http://mail' }).message;
    expect(message).toContain('PORT');
    expect(message).toContain('SMTP_URL');
  });
});
