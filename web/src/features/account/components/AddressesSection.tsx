/** The Addresses section: the one invoice address and the delivery addresses with their default. */
import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { useCountryName } from '../../../lib/countries.js';
import { notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { type Address, addressesQueryKey, listAddresses, removeAddress, updateAddress } from '../api.js';
import { AddressFormModal, type AddressFormTarget } from './AddressFormModal.js';
import { QueryError } from './QueryError.js';

/** One line per part of an address, as it would be printed on a label. */
function AddressLines({ address }: { address: Address }) {
  const countryName = useCountryName();
  return (
    <Text size="sm" component="address" fs="normal" style={{ overflowWrap: 'anywhere' }}>
      <strong>{address.company}</strong>
      <br />
      {address.recipient && (
        <>
          {address.recipient}
          <br />
        </>
      )}
      {address.street}
      <br />
      {address.postalCode} {address.city}
      <br />
      {countryName(address.country)}
    </Text>
  );
}

function addressSummary(address: Address): string {
  return [address.company, address.street, `${address.postalCode} ${address.city}`].join(', ');
}

/** The Addresses tab content. */
export function AddressesSection() {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const addresses = useQuery({ queryKey: addressesQueryKey, queryFn: ({ signal }) => listAddresses(signal) });
  const [editing, setEditing] = useState<AddressFormTarget | null>(null);
  const [removing, setRemoving] = useState<Address | null>(null);

  const makeDefault = useMutation({
    mutationFn: (address: Address) => updateAddress(address.id, { isDefault: true }),
    onSuccess: () => {
      notifySuccess(t('addresses.defaultSaved'));
      void queryClient.invalidateQueries({ queryKey: addressesQueryKey });
    },
    onError: notifyError,
  });
  const remove = useMutation({
    mutationFn: (address: Address) => removeAddress(address.id),
    onSuccess: () => {
      notifySuccess(t('addresses.removed'));
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: addressesQueryKey });
    },
    onError: notifyError,
  });

  if (addresses.isPending) return <PageLoader />;
  if (addresses.isError)
    return (
      <SectionCard title={t('account.tabAddresses')}>
        <QueryError error={addresses.error} onRetry={() => void addresses.refetch()} />
      </SectionCard>
    );

  const invoice = addresses.data.items.find((a) => a.kind === 'invoice');
  const deliveries = addresses.data.items.filter((a) => a.kind === 'delivery');
  const defaultCountry = invoice?.country ?? deliveries[0]?.country ?? 'DE';

  return (
    <Stack gap="lg">
      <SectionCard title={t('addresses.invoiceTitle')} testId="invoice-address">
        <Text size="sm" c="dimmed">
          {t('addresses.invoiceIntro')}
        </Text>
        {invoice ? (
          <Paper withBorder radius="md" p="md" data-testid="address-card" data-kind="invoice">
            <Stack gap="sm">
              <AddressLines address={invoice} />
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="light"
                  aria-label={t('addresses.editInvoice')}
                  onClick={() => setEditing({ mode: 'edit', address: invoice })}
                >
                  {t('addresses.edit')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        ) : (
          <Stack gap="sm" align="flex-start">
            <Text size="sm">{t('addresses.noInvoice')}</Text>
            <Button size="sm" onClick={() => setEditing({ mode: 'create', kind: 'invoice' })}>
              {t('addresses.addInvoice')}
            </Button>
          </Stack>
        )}
      </SectionCard>

      <SectionCard title={t('addresses.deliveryTitle')} testId="delivery-addresses">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Text size="sm" c="dimmed" style={{ flex: '1 1 240px' }}>
            {t('addresses.deliveryIntro')}
          </Text>
          <Button
            size="sm"
            onClick={() => setEditing({ mode: 'create', kind: 'delivery' })}
            data-testid="add-delivery-address"
          >
            {t('addresses.addDelivery')}
          </Button>
        </Group>
        {deliveries.length === 0 ? (
          <Text size="sm" data-testid="delivery-empty">
            {t('addresses.noDelivery')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            {deliveries.map((address) => (
              <Paper
                key={address.id}
                withBorder
                radius="md"
                p="md"
                data-testid="address-card"
                data-kind="delivery"
                data-default={address.isDefault || undefined}
              >
                <Stack gap="sm" h="100%" justify="space-between">
                  <Stack gap="xs">
                    {address.isDefault && (
                      <Badge variant="light" color="green" size="sm">
                        {t('addresses.default')}
                      </Badge>
                    )}
                    <AddressLines address={address} />
                  </Stack>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant="light"
                      aria-label={t('addresses.editLabel', { address: addressSummary(address) })}
                      onClick={() => setEditing({ mode: 'edit', address })}
                    >
                      {t('addresses.edit')}
                    </Button>
                    {!address.isDefault && (
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t('addresses.makeDefaultLabel', { address: addressSummary(address) })}
                        loading={makeDefault.isPending && makeDefault.variables?.id === address.id}
                        onClick={() => makeDefault.mutate(address)}
                      >
                        {t('addresses.makeDefault')}
                      </Button>
                    )}
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      aria-label={t('addresses.removeLabel', { address: addressSummary(address) })}
                      onClick={() => setRemoving(address)}
                    >
                      {t('addresses.remove')}
                    </Button>
                  </Group>
                </Stack>
              </Paper>
            ))}
          </SimpleGrid>
        )}
      </SectionCard>

      <AddressFormModal target={editing} defaultCountry={defaultCountry} onClose={() => setEditing(null)} />
      <ConfirmModal
        opened={removing !== null}
        title={t('addresses.removeTitle')}
        message={removing ? t('addresses.removeConfirm', { address: addressSummary(removing) }) : ''}
        confirmLabel={t('addresses.remove')}
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      />
    </Stack>
  );
}
