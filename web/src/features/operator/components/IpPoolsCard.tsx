/** The IP address spaces (IPv4 blocks) of the customer chosen in the assign form, and adding a block. */
import { Alert, Button, Code, Group, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, fieldMessage, notifySuccess } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { addIpPool, type Customer, listIpPools, stockKeys } from '../api.js';

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function IpPoolsCard({ customer }: { customer: Customer | undefined }) {
  const t = useT();
  const { locale } = useLanguage();
  const title = customer ? t('stock.poolsTitleFor', { name: customer.name }) : t('stock.poolsTitle');
  return (
    <SectionCard title={title} testId="stock-ip-pools">
      {customer ? (
        <Pools key={customer.id} customer={customer} locale={locale} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('stock.poolsChooseCustomer')}
        </Text>
      )}
    </SectionCard>
  );
}

function Pools({ customer, locale }: { customer: Customer; locale: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const n = (value: number) => value.toLocaleString(locale);
  const pools = useQuery({
    queryKey: stockKeys.pools(customer.id),
    queryFn: ({ signal }) => listIpPools(customer.id, signal),
  });
  const form = useForm({
    mode: 'controlled',
    initialValues: { cidr: '' },
    validate: {
      cidr: (v: string) => {
        const m = cidrPattern.exec(v.trim());
        if (!m) return t('stock.cidrInvalid');
        const octets = m.slice(1, 5).map(Number);
        const bits = Number(m[5]);
        if (octets.some((o) => o > 255) || bits < 8 || bits > 30) return t('stock.cidrInvalid');
        return null;
      },
    },
  });
  const add = useMutation({
    mutationFn: (cidr: string) => addIpPool(customer.id, cidr),
    onSuccess: (list, cidr) => {
      queryClient.setQueryData(stockKeys.pools(customer.id), list);
      notifySuccess(t('stock.poolAdded', { cidr, name: customer.name }));
      form.reset();
    },
    onError: (err) => {
      // 409 (overlap) and 400 (host bits set, size) belong next to the field.
      const field = isApiError(err) ? err.fieldErrors.find((e) => e.field === 'cidr') : undefined;
      form.setFieldError('cidr', field ? fieldMessage(t, field) : errorMessage(t, err));
    },
  });

  const items = pools.data?.items ?? [];
  const size = items.reduce((s, p) => s + p.size, 0);
  const used = items.reduce((s, p) => s + p.used, 0);

  return (
    <Stack gap="md">
      {pools.isPending && <PageLoader />}
      {pools.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, pools.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void pools.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {pools.data && items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="ip-pools-empty">
          {t('stock.poolsEmpty')}
        </Text>
      )}
      {items.length > 0 && (
        <Stack gap="sm" data-testid="ip-pools">
          <Text size="sm" c="dimmed">
            {t('stock.poolsTotal', { used: n(used), size: n(size), free: n(Math.max(0, size - used)) })}
          </Text>
          {items.map((p) => {
            const percent = p.size > 0 ? (p.used / p.size) * 100 : 0;
            return (
              <Stack key={p.id} gap={4} data-testid="ip-pool">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Code fz="sm">{p.cidr}</Code>
                  <Text size="sm" c="dimmed">
                    {t('stock.poolUsage', { used: n(p.used), size: n(p.size) })}
                  </Text>
                </Group>
                <Progress
                  value={percent}
                  color={percent >= 100 ? 'red' : percent >= 90 ? 'orange' : 'blue'}
                  aria-label={t('stock.poolUsage', { used: n(p.used), size: n(p.size) })}
                />
              </Stack>
            );
          })}
        </Stack>
      )}
      <form onSubmit={form.onSubmit((values) => add.mutate(values.cidr.trim()))} noValidate>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label={t('stock.addBlock')}
            placeholder="10.64.0.0/16"
            description={t('stock.cidrHint')}
            autoComplete="off"
            spellCheck={false}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            style={{ flex: '1 1 220px' }}
            data-testid="ip-pool-cidr"
            {...form.getInputProps('cidr')}
          />
          <Button
            type="submit"
            mt={{ base: 0, xs: 25 }}
            loading={add.isPending}
            leftSection={<IconPlus size={16} aria-hidden="true" />}
          >
            {t('stock.addBlockSubmit')}
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
