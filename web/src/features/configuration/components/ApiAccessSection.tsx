/** Configuration → API access: the organisation's API clients, with create and revoke. */
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconKey, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SectionCard } from '../../../components/SectionCard.js';
import { errorMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useT } from '../../../lib/i18n.js';
import { type ApiClientSummary, apiClientsQueryKey, listApiClients, revokeApiClient } from '../api.js';
import { CreateApiClientModal } from './CreateApiClientModal.js';

function ClientsTable({
  clients,
  onRevoke,
}: {
  clients: ApiClientSummary[];
  onRevoke: (c: ApiClientSummary) => void;
}) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing="xs" highlightOnHover data-testid="api-clients-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('config.apiAccess.clientId')}</Table.Th>
            <Table.Th>{t('config.apiAccess.access')}</Table.Th>
            <Table.Th>{t('config.apiAccess.createdAt')}</Table.Th>
            <Table.Th>{t('config.apiAccess.lastUsed')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('config.apiAccess.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clients.map((c) => (
            <Table.Tr key={c.id} data-testid="api-client-row" data-client-id={c.clientId}>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {c.clientId}
                </Text>
              </Table.Td>
              <Table.Td>
                {c.readOnly && (
                  <Badge variant="light" color="gray">
                    {t('config.apiAccess.readOnly')}
                  </Badge>
                )}
                {c.actsAs && (
                  <Badge
                    variant="light"
                    color="teal"
                    ml={c.readOnly ? 4 : 0}
                    data-testid="api-client-acts-as"
                  >
                    {t('config.apiAccess.actsAs', { role: t(`roles.${c.actsAs}`) })}
                  </Badge>
                )}
                {!c.readOnly && !c.actsAs && (
                  <Badge variant="light" color="blue">
                    {t('config.apiAccess.fullAccess')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(c.createdAt)}</Text>
                {c.createdBy && (
                  <Text size="xs" c="dimmed">
                    {t('config.apiAccess.createdBy', { name: c.createdBy })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {c.lastUsedAt ? formatDateTime(c.lastUsedAt) : t('config.apiAccess.never')}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                {/* Owners and Admins revoke any client, others only their own (the server decides) */}
                {c.mayRevoke && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    leftSection={<IconTrash size={14} aria-hidden="true" />}
                    onClick={() => onRevoke(c)}
                    aria-label={`${t('config.apiAccess.revoke')}: ${c.clientId}`}
                    data-testid="api-client-revoke"
                  >
                    {t('config.apiAccess.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The API access section: intro, client list, create button, revoke with confirmation. */
export function ApiAccessSection() {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiClientSummary | null>(null);
  const clients = useQuery({ queryKey: apiClientsQueryKey, queryFn: ({ signal }) => listApiClients(signal) });
  const revoke = useMutation({
    mutationFn: (c: ApiClientSummary) => revokeApiClient(c.id),
    onSuccess: (_answer, c) => {
      notifySuccess(t('config.apiAccess.revoked', { clientId: c.clientId }));
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: apiClientsQueryKey });
    },
    onError: notifyError,
  });

  return (
    <SectionCard title={t('config.apiAccess.title')} testId="api-access">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          {t('config.apiAccess.intro')}
        </Text>
        <Button
          leftSection={<IconKey size={16} aria-hidden="true" />}
          onClick={() => setCreating(true)}
          data-testid="api-client-create"
        >
          {t('config.apiAccess.create')}
        </Button>
      </Group>
      {clients.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, clients.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void clients.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {clients.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {clients.data && clients.data.items.length === 0 && (
        <Text c="dimmed" py="md" ta="center" data-testid="api-clients-empty">
          {t('config.apiAccess.empty')}
        </Text>
      )}
      {clients.data && clients.data.items.length > 0 && (
        <ClientsTable clients={clients.data.items} onRevoke={setRevoking} />
      )}
      <CreateApiClientModal opened={creating} onClose={() => setCreating(false)} />
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('config.apiAccess.revokeTitle')}
        data-testid="api-client-revoke-modal"
      >
        <Stack gap="md">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {revoking ? t('config.apiAccess.revokeConfirm', { clientId: revoking.clientId }) : ''}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
              data-testid="api-client-revoke-confirm"
            >
              {t('config.apiAccess.revoke')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </SectionCard>
  );
}
