/** The table of SIMs: chosen columns, sortable headers, row checkboxes; a row click opens the SIM. */
import { Anchor, Badge, Checkbox, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { type SimColumn, type SimSummary, sortKeyOfColumn } from '../api.js';
import { SessionBadge, StatusBadge, VolumeCell } from './SimBadges.js';

/** Selection state of the table; `null` when the user may not run bulk actions. */
export interface TableSelection {
  isSelected: (iccid: string) => boolean;
  toggle: (iccid: string) => void;
  /** Checks or unchecks every row of the page. */
  togglePage: (check: boolean) => void;
}

function SortHeader({
  column,
  sort,
  onSort,
}: {
  column: SimColumn;
  sort: string;
  onSort: (sort: string) => void;
}) {
  const t = useT();
  const key = sortKeyOfColumn[column];
  const label = t(`sims.col.${column}`);
  if (!key) return <Table.Th>{label}</Table.Th>;
  const direction = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : 'none';
  const Icon =
    direction === 'ascending' ? IconArrowUp : direction === 'descending' ? IconArrowDown : IconArrowsSort;
  return (
    <Table.Th aria-sort={direction}>
      <UnstyledButton
        onClick={() => onSort(direction === 'ascending' ? `-${key}` : key)}
        data-testid={`sort-${column}`}
        aria-label={t('sims.sortBy', { column: label })}
        fw={600}
        fz="sm"
      >
        {/* a long heading may wrap onto a second line rather than widen its column */}
        <Group gap={4} wrap="nowrap">
          <span style={{ lineHeight: 1.2 }}>{label}</span>
          <Icon size={14} stroke={1.8} style={{ opacity: direction === 'none' ? 0.4 : 1 }} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function Cell({ sim, column }: { sim: SimSummary; column: SimColumn }) {
  const t = useT();
  const { locale } = useLanguage();
  const mono = { fontFamily: 'var(--mantine-font-family-monospace)', whiteSpace: 'nowrap' } as const;
  switch (column) {
    case 'status':
      return <StatusBadge status={sim.status} size="sm" />;
    case 'session':
      return <SessionBadge session={sim.session} size="sm" />;
    case 'iccid':
      return (
        <Anchor
          component={Link}
          to={`/sims/${sim.iccid}`}
          size="sm"
          style={mono}
          onClick={(e: MouseEvent) => e.stopPropagation()}
        >
          {sim.iccid}
        </Anchor>
      );
    case 'imsi':
      return (
        <Text size="sm" style={mono}>
          {sim.imsi}
        </Text>
      );
    case 'msisdn':
      return (
        <Text size="sm" style={mono}>
          {sim.msisdn}
        </Text>
      );
    case 'imei':
      return (
        <Text size="sm" style={mono}>
          {sim.imei ?? t('common.none')}
        </Text>
      );
    case 'imeiLock':
    case 'autoTopUp':
      return (
        <Badge variant="outline" color={sim[column] ? 'blue' : 'gray'} tt="none">
          {sim[column] ? t('sims.on') : t('sims.off')}
        </Badge>
      );
    case 'ipAddress':
      return (
        <Text size="sm" style={mono}>
          {sim.ipAddress ?? t('common.none')}
        </Text>
      );
    case 'label':
      return (
        <Text size="sm" maw={170} truncate="end" title={sim.label ?? undefined}>
          {sim.label ?? t('common.none')}
        </Text>
      );
    case 'dataVolume':
      return <VolumeCell used={sim.dataUsed} total={sim.dataTotal} group={sim.dataVolume} kind="data" />;
    case 'smsVolume':
      return <VolumeCell used={sim.smsUsed} total={sim.smsTotal} group={sim.smsVolume} kind="sms" />;
    case 'endOfLife':
      return (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {sim.endOfLife
            ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(sim.endOfLife))
            : t('common.none')}
        </Text>
      );
  }
}

/** One page of SIMs; `dimmed` while a newer page loads. */
export function SimTable({
  sims,
  columns,
  sort,
  onSort,
  selection,
  dimmed,
}: {
  sims: SimSummary[];
  columns: readonly SimColumn[];
  sort: string;
  onSort: (sort: string) => void;
  selection: TableSelection | null;
  dimmed: boolean;
}) {
  const t = useT();
  const navigate = useNavigate();
  const selectedOnPage = selection ? sims.filter((s) => selection.isSelected(s.iccid)).length : 0;
  const open = (iccid: string) => void navigate(`/sims/${iccid}`);
  const onKey = (e: KeyboardEvent, iccid: string) => {
    if (e.key === 'Enter' && e.target === e.currentTarget) open(iccid);
  };
  return (
    <Table.ScrollContainer minWidth={Math.max(480, columns.length * 120)}>
      <Table
        verticalSpacing="xs"
        // eight default columns fit beside the navigation from 1366 px wide (a laptop) without scrolling
        horizontalSpacing={6}
        highlightOnHover
        style={{ opacity: dimmed ? 0.6 : 1 }}
        data-testid="sims-table"
      >
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t('sims.selectPage')}
                  checked={sims.length > 0 && selectedOnPage === sims.length}
                  indeterminate={selectedOnPage > 0 && selectedOnPage < sims.length}
                  onChange={(e) => selection.togglePage(e.currentTarget.checked)}
                  data-testid="select-page"
                />
              </Table.Th>
            )}
            {columns.map((column) => (
              <SortHeader key={column} column={column} sort={sort} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sims.map((sim) => {
            const checked = selection?.isSelected(sim.iccid) ?? false;
            return (
              <Table.Tr
                key={sim.iccid}
                data-testid="sim-row"
                data-iccid={sim.iccid}
                bg={checked ? 'var(--mantine-color-blue-light)' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => open(sim.iccid)}
                onKeyDown={(e) => onKey(e, sim.iccid)}
              >
                {selection && (
                  <Table.Td onClick={(e) => e.stopPropagation()}>
                    <Checkbox
                      aria-label={t('sims.selectRow', { iccid: sim.iccid })}
                      checked={checked}
                      onChange={() => selection.toggle(sim.iccid)}
                      data-testid="sim-select"
                    />
                  </Table.Td>
                )}
                {columns.map((column) => (
                  <Table.Td key={column}>
                    <Cell sim={sim} column={column} />
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
