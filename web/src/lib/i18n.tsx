/** A small i18n layer: a language context, typed dictionaries and `useT()` for lookups with {variables}. */
import type { Language } from '@contracts/common.js';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { de } from './locales/de.js';
import { en, type MessageKey } from './locales/en.js';

export type { Language, MessageKey };

/** Languages the portal offers, in menu order. */
export const languages: readonly Language[] = ['en', 'de'];

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, de };
const storageKey = 'opencmp.language';

/** Values substituted for `{name}` placeholders. */
export type MessageVars = Record<string, string | number>;
/** Looks up a text in the current language. */
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

interface I18nValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  /** The BCP 47 locale used for dates and numbers. */
  locale: string;
}

const I18nContext = createContext<I18nValue | null>(null);

/** Whether a string is a key of the dictionaries (for keys built at run time, such as error codes). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'de';
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be blocked; fall back to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The browser locale that matches the language (en-US stays en-US), else the bare language. */
function localeFor(language: Language): string {
  return navigator.languages.find((l) => l.toLowerCase().startsWith(language)) ?? language;
}

function interpolate(text: string, vars?: MessageVars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

/** Provides the current language to the app and keeps it in localStorage and on <html lang>. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // Not persisting is acceptable; the choice still applies to this tab.
    }
  }, []);

  const value = useMemo<I18nValue>(() => {
    document.documentElement.lang = language;
    const dictionary = dictionaries[language];
    return {
      language,
      setLanguage,
      locale: localeFor(language),
      t: (key, vars) => interpolate(dictionary[key], vars),
    };
  }, [language, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT must be used inside <I18nProvider>');
  return value;
}

/** The translate function of the current language. */
export function useT(): Translate {
  return useI18n().t;
}

/** The current language, its locale and a setter. */
export function useLanguage(): Pick<I18nValue, 'language' | 'setLanguage' | 'locale'> {
  const { language, setLanguage, locale } = useI18n();
  return { language, setLanguage, locale };
}
