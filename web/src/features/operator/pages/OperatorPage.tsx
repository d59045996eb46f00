/** /operator: the provider's console. Mail outbox, SIM stock and customers work; other areas come in later releases. */
import { Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { NotYetAvailable } from '../../../components/NotYetAvailable.js';
import { PageHeader } from '../../../components/PageHeader.js';
import { type MessageKey, useT } from '../../../lib/i18n.js';
import { CustomersArea } from '../components/CustomersArea.js';
import { MailOutbox } from '../components/MailOutbox.js';
import { NetworkArea } from '../components/NetworkArea.js';
import { StockArea } from '../components/StockArea.js';

const laterAreas = [
  { id: 'orders', label: 'operator.tabOrders', description: 'operator.ordersDescription' },
  { id: 'tickets', label: 'operator.tabTickets', description: 'operator.ticketsDescription' },
] as const satisfies readonly { id: string; label: MessageKey; description: MessageKey }[];

const areaIds: readonly string[] = ['mail', 'stock', 'customers', 'network', ...laterAreas.map((a) => a.id)];

/** The operator console with its areas as tabs (`?area=`). */
export function OperatorPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const requested = params.get('area') ?? 'mail';
  const area = areaIds.includes(requested) ? requested : 'mail';

  return (
    <div data-testid="page-operator">
      <PageHeader title={t('tabs.operator')} />
      <Tabs
        value={area}
        onChange={(value) => setParams(value && value !== 'mail' ? { area: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="mail">{t('operator.tabMail')}</Tabs.Tab>
          <Tabs.Tab value="stock">{t('operator.tabStock')}</Tabs.Tab>
          <Tabs.Tab value="customers">{t('operator.tabCustomers')}</Tabs.Tab>
          <Tabs.Tab value="network">{t('operator.tabNetwork')}</Tabs.Tab>
          {laterAreas.map((a) => (
            <Tabs.Tab key={a.id} value={a.id}>
              {t(a.label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="mail">
          <MailOutbox />
        </Tabs.Panel>
        <Tabs.Panel value="stock">
          <StockArea />
        </Tabs.Panel>
        <Tabs.Panel value="customers">
          <CustomersArea />
        </Tabs.Panel>
        <Tabs.Panel value="network">
          <NetworkArea />
        </Tabs.Panel>
        {laterAreas.map((a) => (
          <Tabs.Panel key={a.id} value={a.id}>
            <NotYetAvailable title={t(a.label)} description={t(a.description)} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </div>
  );
}
