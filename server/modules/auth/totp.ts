/** Time-based one-time passwords (RFC 6238) for two-factor sign-in. */
import { authenticator } from 'otplib';

authenticator.options = { window: 1 };

/** A new random base32 secret. */
export function newTotpSecret(): string {
  return authenticator.generateSecret();
}

/** The otpauth:// URL an authenticator app scans. */
export function totpUrl(email: string, secret: string): string {
  return authenticator.keyuri(email, 'OpenCMP', secret);
}

/** Whether a 6-digit code is valid now (one step of clock drift allowed). */
export function verifyTotp(secret: string, code: string): boolean {
  try {
    return authenticator.check(code, secret);
  } catch {
    return false;
  }
}

/** The code valid now; tests use it to act as an authenticator app. */
export function currentTotp(secret: string): string {
  return authenticator.generate(secret);
}
