import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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

  it('when DATABASE_URL is not a postgres URL, then a ConfigError names DATABASE_URL', () => {
    expect(configErrorOf({ DATABASE_URL: 'mysql://x' }).message).toContain('DATABASE_URL');
  });

  it('when DATABASE_URL is a postgresql:// URL, then it is accepted', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).DATABASE_URL).toBe('postgresql://u@h/db');
  });

  it('when TLS_CERT is set without TLS_KEY, then a ConfigError names TLS_KEY', () => {
    expect(configErrorOf({ TLS_CERT: '/etc/cert.pem' }).message).toContain('TLS_KEY');
  });

  it('when TLS_CERT and TLS_KEY are both set, then the public URL is https', () => {
    const c = loadConfig({ TLS_CERT: '/etc/cert.pem', TLS_KEY: '/etc/key.pem', PORT: '8443' });
    expect(c.publicUrl).toBe('https://127.0.0.1:8443');
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
