/** Search box (debounced) and the four multi-select filters of the list. */
import { Button, MultiSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useT } from '../../../lib/i18n.js';
import {
  type SessionState,
  type SimFilter,
  type SimStatus,
  sessionStates,
  simStatuses,
  type VolumeGroup,
  volumeGroups,
} from '../api.js';

/** Whether any filter or search is set. */
export function hasFilter(filter: SimFilter): boolean {
  return Boolean(
    filter.q ||
      filter.status.length ||
      filter.session.length ||
      filter.dataVolume.length ||
      filter.smsVolume.length,
  );
}

/** The filter controls; `onChange` gets only what changed. */
export function SimFilters({
  filter,
  onChange,
}: {
  filter: SimFilter;
  onChange: (change: Partial<SimFilter>) => void;
}) {
  const t = useT();
  const [search, setSearch] = useState(filter.q);
  const [debounced] = useDebouncedValue(search.trim(), 300);

  // Typing: once the text rests, it goes into the URL.
  // biome-ignore lint/correctness/useExhaustiveDependencies: react only to the typed text settling
  useEffect(() => {
    if (debounced !== filter.q) onChange({ q: debounced });
  }, [debounced]);
  // The URL changed from elsewhere (back button, "clear filters"): show its text.
  // biome-ignore lint/correctness/useExhaustiveDependencies: react only to the URL's value
  useEffect(() => {
    if (filter.q !== debounced) setSearch(filter.q);
  }, [filter.q]);

  const statusData = simStatuses.map((value) => ({ value, label: t(`sims.status.${value}`) }));
  const sessionData = sessionStates.map((value) => ({ value, label: t(`sims.session.${value}`) }));
  const volumeData = volumeGroups.map((value) => ({ value, label: t(`sims.volume.${value}`) }));

  return (
    <Stack gap="sm">
      <TextInput
        leftSection={<IconSearch size={16} aria-hidden />}
        placeholder={t('sims.searchPlaceholder')}
        aria-label={t('sims.search')}
        value={search}
        maxLength={64}
        onChange={(e) => setSearch(e.currentTarget.value)}
        data-testid="sims-search"
        inputMode="search"
      />
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <MultiSelect
          label={t('sims.filter.status')}
          placeholder={filter.status.length ? undefined : t('sims.filter.any')}
          data={statusData}
          value={filter.status}
          onChange={(v) => onChange({ status: v as SimStatus[] })}
          clearable
          data-testid="filter-status"
        />
        <MultiSelect
          label={t('sims.filter.session')}
          placeholder={filter.session.length ? undefined : t('sims.filter.any')}
          data={sessionData}
          value={filter.session}
          onChange={(v) => onChange({ session: v as SessionState[] })}
          clearable
          data-testid="filter-session"
        />
        <MultiSelect
          label={t('sims.filter.dataVolume')}
          placeholder={filter.dataVolume.length ? undefined : t('sims.filter.any')}
          data={volumeData}
          value={filter.dataVolume}
          onChange={(v) => onChange({ dataVolume: v as VolumeGroup[] })}
          clearable
          data-testid="filter-data-volume"
        />
        <MultiSelect
          label={t('sims.filter.smsVolume')}
          placeholder={filter.smsVolume.length ? undefined : t('sims.filter.any')}
          data={volumeData}
          value={filter.smsVolume}
          onChange={(v) => onChange({ smsVolume: v as VolumeGroup[] })}
          clearable
          data-testid="filter-sms-volume"
        />
      </SimpleGrid>
      {hasFilter(filter) && (
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconFilterOff size={14} aria-hidden />}
          onClick={() => onChange({ q: '', status: [], session: [], dataVolume: [], smsVolume: [] })}
          style={{ alignSelf: 'flex-start' }}
          data-testid="clear-filters"
        >
          {t('sims.clearFilters')}
        </Button>
      )}
    </Stack>
  );
}
