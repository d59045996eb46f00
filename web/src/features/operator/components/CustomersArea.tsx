/** The operator console's "Customers" area: search customer organisations, see one, create one. */
import { Alert, Badge, Button, Code, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { errorMessage } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { listCustomers } from '../api.js';
import { CustomerDrawer } from './CustomerDrawer.js';
import { CustomerForm } from './CustomerForm.js';
import { customerKeys } from './customerKeys.js';

export function CustomersArea() {
  const t = useT();
  const { locale } = useLanguage();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: customerKeys.search(q),
    queryFn: ({ signal }) => listCustomers(signal, q),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];

  return (
    <Stack gap="md" data-testid="operator-customers">
      <SectionCard title={t('customers.title')} testId="customers-list">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <TextInput
              label={t('customers.search')}
              placeholder={t('customers.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              maxLength={100}
              style={{ flex: '1 1 260px' }}
              data-testid="customers-search"
            />
            <Button
              leftSection={<IconPlus size={16} aria-hidden="true" />}
              onClick={() => setCreating(true)}
              data-testid="customers-new"
            >
              {t('customers.new')}
            </Button>
          </Group>
          {list.isPending && <PageLoader />}
          {list.isError && (
            <Alert color="red" role="alert">
              <Group justify="space-between">
                <Text size="sm">{errorMessage(t, list.error)}</Text>
                <Button size="xs" variant="light" onClick={() => void list.refetch()}>
                  {t('common.retry')}
                </Button>
              </Group>
            </Alert>
          )}
          {list.data && items.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="customers-empty">
              {q ? t('customers.noMatch') : t('customers.empty')}
            </Text>
          )}
          {items.length > 0 && (
            <Table.ScrollContainer minWidth={480}>
              <Table highlightOnHover verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('customers.name')}</Table.Th>
                    <Table.Th>{t('customers.accountNumber')}</Table.Th>
                    <Table.Th ta="right">{t('customers.simCount')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr
                      key={c.id}
                      onClick={() => setSelected(c.id)}
                      style={{ cursor: 'pointer' }}
                      data-testid="customer-row"
                    >
                      <Table.Td>
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          px={0}
                          onClick={(e) => {
                            e.stopPropagation();
                            setSelected(c.id);
                          }}
                        >
                          {c.name}
                        </Button>
                        {c.parentId && items.some((p) => p.id === c.parentId) && (
                          <Badge ml="xs" size="xs" variant="light" color="gray">
                            {t('customers.subOrganisation')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Code>{c.accountNumber ?? '—'}</Code>
                      </Table.Td>
                      <Table.Td ta="right">{c.simCount.toLocaleString(locale)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </SectionCard>
      <CustomerDrawer orgId={selected} onClose={() => setSelected(null)} />
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('customers.new')}
        size="lg"
        data-testid="customer-modal"
      >
        {creating && (
          <CustomerForm
            onDone={(id) => {
              setCreating(false);
              if (id) setSelected(id);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
