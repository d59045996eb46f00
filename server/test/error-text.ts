/** A problem+json answer and its field errors as the portal says them (web/src/lib/errors.ts), for tests of reasons. */
import { errorText, fieldErrorText } from '../../contracts/error-text.js';
import { de } from '../../web/src/lib/locales/de.js';
import { en } from '../../web/src/lib/locales/en.js';

const catalogues = { en, de } as const;

/** The message the portal shows for `problem` in `locale`. */
export function renderProblem(
  locale: keyof typeof catalogues,
  problem: {
    code: string;
    title: string;
    detail: string;
    reason?: string;
    params?: Record<string, string | number>;
  },
): string {
  return say(locale, (known) => errorText(problem, known));
}

/** The message the portal shows next to a field the server refused, in `locale`. */
export function renderFieldError(
  locale: keyof typeof catalogues,
  error: { message: string; reason?: string; params?: Record<string, string | number> },
): string {
  return say(locale, (known) => fieldErrorText(error, known));
}

function say(
  locale: keyof typeof catalogues,
  choose: (
    known: (key: string) => boolean,
  ) => { key: string; vars?: Record<string, string | number> } | { text: string },
): string {
  const catalogue: Record<string, string> = catalogues[locale];
  const said = choose((key) => key in catalogue);
  if ('text' in said) return said.text;
  const vars = said.vars ?? {};
  return (catalogue[said.key] ?? said.key).replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}
