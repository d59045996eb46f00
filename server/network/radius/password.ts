/** User-Password hiding (RFC 2865 §5.2), so tests and the simulator can send PAP and the server can read it. */
import { createHash } from 'node:crypto';
import type { Secret } from './authenticator.js';
import { fail, ok, type RadiusResult } from './packet.js';

const BLOCK = 16;
const MAX_PASSWORD = 128;

function xorChain(input: Buffer, secret: Secret, authenticator: Buffer, hiding: boolean): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  const output = Buffer.alloc(input.length);
  let previous = authenticator;
  for (let block = 0; block < input.length; block += BLOCK) {
    const pad = createHash('md5').update(key).update(previous).digest();
    for (let i = 0; i < BLOCK; i++) output[block + i] = (input[block + i] ?? 0) ^ (pad[i] ?? 0);
    previous = (hiding ? output : input).subarray(block, block + BLOCK);
  }
  return output;
}

/** Hide a password with the secret and the Access-Request authenticator; throws RangeError above 128 octets. */
export function hidePassword(password: string | Buffer, secret: Secret, authenticator: Buffer): Buffer {
  const plain = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (plain.length > MAX_PASSWORD) throw new RangeError(`password is ${plain.length} octets, at most 128`);
  const padded = Buffer.alloc(Math.max(BLOCK, Math.ceil(plain.length / BLOCK) * BLOCK));
  plain.copy(padded);
  return xorChain(padded, secret, authenticator, true);
}

/** Recover a hidden password (trailing NUL padding removed); refuses values that are not 16..128 in blocks of 16. */
export function unhidePassword(hidden: Buffer, secret: Secret, authenticator: Buffer): RadiusResult<Buffer> {
  if (hidden.length < BLOCK || hidden.length > MAX_PASSWORD || hidden.length % BLOCK !== 0) {
    return fail('bad_password', `User-Password is ${hidden.length} octets, expected 16..128 in blocks of 16`);
  }
  const plain = xorChain(hidden, secret, authenticator, false);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return ok(plain.subarray(0, end));
}

/** The PAP password of a decoded Access-Request as text; 'missing_attribute' when none was sent. */
export function readPassword(
  request: { userPassword?: Buffer; authenticator: Buffer },
  secret: Secret,
): RadiusResult<string> {
  if (!request.userPassword) return fail('missing_attribute', 'User-Password (2) is absent');
  const plain = unhidePassword(request.userPassword, secret, request.authenticator);
  return plain.ok ? ok(plain.value.toString('utf8')) : plain;
}
