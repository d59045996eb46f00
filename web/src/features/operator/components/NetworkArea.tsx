/** Operator console → Network: live RADIUS counters and response times (RadiusCountersCard), the NAS clients (packet gateways), and the SMSC's place. */
import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, fieldMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import {
  createNasClient,
  deleteNasClient,
  listNasClients,
  type NasClient,
  type NasClientInput,
  networkKeys,
  updateNasClient,
} from '../api.js';
import { RadiusCountersCard } from './RadiusCountersCard.js';
import { SmscPanel } from './SmscPanel.js';

export function NetworkArea() {
  return (
    <Stack gap="md" data-testid="operator-network">
      <RadiusCountersCard />
      <NasClients />
      <SmscPanel />
    </Stack>
  );
}

const addressPattern =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/([0-9]|[12]\d|3[0-2]))?$/;

function NasClients() {
  const t = useT();
  const notifyError = useNotifyError();
  const queryClient = useQueryClient();
  const clients = useQuery({
    queryKey: networkKeys.nasClients,
    queryFn: ({ signal }) => listNasClients(signal),
  });
  const [editing, setEditing] = useState<NasClient | 'new' | null>(null);
  const [removing, setRemoving] = useState<NasClient | null>(null);
  const remove = useMutation({
    mutationFn: (c: NasClient) => deleteNasClient(c.id),
    onSuccess: (_r, c) => {
      notifySuccess(t('network.nasRemoved', { name: c.name }));
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: networkKeys.nasClients });
    },
    onError: (err) => {
      setRemoving(null);
      notifyError(err);
    },
  });
  const items = clients.data?.items ?? [];
  return (
    <SectionCard title={t('network.nasTitle')} testId="network-nas-clients">
      <Group justify="flex-end">
        <Button
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setEditing('new')}
          data-testid="nas-add"
        >
          {t('network.nasAdd')}
        </Button>
      </Group>
      {clients.isPending && <PageLoader />}
      {clients.isError && (
        <Alert color="red" role="alert">
          {errorMessage(t, clients.error)}
        </Alert>
      )}
      {clients.data && items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="nas-empty">
          {t('network.nasEmpty')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="nas-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('network.nasName')}</Table.Th>
                <Table.Th>{t('network.nasAddress')}</Table.Th>
                <Table.Th>{t('network.nasSecret')}</Table.Th>
                <Table.Th>{t('network.nasDaePort')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} data-testid="nas-row">
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>
                    <Code>{c.address}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Code>{c.secretMasked}</Code>
                  </Table.Td>
                  <Table.Td>{c.daePort}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        leftSection={<IconPencil size={14} aria-hidden />}
                        onClick={() => setEditing(c)}
                      >
                        {t('network.nasEdit')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        leftSection={<IconTrash size={14} aria-hidden />}
                        onClick={() => setRemoving(c)}
                      >
                        {t('network.nasRemove')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <NasClientModal client={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
      <ConfirmModal
        opened={removing !== null}
        title={t('network.nasRemoveTitle')}
        message={
          removing ? t('network.nasRemoveConfirm', { name: removing.name, address: removing.address }) : ''
        }
        confirmLabel={t('network.nasRemove')}
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      />
    </SectionCard>
  );
}

function NasClientModal({ client, onClose }: { client: NasClient | null; onClose: () => void }) {
  const t = useT();
  const notifyError = useNotifyError();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: client?.name ?? '',
      address: client?.address.replace(/\/32$/, '') ?? '',
      secret: '',
      daePort: client?.daePort ?? 3799,
    },
    validate: {
      name: (v: string) => (v.trim().length < 1 || v.trim().length > 64 ? t('network.invalidName') : null),
      address: (v: string) => (addressPattern.test(v.trim()) ? null : t('network.invalidAddress')),
      secret: (v: string) =>
        (client && v === '') || /^[\x21-\x7e]{8,128}$/.test(v) ? null : t('network.invalidSecret'),
      daePort: (v: number | string) => {
        const port = Number(v);
        return Number.isInteger(port) && port >= 1 && port <= 65535 ? null : t('network.invalidPort');
      },
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const input: NasClientInput = {
        name: v.name.trim(),
        address: v.address.trim(),
        daePort: Number(v.daePort),
        ...(v.secret ? { secret: v.secret } : {}),
      };
      return client ? updateNasClient(client.id, input) : createNasClient(input);
    },
    onSuccess: (saved) => {
      notifySuccess(t('network.nasSaved', { name: saved.name }));
      void queryClient.invalidateQueries({ queryKey: networkKeys.nasClients });
      onClose();
    },
    onError: (err) => {
      if (isApiError(err) && err.fieldErrors.length > 0) {
        for (const f of err.fieldErrors) form.setFieldError(f.field, fieldMessage(t, f));
      } else notifyError(err);
    },
  });
  return (
    <Modal opened onClose={onClose} title={client ? t('network.nasEdit') : t('network.nasAdd')}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('network.nasName')}
            required
            data-testid="nas-name"
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('network.nasAddress')}
            description={t('network.nasAddressHint')}
            placeholder="10.20.0.0/24"
            required
            spellCheck={false}
            data-testid="nas-address"
            {...form.getInputProps('address')}
          />
          <PasswordInput
            label={t('network.nasSecret')}
            description={
              client
                ? t('network.nasSecretKeep', { masked: client.secretMasked })
                : t('network.nasSecretHint')
            }
            required={!client}
            autoComplete="new-password"
            data-testid="nas-secret"
            {...form.getInputProps('secret')}
          />
          <NumberInput
            label={t('network.nasDaePort')}
            description={t('network.nasDaePortHint')}
            min={1}
            max={65535}
            allowDecimal={false}
            data-testid="nas-dae-port"
            {...form.getInputProps('daePort')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="nas-save">
              {t('network.nasSave')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
