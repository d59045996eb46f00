/** What is in stock: total, counts per form factor and the contiguous ICCID ranges. */
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { errorMessage } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import type { StockRange, StockSummary } from '../api.js';

/** The server answers at most this many ranges. */
const rangeLimit = 200;
/** Ranges shown before "Show all". */
const collapsedRanges = 10;

const mono = { fontFamily: 'var(--mantine-font-family-monospace)', whiteSpace: 'nowrap' } as const;

export function StockSummaryCard({
  summary,
  onUseRange,
}: {
  summary: UseQueryResult<StockSummary>;
  onUseRange: (range: StockRange) => void;
}) {
  const t = useT();
  const { locale } = useLanguage();
  const [showAll, setShowAll] = useState(false);
  const n = (value: number) => value.toLocaleString(locale);

  return (
    <SectionCard title={t('stock.summaryTitle')} testId="stock-summary">
      {summary.isPending && <PageLoader />}
      {summary.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, summary.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void summary.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {summary.data && (
        <Stack gap="md">
          <Group gap="xl" align="flex-end" wrap="wrap">
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {t('stock.total')}
              </Text>
              <Text fz={28} fw={700} lh={1.2} data-testid="stock-total">
                {n(summary.data.total)}
              </Text>
            </Stack>
            {summary.data.byFormFactor.length > 0 && (
              <Stack gap={4}>
                <Text size="xs" c="dimmed">
                  {t('stock.byFormFactor')}
                </Text>
                <Group gap="xs" wrap="wrap" data-testid="stock-form-factors">
                  {summary.data.byFormFactor.map((f) => (
                    <Badge key={f.formFactor} variant="light" tt="none" size="lg">
                      {f.formFactor}: {n(f.count)}
                    </Badge>
                  ))}
                </Group>
              </Stack>
            )}
          </Group>

          {summary.data.ranges.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('stock.empty')}
            </Text>
          ) : (
            <Stack gap="xs">
              <Text size="sm" fw={500}>
                {summary.data.ranges.length >= rangeLimit
                  ? t('stock.rangesTruncated', { count: n(rangeLimit) })
                  : t('stock.ranges', { count: n(summary.data.ranges.length) })}
              </Text>
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing={6} data-testid="stock-ranges">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('stock.rangeFirst')}</Table.Th>
                      <Table.Th>{t('stock.rangeLast')}</Table.Th>
                      <Table.Th ta="right">{t('stock.rangeCount')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {(showAll ? summary.data.ranges : summary.data.ranges.slice(0, collapsedRanges)).map(
                      (r) => (
                        <Table.Tr key={r.first} data-testid="stock-range">
                          <Table.Td style={mono}>{r.first}</Table.Td>
                          <Table.Td style={mono}>{r.last}</Table.Td>
                          <Table.Td ta="right">{n(r.count)}</Table.Td>
                          <Table.Td ta="right">
                            <Button size="compact-sm" variant="light" onClick={() => onUseRange(r)}>
                              {t('stock.useRange')}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                      ),
                    )}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {summary.data.ranges.length > collapsedRanges && (
                <Group>
                  <Button size="xs" variant="subtle" onClick={() => setShowAll((v) => !v)}>
                    {showAll
                      ? t('stock.showFewer')
                      : t('stock.showAll', { count: n(summary.data.ranges.length) })}
                  </Button>
                </Group>
              )}
            </Stack>
          )}
        </Stack>
      )}
    </SectionCard>
  );
}
