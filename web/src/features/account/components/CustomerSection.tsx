/** The Customer data section: the organisation's data and its extra e-mail addresses. */
import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { useT } from '../../../lib/i18n.js';
import { customerQueryKey, getCustomerData } from '../api.js';
import { AccountEmails } from './AccountEmails.js';
import { CustomerDataForm } from './CustomerDataForm.js';
import { QueryError } from './QueryError.js';

/** The Customer data tab content. */
export function CustomerSection() {
  const t = useT();
  const customer = useQuery({ queryKey: customerQueryKey, queryFn: ({ signal }) => getCustomerData(signal) });
  if (customer.isPending) return <PageLoader />;
  if (customer.isError)
    return (
      <SectionCard title={t('account.tabCustomer')}>
        <QueryError error={customer.error} onRetry={() => void customer.refetch()} />
      </SectionCard>
    );
  return (
    <Stack gap="lg">
      <CustomerDataForm data={customer.data} />
      <AccountEmails emails={customer.data.emails} />
    </Stack>
  );
}
