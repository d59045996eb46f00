/** Operator console → Network: the AAA's counters and the last minute's response times, refreshed every 3 s. */
import { Alert, Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { errorMessage } from '../../../lib/errors.js';
import { isMessageKey, useLanguage, useT } from '../../../lib/i18n.js';
import { getNetworkStatus, type NetworkStatus, networkKeys } from '../api.js';

function sum(counts: Record<string, number>) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** A titled breakdown of a counter group, largest first ("none" when empty). */
function Breakdown({
  title,
  group,
  counts,
  locale,
}: {
  title: string;
  /** The counter group: its keys are said as `network.counter.<group>.<key>` where the catalogue has them. */
  group: 'rejects' | 'drops' | 'accounting' | 'disconnects';
  counts: Record<string, number>;
  locale: string;
}) {
  const t = useT();
  // reject causes stay as they are: the same codes name them in the SIM's events and in the network
  const label = (k: string) => {
    const key = `network.counter.${group}.${k}`;
    return isMessageKey(key) ? t(key) : k;
  };
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      {entries.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('network.none')}
        </Text>
      ) : (
        <Group gap={6} wrap="wrap">
          {entries.map(([k, v]) => (
            <Badge key={k} variant="light" color="gray" tt="none" data-testid={`counter-${k}`}>
              {label(k)}: {v.toLocaleString(locale)}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** The AAA's response time of one kind over the last minute: median, p99 and how many answers. */
function ResponseTime({
  label,
  stats,
  locale,
  testId,
}: {
  label: string;
  stats: NetworkStatus['responseTimes']['access'];
  locale: string;
  testId: string;
}) {
  const t = useT();
  const ms = (v: number) => v.toLocaleString(locale, { maximumFractionDigits: v < 10 ? 1 : 0 });
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {stats
          ? t(stats.count === 1 ? 'network.responseFiguresOne' : 'network.responseFigures', {
              p50: ms(stats.p50Ms),
              p99: ms(stats.p99Ms),
              count: stats.count.toLocaleString(locale),
            })
          : t('network.responseNone')}
      </Text>
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} fz="xl" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

export function RadiusCountersCard() {
  const t = useT();
  const { locale } = useLanguage();
  const status = useQuery({
    queryKey: networkKeys.status,
    queryFn: ({ signal }) => getNetworkStatus(signal),
    refetchInterval: 3000,
  });
  const n = (v: number) => v.toLocaleString(locale);
  const s: NetworkStatus | undefined = status.data;
  return (
    <SectionCard title={t('network.countersTitle')} testId="network-counters">
      {status.isPending && <PageLoader />}
      {status.isError && (
        <Alert color="red" role="alert">
          {errorMessage(t, status.error)}
        </Alert>
      )}
      {s && (
        <Stack gap="md">
          {!s.aaaRunning && (
            <Alert color="yellow" variant="light" data-testid="network-aaa-stopped">
              {t('network.aaaStopped')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md">
            <Figure
              label={t('network.requests')}
              value={n(sum(s.requests) - (s.requests.retransmit ?? 0))}
              testId="network-requests"
            />
            <Figure label={t('network.accepts')} value={n(s.accepts)} testId="network-accepts" />
            <Figure label={t('network.rejects')} value={n(sum(s.rejects))} testId="network-rejects" />
            <Figure
              label={t('network.accounting')}
              value={n(sum(s.accounting))}
              testId="network-accounting"
            />
            <Figure label={t('network.drops')} value={n(sum(s.drops))} testId="network-drops" />
            <Figure
              label={t('network.openSessions')}
              value={n(s.openSessions)}
              testId="network-open-sessions"
            />
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('network.responseTitle')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <ResponseTime
                label={t('network.responseAccess')}
                stats={s.responseTimes.access}
                locale={locale}
                testId="network-response-access"
              />
              <ResponseTime
                label={t('network.responseAccounting')}
                stats={s.responseTimes.accounting}
                locale={locale}
                testId="network-response-accounting"
              />
            </SimpleGrid>
          </Stack>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Breakdown
              title={`${t('network.rejects')} · ${t('network.byReason')}`}
              group="rejects"
              counts={s.rejects}
              locale={locale}
            />
            <Breakdown
              title={`${t('network.drops')} · ${t('network.byReason')}`}
              group="drops"
              counts={s.drops}
              locale={locale}
            />
            <Breakdown
              title={t('network.accounting')}
              group="accounting"
              counts={s.accounting}
              locale={locale}
            />
            <Breakdown
              title={t('network.disconnects')}
              group="disconnects"
              counts={s.disconnects}
              locale={locale}
            />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('network.refreshing', { time: new Date(s.at).toLocaleTimeString(locale) })}
          </Text>
        </Stack>
      )}
    </SectionCard>
  );
}
