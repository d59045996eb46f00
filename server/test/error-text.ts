/** A problem+json answer as the portal says it (web/src/lib/errors.ts), for tests of 409 reasons. */
import { errorText } from '../../contracts/error-text.js';
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
  const catalogue: Record<string, string> = catalogues[locale];
  const said = errorText(problem, (key) => key in catalogue);
  if ('text' in said) return said.text;
  const vars = said.vars ?? {};
  return (catalogue[said.key] ?? said.key).replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}
