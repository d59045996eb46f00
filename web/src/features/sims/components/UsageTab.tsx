/**
 * The Usage tab of a SIM: a date range (default last 30 days), data up/down and SMS MO/MT charts per day, or
 * per UTC hour for periods of up to `maxHourlyDays`, totals and volume.
 */
import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import 'dayjs/locale/de';
import { maxHourlyDays } from '@contracts/sims.js';
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput, DatesProvider, type DatesRangeValue } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { getSimUsage, simsQueryKey } from '../api.js';
import { chartUnit, formatBytes, isoDay, percentUsed } from '../lib/units.js';

function lastDays(days: number): [string, string] {
  const to = new Date();
  const from = new Date(to);
  from.setDate(to.getDate() - (days - 1));
  return [isoDay(from), isoDay(to)];
}

/** Days from `from` to `to`, both included. */
function spanDays([from, to]: [string, string]): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function Remaining({
  title,
  left,
  total,
  percentLeft,
  testId,
}: {
  title: string;
  left: string;
  total: string;
  percentLeft: number;
  testId: string;
}) {
  const t = useT();
  const color = percentLeft <= 0 ? 'red' : percentLeft <= 20 ? 'orange' : 'teal';
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          {title}
        </Text>
        <Text size="sm">{t('sims.usage.leftOf', { left, total })}</Text>
        <Progress
          value={percentLeft}
          color={color}
          size="md"
          aria-label={t('sims.usage.leftOf', { left, total })}
        />
      </Stack>
    </Paper>
  );
}

/** Usage of one SIM. */
export function UsageTab({ iccid }: { iccid: string }) {
  const t = useT();
  const { language, locale } = useLanguage();
  const [range, setRange] = useState<[string, string]>(() => lastDays(30));
  const [picking, setPicking] = useState<DatesRangeValue<string>>(range);
  const [wanted, setWanted] = useState<'day' | 'hour'>('day');
  const hourly = spanDays(range) <= maxHourlyDays;
  // by hour only while the period is short enough; a longer one shows days without losing the choice
  const granularity = wanted === 'hour' && hourly ? 'hour' : 'day';
  const usage = useQuery({
    queryKey: [...simsQueryKey, 'usage', iccid, range, granularity],
    queryFn: ({ signal }) => getSimUsage(iccid, range[0], range[1], granularity, signal),
  });
  const number = new Intl.NumberFormat(locale);
  const mb = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const dayLabel = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const data = usage.data;
  const hourLabel = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  });
  const byHour = granularity === 'hour' && data?.hours !== undefined;
  const points = byHour
    ? (data?.hours ?? []).map((h) => ({ label: hourLabel.format(new Date(h.hour)), ...h }))
    : (data?.days ?? []).map((d) => ({ label: dayLabel.format(new Date(`${d.day}T00:00:00`)), ...d }));
  const scale = chartUnit(Math.max(0, ...points.map((p) => p.dataUp + p.dataDown)));
  const days = points.map((p) => ({
    day: p.label,
    up: p.dataUp / scale.size,
    down: p.dataDown / scale.size,
    mo: p.smsMo,
    mt: p.smsMt,
  }));
  const volume = data?.volume;

  return (
    <Stack gap="md" data-testid="sim-usage">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <DatesProvider settings={{ locale: language, firstDayOfWeek: language === 'de' ? 1 : 0 }}>
          <DatePickerInput
            type="range"
            label={t('sims.usage.range')}
            value={picking}
            onChange={(value) => {
              setPicking(value);
              const [from, to] = value;
              if (from && to) setRange([from, to]);
            }}
            maxDate={isoDay(new Date())}
            valueFormat={language === 'de' ? 'DD.MM.YYYY' : 'MMM D, YYYY'}
            leftSection={<IconCalendar size={16} aria-hidden />}
            miw={240}
            data-testid="usage-range"
          />
        </DatesProvider>
        <Group gap="xs">
          {[7, 30, 90].map((n) => (
            <Button
              key={n}
              size="compact-sm"
              variant="default"
              onClick={() => {
                const next = lastDays(n);
                setRange(next);
                setPicking(next);
              }}
            >
              {t('sims.usage.lastDays', { count: n })}
            </Button>
          ))}
        </Group>
        <Stack gap={2}>
          <SegmentedControl
            size="xs"
            value={granularity}
            onChange={(v) => setWanted(v === 'hour' ? 'hour' : 'day')}
            data={[
              { value: 'day', label: t('sims.usage.byDay') },
              { value: 'hour', label: t('sims.usage.byHour'), disabled: !hourly },
            ]}
            aria-label={t('sims.usage.granularity')}
            data-testid="usage-granularity"
          />
          {!hourly && (
            <Text size="xs" c="dimmed">
              {t('sims.usage.hourlyLimit', { count: maxHourlyDays })}
            </Text>
          )}
        </Stack>
      </Group>
      {usage.isError && !data && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, usage.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void usage.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {volume && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Remaining
            title={t('sims.usage.dataRemaining')}
            left={formatBytes(Math.max(0, volume.dataTotal - volume.dataUsed), locale)}
            total={formatBytes(volume.dataTotal, locale)}
            percentLeft={100 - percentUsed(volume.dataUsed, volume.dataTotal)}
            testId="usage-data-volume"
          />
          <Remaining
            title={t('sims.usage.smsRemaining')}
            left={number.format(Math.max(0, volume.smsTotal - volume.smsUsed))}
            total={number.format(volume.smsTotal)}
            percentLeft={100 - percentUsed(volume.smsUsed, volume.smsTotal)}
            testId="usage-sms-volume"
          />
        </SimpleGrid>
      )}
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} fz="h5">
              {t(byHour ? 'sims.usage.dataTitleHour' : 'sims.usage.dataTitle', { unit: scale.unit })}
            </Title>
            {data && (
              <Text size="sm" c="dimmed" data-testid="usage-data-totals">
                {t('sims.usage.dataTotals', {
                  up: formatBytes(data.totals.dataUp, locale),
                  down: formatBytes(data.totals.dataDown, locale),
                  total: formatBytes(data.totals.dataUp + data.totals.dataDown, locale),
                })}
              </Text>
            )}
          </Group>
          <BarChart
            h={260}
            data={days}
            dataKey="day"
            type="stacked"
            series={[
              { name: 'down', label: t('sims.usage.down'), color: 'blue.6' },
              { name: 'up', label: t('sims.usage.up'), color: 'teal.5' },
            ]}
            valueFormatter={(value) => `${mb.format(value)} ${scale.unit}`}
            data-unit={scale.unit}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            data-testid="usage-data-chart"
          />
        </Stack>
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} fz="h5">
              {t(byHour ? 'sims.usage.smsTitleHour' : 'sims.usage.smsTitle')}
            </Title>
            {data && (
              <Text size="sm" c="dimmed" data-testid="usage-sms-totals">
                {t('sims.usage.smsTotals', {
                  mo: number.format(data.totals.smsMo),
                  mt: number.format(data.totals.smsMt),
                  total: number.format(data.totals.smsMo + data.totals.smsMt),
                })}
              </Text>
            )}
          </Group>
          <BarChart
            h={220}
            data={days}
            dataKey="day"
            type="stacked"
            series={[
              { name: 'mo', label: t('sims.usage.mo'), color: 'grape.6' },
              { name: 'mt', label: t('sims.usage.mt'), color: 'orange.5' },
            ]}
            valueFormatter={(value) => number.format(value)}
            yAxisProps={{ allowDecimals: false }}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            data-testid="usage-sms-chart"
          />
        </Stack>
      </Paper>
    </Stack>
  );
}
