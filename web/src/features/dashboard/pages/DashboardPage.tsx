/**
 * The Dashboard (PRODUCT.md §4): SIM status, data and SMS volume groups with View buttons into My SIMs,
 * usage per month and per week, and the latest orders. Every figure is of one moment, shown as "as of";
 * the page refreshes itself while open.
 */
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  RingProgress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.js';
import { errorMessage } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { formatBytes } from '../../sims/lib/units.js';
import { type Dashboard, dashboardQueryKey, getDashboard, type UsagePeriod } from '../api.js';

const refreshMs = 60_000;
const groups = ['sufficient', 'low', 'none'] as const;
const groupColor = { sufficient: 'teal', low: 'orange', none: 'red' } as const;
const statusColor = { activated: 'teal', deactivated: 'gray', expired: 'red' } as const;

function Tile({
  title,
  asOf,
  children,
  testId,
}: {
  title: string;
  asOf: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="baseline" gap="xs" wrap="nowrap">
          <Title order={2} fz="h5">
            {title}
          </Title>
          <Text size="xs" c="dimmed" data-testid="as-of">
            {asOf}
          </Text>
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

function StatusTile({ d, asOf }: { d: Dashboard; asOf: string }) {
  const t = useT();
  const { locale } = useLanguage();
  const n = new Intl.NumberFormat(locale);
  const statuses = (['activated', 'deactivated', 'expired'] as const).filter(
    (s) => s !== 'expired' || d.sims.expired > 0,
  );
  const total = d.sims.total;
  return (
    <Tile title={t('dashboard.status.title')} asOf={asOf} testId="tile-status">
      {total === 0 ? (
        <Text size="sm" c="dimmed">
          {t('dashboard.status.empty')}
        </Text>
      ) : (
        <Group wrap="nowrap" align="center" gap="md">
          <RingProgress
            size={120}
            thickness={14}
            roundCaps={false}
            sections={statuses.map((s) => ({
              value: (d.sims[s] / total) * 100,
              color: statusColor[s],
              tooltip: `${t(`sims.status.${s}`)}: ${n.format(d.sims[s])}`,
            }))}
            label={
              <Text ta="center" size="xs" fw={600}>
                {t('dashboard.status.total', { count: n.format(total) })}
              </Text>
            }
          />
          <Stack gap={6} style={{ flex: 1 }}>
            {statuses.map((s) => (
              <Group key={s} justify="space-between" gap="xs" wrap="nowrap">
                <Group gap={6} wrap="nowrap">
                  <span
                    aria-hidden
                    style={{
                      width: 10,
                      height: 10,
                      borderRadius: 2,
                      background: `var(--mantine-color-${statusColor[s]}-6)`,
                    }}
                  />
                  <Text size="sm">{t(`sims.status.${s}`)}</Text>
                </Group>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600} data-testid={`count-status-${s}`}>
                    {n.format(d.sims[s])}
                  </Text>
                  <Button
                    component={Link}
                    to={`/sims?status=${s}`}
                    size="compact-xs"
                    variant="subtle"
                    aria-label={t('dashboard.viewGroup', { group: t(`sims.status.${s}`) })}
                  >
                    {t('dashboard.view')}
                  </Button>
                </Group>
              </Group>
            ))}
            <Text size="xs" c="dimmed">
              {t('dashboard.status.online', { count: n.format(d.sessions.online) })}
            </Text>
          </Stack>
        </Group>
      )}
    </Tile>
  );
}

function VolumeTile({ kind, d, asOf }: { kind: 'data' | 'sms'; d: Dashboard; asOf: string }) {
  const t = useT();
  const { locale } = useLanguage();
  const n = new Intl.NumberFormat(locale);
  const counts = kind === 'data' ? d.dataVolume : d.smsVolume;
  const total = groups.reduce((a, g) => a + counts[g], 0);
  const param = kind === 'data' ? 'dataVolume' : 'smsVolume';
  return (
    <Tile title={t(`dashboard.${kind}.title`)} asOf={asOf} testId={`tile-${kind}`}>
      <Stack gap="xs">
        {groups.map((g) => (
          <Stack key={g} gap={4}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm">{t(`sims.volume.${g}`)}</Text>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={600} data-testid={`count-${kind}-${g}`}>
                  {n.format(counts[g])}
                </Text>
                <Button
                  component={Link}
                  to={`/sims?${param}=${g}`}
                  size="compact-xs"
                  variant="subtle"
                  data-testid={`view-${kind}-${g}`}
                  aria-label={t('dashboard.viewGroup', { group: t(`sims.volume.${g}`) })}
                >
                  {t('dashboard.view')}
                </Button>
              </Group>
            </Group>
            <Progress
              value={total ? (counts[g] / total) * 100 : 0}
              color={groupColor[g]}
              size="sm"
              aria-label={t(`sims.volume.${g}`)}
            />
          </Stack>
        ))}
      </Stack>
    </Tile>
  );
}

/** The largest binary unit in which the biggest value is at least 1, for a readable axis. */
function chartUnit(max: number): { divisor: number; unit: string } {
  if (max >= 1024 ** 3) return { divisor: 1024 ** 3, unit: 'GB' };
  if (max >= 1024 ** 2) return { divisor: 1024 ** 2, unit: 'MB' };
  return { divisor: 1024, unit: 'KB' };
}

function UsageTile({ d, asOf }: { d: Dashboard; asOf: string }) {
  const t = useT();
  const { locale } = useLanguage();
  const [by, setBy] = useState<'months' | 'weeks'>('months');
  const n = new Intl.NumberFormat(locale);
  const decimals = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const monthName = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const periods: UsagePeriod[] = d.usage[by];
  const label = (p: UsagePeriod) =>
    by === 'months'
      ? monthName.format(new Date(`${p.start}T00:00:00Z`))
      : t('dashboard.usage.week', { week: Number(p.period.slice(-2)) });
  const { divisor, unit } = chartUnit(Math.max(0, ...periods.map((p) => p.dataUp + p.dataDown)));
  const data = periods.map((p) => ({
    period: label(p),
    down: Math.round((p.dataDown / divisor) * 100) / 100,
    up: Math.round((p.dataUp / divisor) * 100) / 100,
    mo: p.smsMo,
    mt: p.smsMt,
  }));
  const dataTotal = periods.reduce((a, p) => a + p.dataUp + p.dataDown, 0);
  const smsTotal = periods.reduce((a, p) => a + p.smsMo + p.smsMt, 0);
  return (
    <Tile title={t('dashboard.usage.title')} asOf={asOf} testId="tile-usage">
      <SegmentedControl
        value={by}
        onChange={(v) => setBy(v as 'months' | 'weeks')}
        data={[
          { value: 'months', label: t('dashboard.usage.months') },
          { value: 'weeks', label: t('dashboard.usage.weeks') },
        ]}
        data-testid="usage-granularity"
        style={{ alignSelf: 'flex-start' }}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap={4}>
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>
              {t('dashboard.usage.data')}
            </Text>
            <Text size="xs" c="dimmed" data-testid="usage-data-total">
              {t('dashboard.usage.dataTotal', { total: formatBytes(dataTotal, locale) })}
            </Text>
          </Group>
          <BarChart
            h={220}
            data={data}
            dataKey="period"
            type="stacked"
            series={[
              { name: 'down', label: t('sims.usage.down'), color: 'blue.6' },
              { name: 'up', label: t('sims.usage.up'), color: 'teal.5' },
            ]}
            valueFormatter={(v) => `${decimals.format(v)} ${unit}`}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            data-testid="dashboard-data-chart"
          />
        </Stack>
        <Stack gap={4}>
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>
              {t('dashboard.usage.sms')}
            </Text>
            <Text size="xs" c="dimmed" data-testid="usage-sms-total">
              {t('dashboard.usage.smsTotal', { total: n.format(smsTotal) })}
            </Text>
          </Group>
          <BarChart
            h={220}
            data={data}
            dataKey="period"
            type="stacked"
            series={[
              { name: 'mo', label: t('sims.usage.mo'), color: 'grape.6' },
              { name: 'mt', label: t('sims.usage.mt'), color: 'orange.5' },
            ]}
            valueFormatter={(v) => n.format(v)}
            yAxisProps={{ allowDecimals: false }}
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            data-testid="dashboard-sms-chart"
          />
        </Stack>
      </SimpleGrid>
    </Tile>
  );
}

/**
 * A monthly limit that is reached blocks a service for every SIM until the 1st (UTC): said at the top
 * of the Dashboard, with the date it lifts and where to raise it.
 */
function LimitsAlert({ d }: { d: Dashboard }) {
  const t = useT();
  const { locale } = useLanguage();
  const mayConfigure = useCan('config:read');
  const reached = (['data', 'smsMo', 'smsMt'] as const).filter((k) => d.limitsReached[k]);
  if (reached.length === 0) return null;
  const asOf = new Date(d.asOf);
  const lifts = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() + 1, 1)),
  );
  return (
    <Alert color="orange" role="alert" title={t('dashboard.limits.title')} data-testid="limits-reached">
      <Stack gap={4}>
        {reached.map((k) => (
          <Text size="sm" key={k}>
            {t(`dashboard.limits.${k}`)}
          </Text>
        ))}
        <Text size="sm">
          {t('dashboard.limits.until', { date: lifts })}{' '}
          {mayConfigure && (
            <Link to="/configuration" data-testid="limits-configure">
              {t('dashboard.limits.configure')}
            </Link>
          )}
        </Text>
      </Stack>
    </Alert>
  );
}

