/** /sims/:iccid: one SIM — identifiers, lifetime, network, actions; tabs Events, Usage and SMS. */
import { Alert, Anchor, Badge, Button, Group, SimpleGrid, Stack, Tabs } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { getSim, liveRefreshMs, simsQueryKey } from '../api.js';
import { IdentityColumn, LifetimeColumn, NetworkColumn } from '../components/DetailCards.js';
import { EventsTab } from '../components/EventsTab.js';
import { ResetConnectionButton, ResetPendingBadge } from '../components/ResetConnection.js';
import { SimActions, useUpdateSim } from '../components/SimActions.js';
import { StatusBadge } from '../components/SimBadges.js';
import { SmsTab } from '../components/SmsTab.js';

const tabs = ['events', 'usage', 'sms'] as const;

/** The usage tab carries the charts; it loads on first use. */
const UsageTab = lazy(async () => ({ default: (await import('../components/UsageTab.js')).UsageTab }));

function BackLink() {
  const t = useT();
  return (
    <Anchor component={Link} to="/sims" size="sm" data-testid="sim-back">
      <Group gap={4} wrap="nowrap">
        <IconArrowLeft size={14} aria-hidden />
        {t('sims.detail.back')}
      </Group>
    </Anchor>
  );
}

/** The detail page of one SIM. */
export function SimDetailPage() {
  const t = useT();
  const notifyError = useNotifyError();
  const iccid = useParams().iccid ?? '';
  const [params, setParams] = useSearchParams();
  const tab = tabs.find((v) => v === params.get('tab')) ?? 'events';
  const canWrite = useCan('sims:write');
  const sim = useQuery({
    queryKey: [...simsQueryKey, 'detail', iccid],
    queryFn: ({ signal }) => getSim(iccid, signal),
    // live network data: the network changes it without the page asking (a device reconnects after
    // an activation or a reset, a session ends, a location changes). While a reset is pending, look
    // every 2 s until the session's Stop arrives; otherwise every 5 s while the page is visible.
    refetchInterval: (query) => (query.state.data?.resetPending ? 2000 : liveRefreshMs),
  });
  const update = useUpdateSim(iccid);

  if (sim.isPending) return <PageLoader />;
  // a failed background refresh (every 5 s) keeps the page as it was read: only a first read that
  // failed shows the error instead of the SIM
  if (sim.isError && !sim.data) {
    const missing = isApiError(sim.error) && (sim.error.status === 404 || sim.error.status === 400);
    return (
      <div data-testid="page-sim-detail">
        <PageHeader title={t('sims.detail.title', { iccid })} />
        <Stack gap="md" align="flex-start">
          <Alert color={missing ? 'yellow' : 'red'} role="alert" data-testid="sim-not-found">
            {missing ? t('sims.detail.notFound') : errorMessage(t, sim.error)}
          </Alert>
          <Group>
            <BackLink />
            {!missing && (
              <Button size="xs" variant="light" onClick={() => void sim.refetch()}>
                {t('common.retry')}
              </Button>
            )}
          </Group>
        </Stack>
      </div>
    );
  }
  const data = sim.data;
  return (
    <div data-testid="page-sim-detail" data-iccid={data.iccid} data-status={data.status}>
      <Stack gap={4} mb="xs">
        <BackLink />
      </Stack>
      <PageHeader
        title={data.label ?? t('sims.detail.title', { iccid: data.iccid })}
        actions={
          <Group gap="xs">
            <StatusBadge status={data.status} />
            <ResetPendingBadge sim={data} />
            {data.autoTopUp && (
              <Badge variant="outline" color="blue" tt="none">
                {t('sims.col.autoTopUp')}
              </Badge>
            )}
            <ResetConnectionButton sim={data} />
          </Group>
        }
      />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          <IdentityColumn
            sim={data}
            canEditLabel={canWrite}
            savingLabel={update.isPending}
            onSaveLabel={(label) =>
              update.mutateAsync({ label }).then(
                () => notifySuccess(t('sims.label.saved')),
                (err: unknown) => {
                  const field = isApiError(err)
                    ? err.fieldErrors.find((f) => f.field === 'label')
                    : undefined;
                  notifyError(err);
                  throw field ?? err;
                },
              )
            }
          />
          <LifetimeColumn sim={data} />
          <NetworkColumn sim={data} />
        </SimpleGrid>
        <SimActions sim={data} />
        <Tabs
          value={tab}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            if (value && value !== 'events') next.set('tab', value);
            else next.delete('tab');
            setParams(next, { replace: true });
          }}
          keepMounted={false}
          mt="sm"
        >
          <Tabs.List mb="md">
            <Tabs.Tab value="events" data-testid="tab-events">
              {t('sims.tab.events')}
            </Tabs.Tab>
            <Tabs.Tab value="usage" data-testid="tab-usage">
              {t('sims.tab.usage')}
            </Tabs.Tab>
            <Tabs.Tab value="sms" data-testid="tab-sms">
              {t('sims.tab.sms')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="events">
            <EventsTab iccid={data.iccid} />
          </Tabs.Panel>
          <Tabs.Panel value="usage">
            <Suspense fallback={<PageLoader />}>
              <UsageTab iccid={data.iccid} />
            </Suspense>
          </Tabs.Panel>
          <Tabs.Panel value="sms">
            <SmsTab iccid={data.iccid} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </div>
  );
}
