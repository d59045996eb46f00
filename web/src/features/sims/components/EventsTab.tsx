/** The Events tab of a SIM: newest first, paged, filtered by type and severity. */

import { sayEvent } from '@contracts/event-text.js';
import { eventTypeNames } from '@contracts/events.js';
import { Alert, Button, Group, MultiSelect, Pagination, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/errors.js';
import { isMessageKey, type Translate, useLanguage, useT } from '../../../lib/i18n.js';
import { type EventSeverity, eventSeverities, listSimEvents, liveRefreshMs, simsQueryKey } from '../api.js';
import { SeverityBadge } from './SimBadges.js';

const pageSize = 25;

/** The event type's name in the current language (the contract's English name if we lack one). */
export function eventTypeName(t: Translate, type: number, fallback?: string): string {
  const key = `sims.eventType.${type}`;
  return isMessageKey(key) ? t(key) : (fallback ?? eventTypeNames[type] ?? String(type));
}

/** What the event says in the current language: from its type and details, else the stored English text. */
export function eventDescription(
  t: Translate,
  locale: string,
  event: { type: number; details: Record<string, unknown>; description: string },
): string {
  return (
    sayEvent(event.type, event.details, locale, (key, vars) => (isMessageKey(key) ? t(key, vars) : null)) ??
    event.description
  );
}

/** Events of one SIM. */
export function EventsTab({ iccid }: { iccid: string }) {
  const t = useT();
  const { locale } = useLanguage();
  const [types, setTypes] = useState<string[]>([]);
  const [severities, setSeverities] = useState<EventSeverity[]>([]);
  const [page, setPage] = useState(1);
  const events = useQuery({
    queryKey: [...simsQueryKey, 'events', iccid, { types, severities, page }],
    queryFn: ({ signal }) =>
      listSimEvents(iccid, { type: types.map(Number), severity: severities, page, pageSize }, signal),
    placeholderData: keepPreviousData,
    // the newest events arrive as the network reports them; a later page stays as it was read
    refetchInterval: page === 1 ? liveRefreshMs : false,
  });
  const typeData = Object.keys(eventTypeNames)
    .map(Number)
    .sort((a, b) => a - b)
    .map((id) => ({ value: String(id), label: `${id} · ${eventTypeName(t, id)}` }));
  const total = events.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });

  return (
    <Stack gap="md" data-testid="sim-events">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <MultiSelect
          label={t('sims.events.type')}
          placeholder={types.length ? undefined : t('sims.filter.any')}
          data={typeData}
          value={types}
          onChange={(value) => {
            setTypes(value);
            setPage(1);
          }}
          searchable
          clearable
          data-testid="events-type"
        />
        <MultiSelect
          label={t('sims.events.severity')}
          placeholder={severities.length ? undefined : t('sims.filter.any')}
          data={eventSeverities.map((value) => ({ value, label: t(`sims.severity.${value}`) }))}
          value={severities}
          onChange={(value) => {
            setSeverities(value as EventSeverity[]);
            setPage(1);
          }}
          clearable
          data-testid="events-severity"
        />
      </SimpleGrid>
      {events.isError && !events.data ? (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, events.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void events.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : events.data && total === 0 ? (
        <Text c="dimmed" size="sm" py="md" data-testid="events-empty">
          {t('sims.events.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" style={{ opacity: events.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sims.events.time')}</Table.Th>
                <Table.Th>{t('sims.events.type')}</Table.Th>
                <Table.Th>{t('sims.events.severity')}</Table.Th>
                <Table.Th>{t('sims.events.source')}</Table.Th>
                <Table.Th>{t('sims.events.description')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(events.data?.items ?? []).map((event) => (
                <Table.Tr key={event.id} data-testid="event-row" data-type={event.type}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {when.format(new Date(event.occurredAt))}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{eventTypeName(t, event.type, event.typeName)}</Text>
                    <Text size="xs" c="dimmed">
                      #{event.type}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <SeverityBadge severity={event.severity} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`sims.source.${event.source}`)}</Text>
                    {event.actor && (
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {event.actor}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    {eventDescription(t, locale, event)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Group justify="space-between" wrap="wrap">
          <Text size="sm" c="dimmed">
            {t('sims.events.total', { count: new Intl.NumberFormat(locale).format(total) })}
          </Text>
          <Pagination total={pages} value={page} onChange={setPage} siblings={0} boundaries={1} size="sm" />
        </Group>
      )}
    </Stack>
  );
}
