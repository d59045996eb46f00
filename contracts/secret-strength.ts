/** The strength rule for API client secrets a person chooses; free of zod so the portal can import it cheaply. */

/** Shortest secret a person may choose; generated secrets are 256-bit random strings. */
export const minChosenSecretLength = 24;

/**
 * Whether a chosen secret is strong enough: at least 24 characters from at least three of
 * lower-case, upper-case, digits and other characters. Returns the reason when it is not.
 */
export function secretWeakness(secret: string): string | null {
  if (secret.length < minChosenSecretLength) return `must be at least ${minChosenSecretLength} characters`;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(secret)).length;
  if (classes < 3) return 'must mix at least three of: lower-case, upper-case, digits, other characters';
  return null;
}
