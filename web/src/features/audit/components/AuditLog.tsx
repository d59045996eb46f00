/**
 * The audit log: filters (actor, action, target/text, date range), a table newest first with the
 * changes of each row expandable (before → after), paging and a CSV export of what the filters match.
 * Used in Account → Audit log (Owner, Admin) and in the operator console's customer drawer.
 */
import '@mantine/dates/styles.css';
import { type Role, roles } from '@contracts/permissions.js';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Pagination,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { DatePickerInput, DatesProvider, type DatesRangeValue } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconDownload, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useMemo, useState } from 'react';
import { PageLoader } from '../../../components/PageLoader.js';
import { RoleBadge } from '../../../components/UserBadges.js';
import { errorMessage } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import {
  type AuditEntry,
  type AuditFilters,
  auditBase,
  auditCsvUrl,
  auditQueryKey,
  listAudit,
} from '../api.js';

/** The start of a local calendar day (YYYY-MM-DD) as an ISO instant; `plusDays` moves it. */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

const isRole = (role: string | null): role is Role => roles.includes(role as Role);

/** A value as the changes table shows it. */
function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function AuditLog({ customerId, pageSize = 25 }: { customerId?: string; pageSize?: number }) {
  const t = useT();
  const { language, locale } = useLanguage();
  const formatDateTime = useFormatDateTime();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [text, setText] = useState('');
  const [range, setRange] = useState<DatesRangeValue<string>>([null, null]);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [typed] = useDebouncedValue({ actor, action, text }, 300);
  const base = auditBase(customerId);

  const filters: AuditFilters = useMemo(
    () => ({
      actor: typed.actor.trim() || undefined,
      action: typed.action.trim() || undefined,
      q: typed.text.trim() || undefined,
      from: range[0] ? dayStart(range[0]) : undefined,
      to: range[1] ? dayStart(range[1], 1) : undefined,
    }),
    [typed, range],
  );
  const log = useQuery({
    queryKey: [...auditQueryKey(customerId), { filters, page, pageSize }],
    queryFn: ({ signal }) => listAudit(base, filters, page, pageSize, signal),
    placeholderData: keepPreviousData,
  });
  const total = log.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const refilter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <Stack gap="md" data-testid="audit-log">
      <SimpleGrid cols={customerId ? { base: 1, sm: 2 } : { base: 1, sm: 2, lg: 4 }} spacing="sm">
        <TextInput
          label={t('audit.filterActor')}
          placeholder={t('audit.filterActorPlaceholder')}
          value={actor}
          onChange={(e) => refilter(setActor)(e.currentTarget.value)}
          data-testid="audit-filter-actor"
        />
        <TextInput
          label={t('audit.filterAction')}
          placeholder="sim.update, user.*"
          value={action}
          onChange={(e) => refilter(setAction)(e.currentTarget.value)}
          data-testid="audit-filter-action"
        />
        <DatesProvider settings={{ locale: language, firstDayOfWeek: language === 'de' ? 1 : 0 }}>
          <DatePickerInput
            type="range"
            clearable
            allowSingleDateInRange
            label={t('audit.filterDates')}
            placeholder={t('audit.filterDatesPlaceholder')}
            value={range}
            onChange={refilter(setRange)}
            valueFormat={language === 'de' ? 'DD.MM.YYYY' : 'MMM D, YYYY'}
          />
        </DatesProvider>
        <TextInput
          label={t('audit.filterText')}
          placeholder={t('audit.filterTextPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(e) => refilter(setText)(e.currentTarget.value)}
          data-testid="audit-filter-text"
        />
      </SimpleGrid>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="audit-total">
          {t('audit.total', { count: total.toLocaleString(locale) })}
        </Text>
        <Button
          component="a"
          href={auditCsvUrl(base, filters)}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
          data-testid="audit-export"
        >
          {t('audit.exportCsv')}
        </Button>
      </Group>
      {log.isPending && <PageLoader />}
      {log.isError && (
        <Alert color="red" role="alert">
          {errorMessage(t, log.error)}
        </Alert>
      )}
      {log.data && log.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('audit.empty')}
        </Text>
      )}
      {log.data && log.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table
            verticalSpacing="xs"
            style={{ opacity: log.isPlaceholderData ? 0.6 : 1 }}
            data-testid="audit-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36} />
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.who')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.target')}</Table.Th>
                <Table.Th>{t('audit.ip')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.data.items.map((entry) => (
                <Fragment key={entry.id}>
                  <Table.Tr data-testid="audit-row" data-action={entry.action}>
                    <Table.Td>
                      <Tooltip label={open.has(entry.id) ? t('audit.hideDetails') : t('audit.showDetails')}>
                        <ActionIcon
                          variant="subtle"
                          onClick={() => toggle(entry.id)}
                          aria-label={open.has(entry.id) ? t('audit.hideDetails') : t('audit.showDetails')}
                          aria-expanded={open.has(entry.id)}
                          data-testid="audit-expand"
                        >
                          {open.has(entry.id) ? (
                            <IconChevronDown size={16} />
                          ) : (
                            <IconChevronRight size={16} />
                          )}
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                    <Table.Td>
                      <Actor entry={entry} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Code fz="xs">{entry.action}</Code>
                        {entry.outcome !== 'ok' && (
                          <Badge size="xs" color="red" variant="light" tt="none">
                            {entry.status} {entry.outcome}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{entry.target ?? '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{entry.ip ?? '—'}</Table.Td>
                  </Table.Tr>
                  {open.has(entry.id) && (
                    <Table.Tr>
                      <Table.Td />
                      <Table.Td colSpan={5}>
                        <Details entry={entry} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Group justify="center">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}

function Actor({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const { actor } = entry;
  return (
    <Stack gap={0}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" fw={500}>
          {actor.name ?? actor.email ?? t('audit.anonymous')}
        </Text>
        {isRole(actor.role) ? (
          <RoleBadge role={actor.role} />
        ) : (
          <Badge size="xs" variant="outline" tt="none">
            {t(`audit.actor.${actor.kind}`)}
          </Badge>
        )}
      </Group>
      {actor.email && actor.name && (
        <Text size="xs" c="dimmed">
          {actor.email}
        </Text>
      )}
    </Stack>
  );
}

function Details({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const changes = entry.changes;
  const keys = changes ? [...new Set([...Object.keys(changes.before), ...Object.keys(changes.after)])] : [];
  return (
    <Stack gap="xs" data-testid="audit-details">
      {keys.length > 0 && changes ? (
        <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="audit-changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.field')}</Table.Th>
              <Table.Th>{t('audit.before')}</Table.Th>
              <Table.Th>{t('audit.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((key) => (
              <Table.Tr key={key}>
                <Table.Td>
                  <Code fz="xs">{key}</Code>
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{show(changes.before[key])}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{show(changes.after[key])}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="xs" c="dimmed">
          {t('audit.noChanges')}
        </Text>
      )}
      {entry.request !== null && entry.request !== undefined && (
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {t('audit.request')}
          </Text>
          <Code block fz="xs">
            {JSON.stringify(entry.request, null, 2)}
          </Code>
        </Stack>
      )}
      <Text size="xs" c="dimmed">
        {entry.method} {entry.route} · {entry.status} · {entry.userAgent ?? '—'} · {t('audit.requestId')}{' '}
        {entry.requestId ?? '—'}
      </Text>
    </Stack>
  );
}
