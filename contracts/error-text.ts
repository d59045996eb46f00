/**
 * What the portal says for a failed request (web/src/lib/errors.ts): its own message for the error's
 * code where that says all there is to say (wrong password, not allowed, too many requests), and the
 * server's detail where the detail is the point. A conflict's detail names what is in the way ("SIM
 * … is expired: only a lifetime extension can bring it back"); "This conflicts with existing data"
 * in its place left the reader guessing. A conflict with a `reason` is said in the reader's language
 * (`errors.conflict.<reason>` with the values the server sent); one without, by its English detail.
 */

/** A field error as the server sends it (contracts/common.ts `problem.errors`). */
interface FieldProblem {
  field?: string;
  message: string;
  reason?: string | undefined;
  params?: Record<string, string | number> | undefined;
}

/** Codes whose detail is the message; the catalogue's text for them is the fallback. */
const detailFirst: ReadonlySet<string> = new Set(['conflict']);

/** The message key to show (with its values), or the server's text; `known` tells which keys the catalogue has. */
export function errorText(
  problem: {
    code: string;
    title: string;
    detail: string;
    reason?: string | undefined;
    params?: Record<string, string | number> | undefined;
    /** The field errors of a 400: one whose reason the catalogue has says what is wrong. */
    errors?: readonly FieldProblem[] | undefined;
  },
  known: (key: string) => boolean,
): { key: string; vars?: Record<string, string | number> } | { text: string } {
  const key = `errors.${problem.code}`;
  const field = problem.errors?.find((e) => e.reason && known(`errors.field.${e.reason}`));
  if (problem.code === 'validation_failed' && field) return fieldErrorText(field, known);
  if (problem.reason && known(`${key}.${problem.reason}`))
    return { key: `${key}.${problem.reason}`, vars: problem.params ?? {} };
  if (problem.detail && detailFirst.has(problem.code)) return { text: problem.detail };
  if (known(key)) return { key };
  if (problem.detail || problem.title) return { text: problem.detail || problem.title };
  return { key: 'errors.generic' };
}

/**
 * What the portal says next to a field the server refused: `errors.field.<reason>` in the reader's
 * language when the server named a reason the catalogue has, else the server's English message.
 */
export function fieldErrorText(
  error: FieldProblem,
  known: (key: string) => boolean,
): { key: string; vars?: Record<string, string | number> } | { text: string } {
  const key = `errors.field.${error.reason}`;
  if (error.reason && known(key)) return { key, vars: error.params ?? {} };
  return { text: error.message };
}