/** The Dashboard tab. */
export function DashboardPage() {
  const t = useT();
  const { locale } = useLanguage();
  const q = useQuery({
    queryKey: dashboardQueryKey,
    queryFn: ({ signal }) => getDashboard(signal),
    refetchInterval: refreshMs,
  });
  const d = q.data;
  const asOf = d
    ? t('dashboard.asOf', {
        time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(d.asOf)),
      })
    : '';
  return (
    <div data-testid="page-dashboard">
      <PageHeader
        title={t('tabs.dashboard')}
        actions={
          <Button
            variant="default"
            size="xs"
            leftSection={<IconRefresh size={14} aria-hidden />}
            loading={q.isFetching}
            onClick={() => void q.refetch()}
          >
            {t('dashboard.refresh')}
          </Button>
        }
      />
      {q.isError && (
        <Alert color="red" role="alert" mb="md">
          {t('dashboard.error')} {errorMessage(t, q.error)}
        </Alert>
      )}
      {!d ? (
        q.isPending && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h={180} radius="md" />
            ))}
          </SimpleGrid>
        )
      ) : (
        <Stack gap="md" data-testid="dashboard-loaded">
          <LimitsAlert d={d} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            <StatusTile d={d} asOf={asOf} />
            <VolumeTile kind="data" d={d} asOf={asOf} />
            <VolumeTile kind="sms" d={d} asOf={asOf} />
          </SimpleGrid>
          <UsageTile d={d} asOf={asOf} />
          <Tile title={t('dashboard.orders.title')} asOf={asOf} testId="tile-orders">
            <Text size="sm" c="dimmed">
              {t('dashboard.orders.empty')}
            </Text>
          </Tile>
        </Stack>
      )}
    </div>
  );
}
