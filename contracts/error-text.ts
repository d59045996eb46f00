/**
 * What the portal says for a failed request (web/src/lib/errors.ts): its own message for the error's
 * code where that says all there is to say (wrong password, not allowed, too many requests), and the
 * server's detail where the detail is the point. A conflict's detail names what is in the way ("SIM
 * … is expired: only a lifetime extension can bring it back"); "This conflicts with existing data"
 * in its place left the reader guessing, so it is only said when there is no detail.
 */

/** Codes whose detail is the message; the catalogue's text for them is the fallback. */
const detailFirst: ReadonlySet<string> = new Set(['conflict']);

/** The message key to show (`errors.<code>`), or the server's text; `known` tells which keys the catalogue has. */
export function errorText(
  problem: { code: string; title: string; detail: string },
  known: (key: string) => boolean,
): { key: string } | { text: string } {
  const key = `errors.${problem.code}`;
  if (problem.detail && detailFirst.has(problem.code)) return { text: problem.detail };
  if (known(key)) return { key };
  if (problem.detail || problem.title) return { text: problem.detail || problem.title };
  return { key: 'errors.generic' };
}
