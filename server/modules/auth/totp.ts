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
  return totpStep(secret, code) !== null;
}

/** The 30-second time step a valid code belongs to, or null when the code is not valid now. */
export function totpStep(secret: string, code: string): number | null {
  try {
    const delta = authenticator.checkDelta(code, secret);
    if (delta === null) return null;
    return Math.floor(Date.now() / 30_000) + delta;
  } catch {
    return null;
  }
}

/** The code valid now; tests use it to act as an authenticator app. */
export function currentTotp(secret: string): string {
  return authenticator.generate(secret);
}
