/** A throw-away self-signed certificate for 127.0.0.1, made with Debian's openssl, for TLS tests. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Write `<name>-cert.pem` and `<name>-key.pem` into `dir`; returns their paths. */
export function selfSignedCert(dir: string, name = 'tls'): { cert: string; key: string } {
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    // biome-ignore format: one openssl command line
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert],
    { stdio: 'ignore' },
  );
  return { cert, key };
}
