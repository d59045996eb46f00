/** Event texts as the portal renders them (web/src/lib/i18n.tsx), for tests that check stored events. */
import { sayEvent } from '../../contracts/event-text.js';
import { de } from '../../web/src/lib/locales/de.js';
import { en } from '../../web/src/lib/locales/en.js';

const catalogues = { en, de } as const;

/** The event's text in `locale` from its type and details (null: the portal shows the stored English text). */
export function renderEvent(
  locale: keyof typeof catalogues,
  e: { type: number; details?: Record<string, unknown> | null },
): string | null {
  const catalogue: Record<string, string> = catalogues[locale];
  return sayEvent(e.type, e.details ?? {}, locale, (key, vars) => {
    const template = catalogue[key];
    if (template === undefined) throw new Error(`${key} is missing from the ${locale} catalogue`);
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  });
}
