/** The environment, parsed once with zod; a bad value stops the start with a message naming the variable. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { parseSmppUrl } from './modules/sms/smsc-url.js';

const bool = z
  .enum(['0', '1', 'true', 'false', 'on', 'off'])
  .transform((v) => ['1', 'true', 'on'].includes(v));

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    OPENCMP_DATA_DIR: z.string().min(1).default('./data'),
    OPENCMP_DEMO: bool.default(true),
    OPENCMP_DEMO_PASSWORD: z.string().min(10, 'must be at least 10 characters').max(200).optional(),
    OPENCMP_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    OPENCMP_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(13),
    OPENCMP_HOURLY_RETENTION_DAYS: z.coerce.number().int().min(1).max(366).default(31),
    OPENCMP_TOPUP_DATA_MB: z.coerce.number().int().min(0).max(10_000_000).default(500),
    OPENCMP_TOPUP_SMS: z.coerce.number().int().min(0).max(1_000_000).default(250),
    OPENCMP_EXTENSION_MONTHS: z.coerce.number().int().min(1).max(240).default(120),
    OPENCMP_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    OPENCMP_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100000).default(50),
    OPENCMP_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    OPENCMP_API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(100),
    OPENCMP_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
    OPENCMP_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').max(512).optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('OpenCMP <no-reply@opencmp.local>'),
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    PUBLIC_URL: z.url({ message: 'must be an absolute URL' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: bool.default(false),
    // the parse the console's setting and the ESME use, so each says the same of a URL
    SMPP_URL: z
      .string()
      .superRefine((url, check) => {
        try {
          parseSmppUrl(url);
        } catch (err) {
          check.addIssue({ code: 'custom', message: (err as Error).message });
        }
      })
      .optional(),
    SMPP_SOURCE_ADDR: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a number of 1 to 15 digits')
      .default('4900'),
    SMPP_WINDOW: z.coerce.number().int().min(1).max(1000).default(10),
    SIMULATOR: bool.optional(),
    RADIUS_HOST: z.string().min(1).default('127.0.0.1'),
    RADIUS_AUTH_PORT: z.coerce.number().int().min(0).max(65535).default(1812),
    RADIUS_ACCT_PORT: z.coerce.number().int().min(0).max(65535).default(1813),
    RADIUS_SECRET: z.string().min(8, 'must be at least 8 characters').max(128).optional(),
    RADIUS_DAE_PORT: z.coerce.number().int().min(1).max(65535).default(3799),
    RADIUS_INTERIM_INTERVAL: z.coerce.number().int().min(10).max(86400).default(300),
    RADIUS_STALE_SESSION_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86400)
      .default(960),
    RADIUS_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(2),
    RADIUS_AUTH_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(0),
    RADIUS_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
    RADIUS_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(3),
    RADIUS_QUEUE_MAX_MS: z.coerce.number().int().min(100).max(60000).default(2000),
    RADIUS_DISCONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60000).default(2000),
    RADIUS_DISCONNECT_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    SIMULATOR_DEVICES: z.coerce.number().int().min(1).max(100000).default(40),
    SIMULATOR_INTERIM_SECONDS: z.coerce.number().int().min(1).max(86400).default(30),
    SIMULATOR_DAE_PORT: z.coerce.number().int().min(0).max(65535).default(3799),
    SIMULATOR_SEED: z.coerce.number().int().default(1),
  })
  .refine((c) => c.RADIUS_STALE_SESSION_SECONDS >= 2 * c.RADIUS_INTERIM_INTERVAL, {
    message: 'must be at least twice RADIUS_INTERIM_INTERVAL (a session is not lost for one late Interim)',
    path: ['RADIUS_STALE_SESSION_SECONDS'],
  })
  .refine((c) => Boolean(c.TLS_CERT) === Boolean(c.TLS_KEY), {
    message: 'TLS_CERT and TLS_KEY must be given together',
    path: ['TLS_KEY'],
  });

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  /** The certificate and key read from TLS_CERT and TLS_KEY, checked to be PEM and to match. */
  tls?: { cert: Buffer; key: Buffer };
};

/** Thrown when the environment is invalid; main prints its message and exits. */
export class ConfigError extends Error {}

/** Parse the environment (empty strings count as unset) into a typed configuration. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const tls = c.TLS_CERT && c.TLS_KEY ? readTls(c.TLS_CERT, c.TLS_KEY) : undefined;
  const scheme = c.TLS_CERT ? 'https' : 'http';
  const host = c.HOST === '0.0.0.0' || c.HOST === '::' ? '127.0.0.1' : c.HOST;
  const publicUrl = (c.PUBLIC_URL ?? `${scheme}://${host}:${c.PORT}`).replace(/\/$/, '');
  return { ...c, publicUrl, ...(tls ? { tls } : {}) };
}

/** Read the certificate and key files now, so that a bad one stops the start naming its variable. */
function readTls(certPath: string, keyPath: string): { cert: Buffer; key: Buffer } {
  const read = (name: string, path: string, check: (pem: Buffer) => unknown, what: string) => {
    let pem: Buffer;
    try {
      pem = readFileSync(path);
    } catch (err) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: cannot read ${path} (${(err as Error).message})`,
      );
    }
    try {
      check(pem);
    } catch {
      throw new ConfigError(`Invalid configuration:\n  ${name}: ${path} is not a PEM ${what}`);
    }
    return pem;
  };
  const cert = read('TLS_CERT', certPath, (pem) => new X509Certificate(pem), 'certificate');
  const key = read('TLS_KEY', keyPath, (pem) => createPrivateKey(pem), 'private key');
  try {
    createSecureContext({ cert, key });
  } catch {
    throw new ConfigError(
      `Invalid configuration:\n  TLS_KEY: ${keyPath} is not the key of the certificate in TLS_CERT`,
    );
  }
  return { cert, key };
}
