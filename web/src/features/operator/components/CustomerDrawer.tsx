/** A customer's details for the operator: data, users, IP address spaces and the audit log. */
import {
  Alert,
  Code,
  Drawer,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageLoader } from '../../../components/PageLoader.js';
import { RoleBadge, StatusBadge } from '../../../components/UserBadges.js';
import { useCountryName } from '../../../lib/countries.js';
import { errorMessage } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { AuditLog } from '../../audit/components/AuditLog.js';
import { getCustomer } from '../api.js';
import { InviteOwnerButton, OwnerActions } from './CustomerOwners.js';
import { customerKeys } from './customerKeys.js';

export function CustomerDrawer({ orgId, onClose }: { orgId: string | null; onClose: () => void }) {
  const t = useT();
  const { locale } = useLanguage();
  const formatDateTime = useFormatDateTime();
  const countryName = useCountryName();
  const detail = useQuery({
    queryKey: customerKeys.detail(orgId ?? ''),
    queryFn: ({ signal }) => getCustomer(orgId ?? '', signal),
    enabled: orgId !== null,
  });
  const c = detail.data;
  return (
    <Drawer
      opened={orgId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={c?.name ?? t('customers.detail')}
      data-testid="customer-detail"
    >
      {detail.isPending && <PageLoader />}
      {detail.isError && (
        <Alert color="red" role="alert">
          {errorMessage(t, detail.error)}
        </Alert>
      )}
      {c && (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            <Field label={t('customers.accountNumber')} value={c.accountNumber ?? '—'} />
            <Field label={t('customers.simCount')} value={c.simCount.toLocaleString(locale)} />
            <Field
              label={t('customers.billingCountry')}
              value={c.billingCountry ? countryName(c.billingCountry) : '—'}
            />
            <Field label={t('customers.language')} value={t(`customers.language.${c.language}`)} />
            <Field label={t('customers.invoiceEmail')} value={c.invoiceEmail ?? '—'} />
            <Field label={t('customers.createdAt')} value={formatDateTime(c.createdAt)} />
          </SimpleGrid>
          <Stack gap="xs">
            <Group justify="space-between" gap="xs">
              <Title order={4}>{t('customers.users')}</Title>
              <InviteOwnerButton orgId={c.id} />
            </Group>
            <Text size="xs" c="dimmed">
              {t('owners.onlyOwners')}
            </Text>
            {c.users.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('customers.noUsers')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing="xs" data-testid="customer-users">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('customers.userName')}</Table.Th>
                      <Table.Th>{t('users.email')}</Table.Th>
                      <Table.Th>{t('users.role')}</Table.Th>
                      <Table.Th>{t('customers.userStatus')}</Table.Th>
                      <Table.Th>{t('users.lastLogin')}</Table.Th>
                      <Table.Th>
                        <VisuallyHidden>{t('users.actions')}</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {c.users.map((u) => (
                      <Table.Tr key={u.id} data-testid="customer-user" data-email={u.email}>
                        <Table.Td>
                          {u.firstName} {u.lastName}
                        </Table.Td>
                        <Table.Td>{u.email}</Table.Td>
                        <Table.Td>
                          <RoleBadge role={u.role} />
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={u.status} />
                        </Table.Td>
                        <Table.Td>
                          {u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('users.never')}
                        </Table.Td>
                        <Table.Td ta="right" w={56}>
                          <OwnerActions orgId={c.id} user={u} users={c.users} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
          <Stack gap="xs" data-testid="customer-ip-pools">
            <Title order={4}>{t('stock.poolsTitle')}</Title>
            {c.ipPools.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('stock.poolsEmpty')}
              </Text>
            ) : (
              c.ipPools.map((p) => (
                <Group key={p.id} justify="space-between" gap="xs">
                  <Code fz="sm">{p.cidr}</Code>
                  <Text size="sm" c="dimmed">
                    {t('stock.poolUsage', {
                      used: p.used.toLocaleString(locale),
                      size: p.size.toLocaleString(locale),
                    })}
                  </Text>
                </Group>
              ))
            )}
          </Stack>
          <Stack gap="xs" data-testid="customer-audit">
            <Title order={4}>{t('customers.audit')}</Title>
            <AuditLog customerId={c.id} pageSize={10} />
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}
