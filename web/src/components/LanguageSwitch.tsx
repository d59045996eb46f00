/** EN/DE switch; persists in localStorage through the i18n provider, and optionally tells the caller. */
import { SegmentedControl } from '@mantine/core';
import { type Language, languages, useLanguage, useT } from '../lib/i18n.js';

/** A compact language toggle. `onChange` runs after the UI language changed (e.g. to save it). */
export function LanguageSwitch({ onChange }: { onChange?: (language: Language) => void }) {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={language}
      data={languages.map((l) => ({ value: l, label: l.toUpperCase() }))}
      onChange={(value) => {
        const next = languages.find((l) => l === value);
        if (!next || next === language) return;
        setLanguage(next);
        onChange?.(next);
      }}
    />
  );
}
