/** /organisation: the sub-organisations (counts only), creating, renaming and deleting them, and SIM transfer. */
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconArrowsExchange, IconBuildingPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { PageHeader } from '../../../components/PageHeader.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { errorMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { deleteSubOrganisation, listSubOrganisations, orgsQueryKey, type SubOrganisation } from '../api.js';
import { SubOrgFormModal, type SubOrgFormTarget } from '../components/SubOrgFormModal.js';
import { type SubOrgAction, SubOrgTable } from '../components/SubOrgTable.js';
import { TransferModal } from '../components/TransferModal.js';

/** The Organisation tab. */
export function OrganisationPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const [form, setForm] = useState<SubOrgFormTarget | null>(null);
  const [deleting, setDeleting] = useState<SubOrganisation | null>(null);
  const [transfer, setTransfer] = useState(false);
  const orgs = useQuery({ queryKey: orgsQueryKey, queryFn: ({ signal }) => listSubOrganisations(signal) });
  const items = orgs.data?.items ?? [];

  const remove = useMutation({
    mutationFn: (org: SubOrganisation) => deleteSubOrganisation(org.id),
    onSuccess: (_answer, org) => {
      notifySuccess(t('orgs.deleted', { name: org.name }));
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: orgsQueryKey });
    },
    onError: notifyError,
  });

  const onAction = (action: SubOrgAction, org: SubOrganisation) => {
    if (action === 'rename') setForm({ mode: 'rename', org });
    else setDeleting(org);
  };

  return (
    <div data-testid="page-organisation">
      <PageHeader
        title={t('tabs.organisation')}
        actions={
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconArrowsExchange size={16} aria-hidden="true" />}
              disabled={items.length === 0}
              onClick={() => setTransfer(true)}
              data-testid="transfer-open"
            >
              {t('orgs.transfer')}
            </Button>
            <Button
              leftSection={<IconBuildingPlus size={16} aria-hidden="true" />}
              onClick={() => setForm({ mode: 'create' })}
              data-testid="suborg-create"
            >
              {t('orgs.createTitle')}
            </Button>
          </Group>
        }
      />
      <Text size="sm" c="dimmed" mb="md">
        {t('orgs.intro')}
      </Text>
      {orgs.isPending && <PageLoader />}
      {orgs.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, orgs.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void orgs.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {orgs.data && items.length === 0 && (
        <Text c="dimmed" py="xl" ta="center" data-testid="suborg-empty">
          {t('orgs.empty')}
        </Text>
      )}
      {items.length > 0 && <SubOrgTable orgs={items} onAction={onAction} />}

      <SubOrgFormModal target={form} onClose={() => setForm(null)} />
      <TransferModal opened={transfer} subs={items} onClose={() => setTransfer(false)} />
      <ConfirmModal
        opened={deleting !== null}
        title={t('orgs.deleteTitle')}
        message={deleting ? t('orgs.deleteConfirm', { name: deleting.name }) : ''}
        confirmLabel={t('orgs.delete')}
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}
